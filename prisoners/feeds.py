"""Case news as Atom feeds: the timelines' new events, of every case or of one. A trial
date or a hunger strike reaches subscribers without their coming back to look."""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from lib.feeds import ENTRIES, AtomFeed, as_html, day
from lib.sharing import absolute

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
        return (
            CaseEvent.objects.filter(prisoner__is_published=True).select_related("prisoner").order_by("-id")[:ENTRIES]
        )

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
        return prisoner.events.select_related("prisoner").order_by("-id")[:ENTRIES]
