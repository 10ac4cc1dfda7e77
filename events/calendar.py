"""The campaign's calendar as iCalendar (RFC 5545): one file per event, and a feed to
subscribe to with every public event, the yearly anniversary of the Zhanaozen massacre and
the trial dates from the case files. Written by the `icalendar` library (line folding,
escaping, VTIMEZONE blocks for each event's zone), in the language of the address.

The anniversary and the trials are made from what the site already holds, not kept as
events of their own: a trial date corrected in a case file is corrected in the calendar
too, and there is nothing for an organiser to copy over each year.
"""

import datetime
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lib.sharing import absolute
from prisoners.models import CaseEvent, Precision

ZHANAOZEN = datetime.date(2011, 12, 16)
PRODID = "-//Kazakhstan Solidarity//Days of action//EN"


def host():
    """The right-hand side of every UID: the site's own name, so that UIDs stay unique
    across calendars (RFC 5545, 3.8.4.7) and do not change with the language."""
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def next_anniversary(today=None):
    """The next 16 December (today, if it is one) and which anniversary it is."""
    today = today or timezone.localdate()
    day = ZHANAOZEN.replace(year=today.year)
    if day < today:
        day = day.replace(year=today.year + 1)
    return day, day.year - ZHANAOZEN.year


def anniversary_texts():
    return {
        "title": _("Anniversary of the Zhanaozen massacre"),
        "text": _(
            "On 16 December 2011 police opened fire on a peaceful rally of striking oil workers and their "
            "supporters in the central square of Zhanaozen. Supporters mark the anniversary with protests outside "
            "Kazakhstan's embassies, as the campaign called for in 2014."
        ),
    }


def trials(published_only=True):
    """The trial dates of the case files, to the day (a month alone is not a date to go to)."""
    events = CaseEvent.objects.filter(kind=CaseEvent.Kind.TRIAL, precision=Precision.DAY).select_related("prisoner")
    if published_only:
        events = events.filter(prisoner__is_published=True)
    return events.order_by("date", "pk")


def new_calendar(name):
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    return calendar


def event_component(event, now):
    component = icalendar.Event()
    component.add("uid", f"event-{event.pk}@{host()}")
    component.add("dtstamp", now)
    component.add("last-modified", event.updated_at)
    if event.start_time:
        component.add("dtstart", event.starts_at.astimezone(event.zone))
        if event.ends_at:
            component.add("dtend", event.ends_at.astimezone(event.zone))
    else:
        component.add("dtstart", event.date)
        component.add("dtend", event.date + datetime.timedelta(days=1))
    component.add("summary", event.title)
    description = [event.summary] if event.summary else []
    if event.contact:
        description.append(_("Contact: %(contact)s") % {"contact": event.contact})
    if event.online_url:
        description.append(event.online_url)
    component.add("description", "\n\n".join(description))
    location = "\n".join(part for part in (event.address, event.place_display) if part) or event.online_url
    if location:
        component.add("location", location.replace("\n", ", "))
    component.add("url", absolute(event.get_absolute_url()))
    component.add("status", "CANCELLED" if event.is_cancelled else "CONFIRMED")
    component.add("categories", [str(event.get_kind_display())])
    return component


def anniversary_component(now):
    texts = anniversary_texts()
    component = icalendar.Event()
    component.add("uid", f"zhanaozen-anniversary@{host()}")
    component.add("dtstamp", now)
    component.add("dtstart", ZHANAOZEN)
    component.add("dtend", ZHANAOZEN + datetime.timedelta(days=1))
    component.add("rrule", {"freq": "yearly"})
    component.add("summary", texts["title"])
    component.add("description", texts["text"])
    component.add("location", _("Zhanaozen, Kazakhstan"))
    component.add("url", absolute(reverse("events:list")))
    component.add("transp", "TRANSPARENT")
    return component


def trial_component(case_event, now):
    prisoner = case_event.prisoner
    component = icalendar.Event()
    component.add("uid", f"trial-{case_event.pk}@{host()}")
    component.add("dtstamp", now)
    component.add("dtstart", case_event.date)
    component.add("dtend", case_event.date + datetime.timedelta(days=1))
    component.add("summary", _("Trial: %(name)s") % {"name": prisoner.name})
    component.add("description", case_event.text)
    component.add("url", absolute(prisoner.get_absolute_url()))
    component.add("transp", "TRANSPARENT")
    return component


def as_ical(calendar):
    calendar.add_missing_timezones()
    return calendar.to_ical()


def event_file(event):
    calendar = new_calendar(event.title)
    calendar.add_component(event_component(event, timezone.now()))
    return as_ical(calendar)


def campaign_calendar(events):
    now = timezone.now()
    calendar = new_calendar(_("Kazakhstan Solidarity: days of action"))
    for event in events:
        calendar.add_component(event_component(event, now))
    calendar.add_component(anniversary_component(now))
    for case_event in trials():
        calendar.add_component(trial_component(case_event, now))
    return as_ical(calendar)
