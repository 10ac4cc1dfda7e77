"""sitemap.xml: every public page, in English, Russian and Kazakh, each with its
alternates. Drafts, the signer lists past their first page, the links mailed to signers,
the signing and embedding addresses and the admin are not in it (robots.txt keeps
crawlers from the rest)."""

from urllib.parse import urlsplit

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from appeals.models import Appeal
from events.models import Event
from lib import origin
from petitions.models import Petition
from prisoners.models import Prisoner


class SiteSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True

    # SITE_URL, not the request's Host: the addresses search engines keep must be the
    # public ones, whatever name a request reached the server by (the onion's sitemap, read
    # through Tor, lists onion addresses: lib/origin.py).
    @property
    def protocol(self):
        return urlsplit(origin.site_url()).scheme or "https"

    def get_domain(self, site=None):
        return urlsplit(origin.site_url()).netloc


class SectionSitemap(SiteSitemap):
    changefreq = "weekly"

    def items(self):
        return [
            "home",
            "more_ways_to_act",
            "prisoners:list",
            "appeals:list",
            "appeals:embassies",
            "petitions:list",
            "events:list",
        ]

    def location(self, name):
        return reverse(name)


class PrisonerSitemap(SiteSitemap):
    def items(self):
        return Prisoner.objects.published().order_by("pk")

    def lastmod(self, prisoner):
        return prisoner.updated_at


class AppealSitemap(SiteSitemap):
    def items(self):
        return Appeal.objects.public().order_by("pk")

    def lastmod(self, appeal):
        return appeal.updated_at


class PetitionSitemap(SiteSitemap):
    def items(self):
        return Petition.objects.public().order_by("pk")

    def lastmod(self, petition):
        return petition.updated_at


class EventSitemap(SiteSitemap):
    """Approved events, past ones too (the campaign's record); never a proposal."""

    def items(self):
        return Event.objects.public().order_by("pk")

    def lastmod(self, event):
        return event.updated_at


class SignerListSitemap(SiteSitemap):
    """The first page of each list of signers who chose to be listed; never the later
    pages (?before=…), which robots.txt also keeps crawlers from."""

    def items(self):
        return Petition.objects.public().filter(list_signers=True).order_by("pk")

    def location(self, petition):
        return reverse("petitions:signers", args=[petition.slug])


SITEMAPS = {
    "sections": SectionSitemap,
    "prisoners": PrisonerSitemap,
    "appeals": AppealSitemap,
    "petitions": PetitionSitemap,
    "events": EventSitemap,
    "signers": SignerListSitemap,
}
