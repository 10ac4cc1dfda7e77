"""What the Atom feeds of petitions, appeals and cases say of an update: its subject, its
text, the day it was sent. An update's text is public once sent; nothing about who got it."""

from lib.feeds import ENTRIES, as_html
from lib.sharing import absolute


def news_items(updates):
    """The newest ENTRIES sent of `updates`, newest first."""
    return updates.published().select_related("petition", "appeal", "prisoner").order_by("-sent_at", "-id")[:ENTRIES]


def update_title(feed, update):
    return update.subject


def update_description(feed, update):
    return as_html(update.text)


def update_date(feed, update):
    return update.sent_at


def update_link(feed, update):
    return absolute(update.get_absolute_url())
