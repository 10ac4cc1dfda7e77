"""Days of action: pickets, vigils, meetings, letter-writing evenings and online actions,
each for an appeal, a petition or a case, in a place and at a time of its own.

An organiser types the time as it is where the event happens (its date, times and IANA time
zone); the model keeps the exact moments too (`starts_at`, `ends_at`, aware, in UTC) to sort,
to tell upcoming from past, and for the calendars. A page shows the local time, with its zone.
"""

import datetime
import zoneinfo

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext_lazy as _

from lib.countries import country_name


def time_zone_choices():
    return [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones()) if "/" in name] + [
        ("UTC", "UTC")
    ]


def validate_time_zone(value):
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as error:
        raise ValidationError(_("“%(value)s” is not a time zone we know."), params={"value": value}) from error


class EventQuerySet(models.QuerySet):
    def public(self):
        """Approved or cancelled: a cancelled event stays listed, marked, so that nobody goes."""
        return self.filter(status__in=[Event.Status.APPROVED, Event.Status.CANCELLED])

    def upcoming(self, now=None):
        """Public events that have not ended; an event without an end counts as the day."""
        now = now or timezone.now()
        return self.public().filter(finishes_at__gte=now).order_by("starts_at", "pk")

    def past(self, now=None):
        now = now or timezone.now()
        return self.public().filter(finishes_at__lt=now).order_by("-starts_at", "-pk")


class Event(models.Model):
    class Kind(models.TextChoices):
        PICKET = "picket", _("Picket")
        VIGIL = "vigil", _("Vigil")
        MEETING = "meeting", _("Meeting")
        LETTER_WRITING = "letter_writing", _("Letter-writing evening")
        ONLINE = "online", _("Online action")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        APPROVED = "approved", _("Approved")
        CANCELLED = "cancelled", _("Cancelled")

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.PICKET)
    summary = models.TextField(
        _("what it is"), blank=True, help_text=_("What will happen, what to bring, whom to ask for on the day.")
    )

    # As it is where the event happens.
    date = models.DateField(_("date"), help_text=_("The day, where the event happens."))
    start_time = models.TimeField(
        _("starts at"), null=True, blank=True, help_text=_("Local time. Leave empty when the sources give no time.")
    )
    end_time = models.TimeField(_("ends at"), null=True, blank=True, help_text=_("Local time, on the same day."))
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default="Europe/London",
        validators=[validate_time_zone],
        help_text=_("Where the event happens, e.g. Europe/London, Asia/Almaty, Europe/Moscow."),
    )
    # The same moments, exact: set on save from the fields above.
    starts_at = models.DateTimeField(_("starts (UTC)"), editable=False, db_index=True)
    ends_at = models.DateTimeField(_("ends (UTC)"), null=True, editable=False)
    finishes_at = models.DateTimeField(editable=False, db_index=True)

    country = models.CharField(_("country"), max_length=2, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    address = models.TextField(_("address"), blank=True, help_text=_("Where exactly: the building, the street."))
    online_url = models.URLField(_("online link"), max_length=500, blank=True)

    appeal = models.ForeignKey(
        "appeals.Appeal",
        verbose_name=_("appeal"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
    )
    petition = models.ForeignKey(
        "petitions.Petition",
        verbose_name=_("petition"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
    )
    prisoner = models.ForeignKey(
        "prisoners.Prisoner",
        verbose_name=_("case"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="days_of_action",
    )
    contact = models.CharField(
        _("public contact"),
        max_length=200,
        blank=True,
        help_text=_("Shown on the page: a branch's address or phone, only if the organiser wants one."),
    )

    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PROPOSED, db_index=True)
    source_note = models.TextField(
        _("source"), blank=True, help_text=_("For a past event: the document that records it, with its date.")
    )
    source_url = models.URLField(_("source link"), max_length=500, blank=True)

    # Who proposed it through the public form. The address is for the organisers to write back,
    # and only until they decide: approving or cancelling deletes it (services.decide).
    proposed_by = models.CharField(_("proposed by"), max_length=150, blank=True)
    proposer_email = models.EmailField(_("proposer's email"), blank=True)
    proposer_note = models.TextField(_("note to the organisers"), blank=True)

    key = models.CharField(max_length=50, unique=True, null=True, blank=True, editable=False)
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = EventQuerySet.as_manager()
    # Change history: registered in translation.py, after the translated fields (lib/translation.py).

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        permissions = [("approve_event", _("Can approve or cancel events"))]

    def __str__(self):
        return f"{self.title} ({self.date:%Y-%m-%d})"

    def save(self, *args, **kwargs):
        self.set_moments()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("events:detail", args=[self.pk])

    def clean(self):
        super().clean()
        if self.end_time and not self.start_time:
            raise ValidationError({"end_time": _("Give the time it starts too, or leave both empty.")})
        if self.end_time and self.start_time and self.end_time <= self.start_time:
            raise ValidationError({"end_time": _("It must end after it starts.")})

    @property
    def zone(self):
        try:
            return zoneinfo.ZoneInfo(self.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return datetime.UTC

    def set_moments(self):
        zone = self.zone
        self.starts_at = datetime.datetime.combine(self.date, self.start_time or datetime.time(0), zone)
        self.ends_at = datetime.datetime.combine(self.date, self.end_time, zone) if self.end_time else None
        # Listed as upcoming until it ends; without an end time, until the day is over.
        self.finishes_at = self.ends_at or datetime.datetime.combine(
            self.date + datetime.timedelta(days=1), datetime.time(0), zone
        )

    @property
    def is_online(self):
        return self.kind == self.Kind.ONLINE

    @property
    def is_cancelled(self):
        return self.status == self.Status.CANCELLED

    @property
    def country_display(self):
        return country_name(self.country) if self.country else ""

    @property
    def when_display(self):
        """ "21 December 2011, 12:00 (Europe/London)": the local time, as it is where it happens."""
        day = date_format(self.date, "DATE_FORMAT")
        if not self.start_time:
            return day
        times = time_format(self.start_time, "H:i")
        if self.end_time:
            times = f"{times}–{time_format(self.end_time, 'H:i')}"
        return f"{day}, {times} ({self.time_zone.replace('_', ' ')})"

    @property
    def place_display(self):
        return ", ".join(part for part in (self.city, self.country_display) if part)
