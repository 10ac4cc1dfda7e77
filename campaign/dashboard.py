"""The dashboard on the admin index: one function per panel, each a fixed number of
queries however much data there is."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from appeals.models import Appeal, DirectoryReport, LetterOutcome, Target, stale_before
from lib.charts import daily_counts, line_chart_svg
from petitions.models import Petition, Signature
from prisoners.models import CaseEvent, Prisoner

CHART_DAYS = 30
UPCOMING_DAYS = 120

# Dates the campaign marks every year, from its documents.
ANNIVERSARIES = [
    (12, 16, _("Anniversary of the Zhanaozen massacre (16 December 2011)")),
    (5, 26, _("Anniversary of the mass walkout at OzenMunaiGaz (26 May 2011)")),
]


def admin_url(obj, action="change"):
    meta = obj._meta
    try:
        return reverse(f"admin:{meta.app_label}_{meta.model_name}_{action}", args=[obj.pk])
    except NoReverseMatch:
        return ""


def panels(today=None):
    today = today or timezone.localdate()
    series = signatures_per_day(today)
    return {
        "signatures_chart": line_chart_svg(series, title=_("Confirmed signatures per day, last 30 days")),
        "signatures_series": series,
        "letters_per_appeal": letters_per_appeal(),
        "signatures_waiting": signatures_waiting(),
        "upcoming": upcoming_dates(today),
        "addresses_to_check": addresses_to_check(today),
        "supporters_told_us": supporters_told_us(),
    }


# Signatures per day -------------------------------------------------------------------


def signatures_per_day(today, days=CHART_DAYS):
    """Confirmed signatures of the open petitions, per petition and day."""
    counts = daily_counts(
        Signature.objects.confirmed().filter(petition__status=Petition.Status.OPEN),
        "confirmed_at",
        "petition_id",
        today - datetime.timedelta(days=days - 1),
        today,
    )
    # Named by title in the organiser's language (a title is one column per language).
    titles = {petition.pk: petition.title for petition in Petition.objects.filter(pk__in=counts)}
    return [(titles[pk], per_day) for pk, per_day in counts.items()]


# Letters and signatures waiting ----------------------------------------------------------


def letters_per_appeal(limit=10):
    appeals = Appeal.objects.public().annotate(letters_sent_count=Count("letters_sent")).order_by("-letters_sent_count")
    return [(appeal, appeal.letters_sent_count, admin_url(appeal)) for appeal in appeals[:limit]]


def signatures_waiting():
    """How many signatures wait for confirmation, and where an organiser sees them."""
    pending = Signature.Status.PENDING
    url = reverse("admin:petitions_signature_changelist") + f"?status__exact={pending}"
    return {"count": Signature.objects.filter(status=pending).count(), "url": url}


# Embassy addresses to check --------------------------------------------------------------


def addresses_to_check(today, limit=10):
    """Directory entries not read at their source for 12 months, oldest first: two queries."""
    stale = Target.objects.filter(kind__in=[Target.Kind.EMBASSY, Target.Kind.CONSULATE]).filter(
        Q(checked_on__isnull=True) | Q(checked_on__lt=stale_before(today))
    )
    url = reverse("admin:appeals_target_changelist") + "?checked=stale"
    entries = [(target, admin_url(target)) for target in stale.order_by("checked_on", "country", "name")[:limit]]
    return {"count": stale.count(), "entries": entries, "url": url}


def supporters_told_us():
    """What supporters sent that waits for an organiser: reports on the directory, and
    replies to letters not yet published or set aside. Two queries."""
    reports = DirectoryReport.objects.filter(status=DirectoryReport.Status.NEW).count()
    replies = LetterOutcome.objects.filter(kind=LetterOutcome.Kind.REPLY, status=LetterOutcome.Status.NEW).count()
    return {
        "reports": reports,
        "reports_url": reverse("admin:appeals_directoryreport_changelist") + "?status__exact=new",
        "replies": replies,
        "replies_url": reverse("admin:appeals_letteroutcome_changelist") + "?kind__exact=reply&status__exact=new",
    }


# Upcoming dates -------------------------------------------------------------------------


@dataclass
class Upcoming:
    date: datetime.date
    kind: Any
    text: str
    url: str = ""

    @property
    def days_away(self):
        return (self.date - timezone.localdate()).days


def dates_between(queryset, date_field, first_day, last_day, kind, limit=50):
    """Rows whose date falls in [first_day, last_day], as Upcoming entries: one query."""
    rows = queryset.filter(**{f"{date_field}__gte": first_day, f"{date_field}__lte": last_day}).order_by(date_field)
    return [Upcoming(getattr(obj, date_field), kind, str(obj), admin_url(obj)) for obj in rows[:limit]]


def anniversaries(first_day, last_day):
    found = []
    for year in range(first_day.year, last_day.year + 1):
        for month, day, text in ANNIVERSARIES:
            date = datetime.date(year, month, day)
            if first_day <= date <= last_day:
                found.append(Upcoming(date, _("Anniversary"), str(text)))
    return found


def case_dates(first_day, last_day):
    """Trials, appeals, parole hearings and expected releases from the case files."""
    events = CaseEvent.objects.select_related("prisoner").filter(date__gte=first_day, date__lte=last_day)
    found = [
        Upcoming(event.date, event.get_kind_display(), f"{event.prisoner}: {event.text}", admin_url(event.prisoner))
        for event in events.order_by("date")[:50]
    ]
    held = Prisoner.objects.behind_bars()
    found += dates_between(held, "expected_release_on", first_day, last_day, _("Expected release"))
    return found


def deadlines(first_day, last_day):
    """Last days to act on the appeals and petitions still running."""
    return dates_between(
        Appeal.objects.active(), "deadline", first_day, last_day, _("Appeal deadline")
    ) + dates_between(
        Petition.objects.filter(status=Petition.Status.OPEN), "deadline", first_day, last_day, _("Petition deadline")
    )


def upcoming_dates(today, days=UPCOMING_DAYS):
    last_day = today + datetime.timedelta(days=days)
    found = case_dates(today, last_day) + deadlines(today, last_day) + anniversaries(today, last_day)
    return sorted(found, key=lambda entry: entry.date)
