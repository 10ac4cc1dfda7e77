"""Atom feeds (django.contrib.syndication) with every address on SITE_URL (or the onion
address, for a reader who came through it: lib/origin.py) and in the feed's language:
/ru/prisoners/feed.atom links to Russian pages. A feed reader fetches from wherever it runs;
the addresses it shows must be the site's public ones, not the Host its request happened to
name."""

import datetime

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape, linebreaks
from django.utils.translation import get_language

from .sharing import absolute

ENTRIES = 50


class AtomFeed(Feed):
    feed_type = Atom1Feed

    def get_feed(self, obj, request):
        feed = super().get_feed(obj, request)
        # Django takes the language from a class attribute; the feed's is the address's.
        feed.feed["language"] = get_language()
        return feed

    def item_link(self, item):
        return absolute(item.get_absolute_url())

    def __call__(self, request, *args, **kwargs):
        response = super().__call__(request, *args, **kwargs)
        # Readers poll; a few minutes' delay costs a trial date nothing.
        response["Cache-Control"] = "public, max-age=300"
        return response


def as_html(text):
    """A plain text (a timeline event, a summary) as the HTML an Atom summary holds."""
    return linebreaks(escape(text))


def day(date):
    """A date as the start of that day in UTC: Atom's times need a time and a zone."""
    return datetime.datetime.combine(date, datetime.time(0), tzinfo=datetime.UTC)
