"""New days of action as an Atom feed, newest approval first. Never anything about who
proposed them."""

from django.urls import reverse
from django.utils.translation import gettext as _

from lib.feeds import ENTRIES, AtomFeed, as_html
from lib.sharing import absolute

from .models import Event


class NewEventsFeed(AtomFeed):
    def title(self):
        return _("Kazakhstan Solidarity: days of action")

    def subtitle(self):
        return _(
            "Pickets, vigils, meetings and letter-writing evenings for Kazakhstan's political prisoners and workers."
        )

    def author_name(self):
        return _("Kazakhstan Solidarity")

    def link(self):
        return absolute(reverse("events:list"))

    def feed_url(self):
        return absolute(reverse("events:feed"))

    def items(self):
        return Event.objects.public().exclude(approved_at=None).order_by("-approved_at", "-pk")[:ENTRIES]

    def item_title(self, event):
        place = event.place_display or event.get_kind_display()
        return f"{event.when_display}, {place}: {event.title}"

    def item_description(self, event):
        parts = [str(event.get_kind_display())]
        if event.is_cancelled:
            parts.insert(0, _("Cancelled."))
        if event.summary:
            parts.append(event.summary)
        return as_html("\n\n".join(parts))

    def item_pubdate(self, event):
        return event.approved_at

    def item_updateddate(self, event):
        return event.updated_at
