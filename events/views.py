"""Public pages of the days of action: the list (upcoming by country and city, and the
campaign's record of past ones), an event's page, its iCalendar file, the calendar feed,
and the form through which a union branch or a supporter proposes one."""

import itertools

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from lib.client import client_ip
from lib.pagecache import public_page
from lib.ratelimit import over_limit
from petitions.forms import STARTED_PLACEHOLDER, fresh_started

from . import calendar, services
from .forms import ProposalForm
from .models import Event

# Proposals from one network address in an hour: a branch proposes a handful a year.
PROPOSALS_PER_HOUR = 5
CALENDAR_CACHE_SECONDS = 900


def _related(events):
    return events.select_related("appeal", "petition", "prisoner")


def by_place(events):
    """Upcoming events grouped by country, then city: [(country, [(city, [events])])].
    Online actions, and events that name no country, come last, under their own heading."""

    def country_key(event):
        return (not event.country, event.country_display)

    grouped = []
    for (_last, country), in_country in itertools.groupby(sorted(events, key=country_key), key=country_key):
        in_country = sorted(in_country, key=lambda e: (e.city.casefold(), e.starts_at))
        cities = [
            (city, list(city_events)) for city, city_events in itertools.groupby(in_country, key=lambda e: e.city)
        ]
        grouped.append((country, cities))
    return grouped


@require_safe
@public_page()
def event_list(request):
    now = timezone.now()
    upcoming = list(_related(Event.objects.upcoming(now)))
    past = list(_related(Event.objects.past(now)))
    day, years = calendar.next_anniversary(timezone.localdate())
    return render(
        request,
        "events/event_list.html",
        {
            "by_place": by_place(upcoming),
            "upcoming_count": len(upcoming),
            "past": past,
            "anniversary": {"date": day, "years": years, **calendar.anniversary_texts()},
            "trials": list(calendar.trials().filter(date__gte=timezone.localdate())),
        },
    )


@require_safe
@public_page()
def event_detail(request, pk):
    event = get_object_or_404(_related(Event.objects.public()), pk=pk)
    return render(request, "events/event_detail.html", {"event": event})


def _ical_response(data, filename):
    response = HttpResponse(data, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = f"public, max-age={CALENDAR_CACHE_SECONDS}"
    return response


@require_safe
def event_ics(request, pk):
    event = get_object_or_404(Event.objects.public(), pk=pk)
    return _ical_response(calendar.event_file(event), f"event-{event.pk}-{get_language()}.ics")


@require_safe
def calendar_ics(request):
    """The feed to subscribe to: every public event, the anniversary, the trials."""
    events = Event.objects.public().order_by("starts_at", "pk")
    return _ical_response(calendar.campaign_calendar(events), f"kazakhstan-solidarity-{get_language()}.ics")


@require_http_methods(["GET", "HEAD", "POST"])
@public_page(fill={STARTED_PLACEHOLDER: fresh_started})
def propose(request):
    if request.method != "POST":
        form = ProposalForm()
        form.initial["started"] = STARTED_PLACEHOLDER
        return render(request, "events/propose.html", {"form": form})
    form = ProposalForm(request.POST)
    if over_limit("propose-event", client_ip(request), PROPOSALS_PER_HOUR):
        form.is_valid()
        form.add_error(
            None,
            _(
                "Many proposals have come from your network in the last hour, so we are not taking more from it just "
                "now. Please try again in an hour. What you typed is kept below."
            ),
        )
        return render(request, "events/propose.html", {"form": form}, status=429)
    if not form.is_valid():
        return render(request, "events/propose.html", {"form": form}, status=400)
    if not form.is_trap:
        services.propose(form.cleaned_data, (get_language() or settings.LANGUAGE_CODE).split("-")[0])
    return redirect("events:proposed")


@never_cache
@require_safe
def proposed(request):
    return render(request, "events/proposed.html", {})
