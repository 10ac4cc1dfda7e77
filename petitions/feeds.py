"""New petitions as an Atom feed. It holds the petitions, never anything about signers."""

from django.urls import reverse
from django.utils.translation import gettext as _

from lib.feeds import ENTRIES, AtomFeed, as_html
from lib.sharing import absolute

from .models import Petition


class NewPetitionsFeed(AtomFeed):
    def title(self):
        return _("Kazakhstan Solidarity: new petitions")

    def subtitle(self):
        return _("Petitions for Kazakhstan's political prisoners and workers, to sign and share.")

    def author_name(self):
        return _("Kazakhstan Solidarity")

    def link(self):
        return absolute(reverse("petitions:list"))

    def feed_url(self):
        return absolute(reverse("petitions:feed"))

    def items(self):
        return Petition.objects.public().order_by("-created_at")[:ENTRIES]

    def item_title(self, petition):
        return petition.title

    def item_description(self, petition):
        return as_html(petition.summary or _("To: %(addressee)s") % {"addressee": petition.addressed_to})

    def item_pubdate(self, petition):
        return petition.created_at

    def item_updateddate(self, petition):
        return petition.updated_at
