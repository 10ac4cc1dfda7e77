"""New appeals as an Atom feed."""

from django.urls import reverse
from django.utils.translation import gettext as _

from lib.feeds import ENTRIES, AtomFeed, as_html
from lib.sharing import absolute

from .models import Appeal


class NewAppealsFeed(AtomFeed):
    def title(self):
        return _("Kazakhstan Solidarity: new appeals")

    def subtitle(self):
        return _("Urgent actions: protest letters to write for Kazakhstan's political prisoners and workers.")

    def author_name(self):
        return _("Kazakhstan Solidarity")

    def link(self):
        return absolute(reverse("appeals:list"))

    def feed_url(self):
        return absolute(reverse("appeals:feed"))

    def items(self):
        return Appeal.objects.public().order_by("-created_at")[:ENTRIES]

    def item_title(self, appeal):
        return appeal.title

    def item_description(self, appeal):
        return as_html(appeal.summary)

    def item_pubdate(self, appeal):
        return appeal.created_at

    def item_updateddate(self, appeal):
        return appeal.updated_at
