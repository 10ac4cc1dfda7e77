"""New appeals, and each appeal's news, as Atom feeds."""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from lib.feeds import ENTRIES, AtomFeed, as_html
from lib.sharing import absolute
from news.feeds import news_items, update_date, update_description, update_title
from news.models import Update

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


class AppealNewsFeed(AtomFeed):
    """One appeal's updates, as its page's "News" shows them."""

    def get_object(self, request, slug):
        return get_object_or_404(Appeal.objects.public(), slug=slug)

    def title(self, appeal):
        return _("%(title)s: news") % {"title": appeal.title}

    def subtitle(self, appeal):
        return appeal.summary or appeal.title

    def author_name(self):
        return _("Kazakhstan Solidarity")

    def link(self, appeal):
        return absolute(appeal.get_absolute_url())

    def feed_url(self, appeal):
        return absolute(reverse("appeals:news_feed", args=[appeal.slug]))

    def items(self, appeal):
        return news_items(Update.objects.filter(appeal=appeal))

    item_title = update_title
    item_description = update_description
    item_pubdate = update_date
    item_updateddate = update_date
