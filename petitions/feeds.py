"""New petitions, and each petition's news, as Atom feeds. They hold the petitions and
their updates, never anything about signers."""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from lib.feeds import ENTRIES, AtomFeed, as_html
from lib.sharing import absolute
from news.feeds import news_items, update_date, update_description, update_title
from news.models import Update

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


class PetitionNewsFeed(AtomFeed):
    """One petition's updates, as its page's "News" shows them. Never anything about signers."""

    def get_object(self, request, slug):
        return get_object_or_404(Petition.objects.public(), slug=slug)

    def title(self, petition):
        return _("%(title)s: news") % {"title": petition.title}

    def subtitle(self, petition):
        return petition.summary or petition.title

    def author_name(self):
        return _("Kazakhstan Solidarity")

    def link(self, petition):
        return absolute(petition.get_absolute_url())

    def feed_url(self, petition):
        return absolute(reverse("petitions:news_feed", args=[petition.slug]))

    def items(self, petition):
        return news_items(Update.objects.filter(petition=petition))

    item_title = update_title
    item_description = update_description
    item_pubdate = update_date
    item_updateddate = update_date
