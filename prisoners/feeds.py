"""Case news as Atom feeds: the timelines' new events, of every case or of one (with the
case's updates, as its page's "News" shows them). A trial date or a hunger strike reaches
subscribers without their coming back to look."""

from django.db.models import OuterRef, Subquery
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from lib.feeds import ENTRIES, AtomFeed, as_html, day
from lib.sharing import absolute
from news.feeds import news_items
from news.models import Update

from .models import CaseEvent, Prisoner


class CaseNewsFeed(AtomFeed):
    """Every published case's new timeline events, newest first."""

    def title(self):
        return _("Kazakhstan Solidarity: news of the cases")

    def subtitle(self):
        return _(
            "New events in the timelines of Kazakhstan's political prisoners: arrests, trials, transfers, "
            "hunger strikes, releases."
        )

    def author_name(self):
        return _("Kazakhstan Solidarity")

    def link(self):
        return absolute(reverse("prisoners:list"))

    def feed_url(self):
        return absolute(reverse("prisoners:feed"))

    def items(self):
        # Newest *added* first (the id), not newest dated: an organiser adding last year's
        # trial to a timeline today is news to subscribers too.
        return with_last_change(CaseEvent.objects.filter(prisoner__is_published=True))

    def item_title(self, event):
        return _("%(name)s: %(kind)s, %(date)s") % {
            "name": event.prisoner.name,
            "kind": event.get_kind_display(),
            "date": event.date_display,
        }

    def item_description(self, event):
        return as_html(event.text)

    def item_link(self, event):
        return absolute(f"{event.prisoner.get_absolute_url()}#event-{event.pk}")

    def item_pubdate(self, event):
        return day(event.date)

    def item_updateddate(self, event):
        # Atom requires an <updated> in every entry (RFC 4287, 4.1.2); readers sort by it.
        # When the event was last entered or changed here, so that last year's trial added
        # today sorts as today's news; the event's own day if its history holds no record
        # (a bulk load keeps none).
        return event.last_change or day(event.date)


class PrisonerNewsFeed(CaseNewsFeed):
    """One case's new timeline events."""

    def get_object(self, request, slug):
        return get_object_or_404(Prisoner.objects.published(), slug=slug)

    def title(self, prisoner):
        return _("%(name)s: news of the case") % {"name": prisoner.name}

    def subtitle(self, prisoner):
        return prisoner.summary

    def link(self, prisoner):
        return absolute(prisoner.get_absolute_url())

    def feed_url(self, prisoner):
        return absolute(reverse("prisoners:prisoner_feed", args=[prisoner.slug]))

    def items(self, prisoner):
        # The timeline's events and the case's updates, in one list, newest first.
        events = list(with_last_change(prisoner.events.all()))
        updates = list(news_items(Update.objects.filter(prisoner=prisoner)))
        return sorted(events + updates, key=self._when, reverse=True)[:ENTRIES]

    def _when(self, item):
        return self.item_updateddate(item)

    def item_title(self, item):
        if isinstance(item, Update):
            return item.subject
        return super().item_title(item)

    def item_description(self, item):
        if isinstance(item, Update):
            return as_html(item.text)
        return super().item_description(item)

    def item_link(self, item):
        if isinstance(item, Update):
            return absolute(item.get_absolute_url())
        return super().item_link(item)

    def item_pubdate(self, item):
        if isinstance(item, Update):
            return item.sent_at
        return super().item_pubdate(item)

    def item_updateddate(self, item):
        if isinstance(item, Update):
            return item.sent_at
        return super().item_updateddate(item)


def with_last_change(events):
    """The newest ENTRIES of `events`, newest added first, each with `last_change`: when
    its change history last recorded it (None if never)."""
    # A history row keeps the event's id as a plain column, not a relation to join on.
    changes = CaseEvent.history.filter(id=OuterRef("pk")).order_by("-history_date").values("history_date")[:1]
    return events.select_related("prisoner").annotate(last_change=Subquery(changes)).order_by("-id")[:ENTRIES]
