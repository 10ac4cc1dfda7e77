from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Precision(models.TextChoices):
    """How much of a date the sources actually give: "November 2014" must not be shown
    as "1 November 2014"."""

    DAY = "day", _("day")
    MONTH = "month", _("month")
    YEAR = "year", _("year")


# Languages that write a month's name in lower case within a sentence ("арестован в
# августе", "приговор, август 2011 г.", "2011 ж. тамыз"). Django names the months for use
# alone, capitalised ("Август", "Тамыз").
MONTHS_IN_LOWER_CASE = {"ru", "kk"}


def format_fuzzy_date(value, precision):
    if value is None:
        return ""
    if precision == Precision.YEAR:
        return str(value.year)
    if precision == Precision.MONTH:
        text = date_format(value, "YEAR_MONTH_FORMAT")
        if get_language() in MONTHS_IN_LOWER_CASE:
            month = date_format(value, "F")
            text = text.replace(month, month.lower())
        return text
    return date_format(value, "DATE_FORMAT")


def machine_date(value, precision):
    """The date for a <time datetime> attribute, no finer than the sources give it:
    "2011-08" for a month, "2011" for a year."""
    if value is None:
        return ""
    if precision == Precision.YEAR:
        return f"{value.year:04d}"
    if precision == Precision.MONTH:
        return f"{value.year:04d}-{value.month:02d}"
    return value.isoformat()


FUZZY_DATE_HELP = _(
    "For a month or a year, any day in it: only the month or year is shown, and the day decides where "
    "the entry sorts among others of that month or year."
)


class Source(models.Model):
    """A document a fact comes from: an article, an appeal, a court report."""

    title = models.CharField(_("title"), max_length=300)
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    url = models.URLField(_("link"), max_length=500, blank=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    key = models.CharField(
        _("reference key"),
        max_length=50,
        unique=True,
        null=True,
        blank=True,
        help_text=_("Used by the demo loader to find the source again; leave empty."),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-published_on", "title"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def __str__(self):
        if self.published_on:
            return f"{self.title} ({self.published_on:%Y-%m-%d})"
        return self.title


class PlaceOfDetention(models.Model):
    name = models.CharField(_("name"), max_length=200)
    name_original = models.CharField(_("name in the original script"), max_length=200, blank=True)
    town = models.CharField(_("town"), max_length=100, blank=True)
    region = models.CharField(_("region"), max_length=100, blank=True)
    postal_address = models.TextField(
        _("postal address"), blank=True, help_text=_("For letters to prisoners held here.")
    )
    writing_notes = models.TextField(
        _("about writing"),
        blank=True,
        help_text=_("Language to write in, what the censors block, what reaches prisoners."),
    )
    key = models.CharField(max_length=50, unique=True, null=True, blank=True, editable=False)
    # Change history: registered in translation.py, after the translated fields (lib/translation.py).

    class Meta:
        ordering = ["name"]
        verbose_name = _("place of detention")
        verbose_name_plural = _("places of detention")

    def __str__(self):
        return f"{self.name}, {self.town}" if self.town else self.name


class PrisonerQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def behind_bars(self):
        """Held at the latest report we have: the home page's "Behind bars now"."""
        return self.filter(HELD_NOW)

    def urgent_first(self):
        return self.annotate(
            urgency=models.Case(
                models.When(
                    HELD_NOW
                    & (models.Q(hunger_strike=True) | models.Q(health_denied=True) | models.Q(torture_alleged=True)),
                    then=0,
                ),
                default=1,
            )
        ).order_by("urgency", "name")


class Status(models.TextChoices):
    DETAINED = "detained", _("In pre-trial detention")
    CHARGED = "charged", _("Charged, awaiting trial")
    ON_TRIAL = "on_trial", _("On trial")
    SENTENCED = "sentenced", _("In prison")
    NON_CUSTODIAL = "non_custodial", _("Sentenced, not to prison")
    RELEASED = "released", _("Released")
    PAROLED = "paroled", _("On parole")
    DECEASED = "deceased", _("Deceased")
    UNKNOWN = "unknown", _("Not known")


# A status that can mean detention; whether the person is held is the latest report's to say
# (someone on trial may be on bail), hence the second condition.
HELD_STATUSES = (Status.DETAINED, Status.ON_TRIAL, Status.SENTENCED)
HELD_NOW = models.Q(status__in=HELD_STATUSES, held_at_latest_report=True)


class Prisoner(models.Model):
    Status = Status
    HELD = HELD_STATUSES

    name = models.CharField(_("name"), max_length=200)
    name_original = models.CharField(
        _("name in the original script"), max_length=200, blank=True, help_text=_("Cyrillic.")
    )
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    photo = models.ImageField(_("photo"), upload_to="prisoners/", blank=True)
    photo_credit = models.CharField(_("photo credit"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.SENTENCED)
    held_at_latest_report = models.BooleanField(
        _("held at the latest report"),
        default=True,
        help_text=_(
            "Tick only when the latest source places them in detention or prison. Someone charged or on trial "
            "whose custody the sources do not state is not listed under “Behind bars now”."
        ),
    )
    occupation = models.CharField(_("occupation"), max_length=200, blank=True)
    affiliation = models.CharField(
        _("affiliation"), max_length=200, blank=True, help_text=_("Union, party or movement.")
    )
    town = models.CharField(_("town"), max_length=100, blank=True)
    region = models.CharField(_("region"), max_length=100, blank=True)

    sentence = models.CharField(_("sentence"), max_length=300, blank=True)
    place_of_detention = models.ForeignKey(
        PlaceOfDetention,
        verbose_name=_("place of detention"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="prisoners",
    )

    arrested_on = models.DateField(_("arrested on"), null=True, blank=True)
    arrested_precision = models.CharField(_("precision"), max_length=5, choices=Precision, default=Precision.DAY)
    sentenced_on = models.DateField(_("sentenced on"), null=True, blank=True)
    sentenced_precision = models.CharField(_("precision"), max_length=5, choices=Precision, default=Precision.DAY)
    expected_release_on = models.DateField(_("expected release"), null=True, blank=True)
    expected_release_precision = models.CharField(
        _("precision"), max_length=5, choices=Precision, default=Precision.DAY
    )
    released_on = models.DateField(_("released on"), null=True, blank=True)
    released_precision = models.CharField(_("precision"), max_length=5, choices=Precision, default=Precision.DAY)

    status_confirmed_on = models.DateField(
        _("status as of"),
        null=True,
        blank=True,
        help_text=_(
            "The date the latest source gives for this status (not the day you read it). The site shows "
            "“as of …, the latest report we have”."
        ),
    )
    status_confirmed_precision = models.CharField(
        _("precision"), max_length=5, choices=Precision, default=Precision.DAY
    )

    hunger_strike = models.BooleanField(_("on hunger strike"), default=False)
    health_denied = models.BooleanField(_("health care denied"), default=False)
    torture_alleged = models.BooleanField(_("torture alleged"), default=False)

    summary = models.CharField(_("summary"), max_length=300, help_text=_("One line: who they are."))
    biography = models.TextField(_("biography"), blank=True)
    sources = models.ManyToManyField(Source, verbose_name=_("sources"), blank=True, related_name="prisoners")

    is_published = models.BooleanField(_("published"), default=False, db_index=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = PrisonerQuerySet.as_manager()
    # Change history: registered in translation.py, after the translated fields (lib/translation.py).

    class Meta:
        ordering = ["name"]
        verbose_name = _("prisoner")
        verbose_name_plural = _("prisoners")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("prisoners:detail", args=[self.slug])

    @property
    def is_held(self):
        """Held at the latest report we have, as far as the sources say."""
        return self.status in self.HELD and self.held_at_latest_report

    @property
    def status_as_of_display(self):
        # A death does not change; every other status can have since.
        if self.status == self.Status.DECEASED:
            return ""
        return format_fuzzy_date(self.status_confirmed_on, self.status_confirmed_precision)

    @property
    def is_urgent(self):
        return self.is_held and (self.hunger_strike or self.health_denied or self.torture_alleged)

    def risk_flags(self):
        flags = []
        if self.hunger_strike:
            flags.append(_("On hunger strike"))
        if self.health_denied:
            flags.append(_("Medical care denied"))
        if self.torture_alleged:
            flags.append(_("Torture alleged"))
        return flags

    @property
    def arrested_display(self):
        return format_fuzzy_date(self.arrested_on, self.arrested_precision)

    @property
    def sentenced_display(self):
        return format_fuzzy_date(self.sentenced_on, self.sentenced_precision)

    @property
    def expected_release_display(self):
        return format_fuzzy_date(self.expected_release_on, self.expected_release_precision)

    @property
    def released_display(self):
        return format_fuzzy_date(self.released_on, self.released_precision)

    def status_is_stale(self, today=None):
        """True when no source has confirmed the status for six months: the page then
        says "last confirmed ..." rather than claiming years in prison nobody reported."""
        if not self.status_confirmed_on:
            return False
        return ((today or timezone.localdate()) - self.status_confirmed_on).days > 183

    @property
    def status_confirmed_display(self):
        return format_fuzzy_date(self.status_confirmed_on, self.status_confirmed_precision)

    def days_held(self, today=None):
        """Days from arrest to release (or to today while still held); None when the
        sources do not say when they were arrested."""
        if not self.arrested_on:
            return None
        end = self.released_on if not self.is_held else (today or timezone.localdate())
        if end is None:
            return None
        return max((end - self.arrested_on).days, 0)

    def years_held(self, today=None):
        days = self.days_held(today)
        return None if days is None else days // 365


class Charge(models.Model):
    prisoner = models.ForeignKey(Prisoner, verbose_name=_("prisoner"), on_delete=models.CASCADE, related_name="charges")
    article = models.CharField(_("criminal-code article"), max_length=100, blank=True, help_text=_("e.g. Article 241"))
    description = models.CharField(_("in plain words"), max_length=300)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    # Change history: registered in translation.py, after the translated fields (lib/translation.py).

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("charge")
        verbose_name_plural = _("charges")

    def __str__(self):
        return f"{self.article}: {self.description}" if self.article else self.description


class CaseEvent(models.Model):
    class Kind(models.TextChoices):
        ARREST = "arrest", _("Arrest")
        CHARGE = "charge", _("Charge")
        TRIAL = "trial", _("Trial")
        SENTENCE = "sentence", _("Sentence")
        APPEAL = "appeal", pgettext_lazy("court", "Appeal")  # to a higher court, not a campaign's appeal
        TRANSFER = "transfer", _("Transfer")
        HUNGER_STRIKE = "hunger_strike", _("Hunger strike")
        HEALTH = "health", _("Health")
        TORTURE = "torture", _("Torture")
        RELEASE = "release", _("Release")
        PAROLE = "parole", _("Parole")
        STATEMENT = "statement", _("Statement")
        REPORT = "report", _("Report")
        OTHER = "other", _("Other")

    prisoner = models.ForeignKey(Prisoner, verbose_name=_("prisoner"), on_delete=models.CASCADE, related_name="events")
    date = models.DateField(_("date"), help_text=FUZZY_DATE_HELP)
    precision = models.CharField(_("precision"), max_length=5, choices=Precision, default=Precision.DAY)
    kind = models.CharField(
        _("kind"),
        max_length=20,
        choices=Kind,
        default=Kind.OTHER,
        help_text=_("“Report” when the date is the day a source reported something, not the day it happened."),
    )
    text = models.TextField(_("what happened"))
    source = models.ForeignKey(Source, verbose_name=_("source"), on_delete=models.SET_NULL, null=True, blank=True)
    source_url = models.URLField(_("source link"), max_length=500, blank=True)
    # Change history: registered in translation.py, after the translated fields (lib/translation.py).

    class Meta:
        # On one day, an exact date before a month or a year that sorts there ("day" < "month"
        # < "year"): an arrest on 16 August 2011 comes before the sentence known only as
        # "August 2011" that followed it. FUZZY_DATE_HELP tells organisers how to place one.
        ordering = ["date", "precision", "id"]
        verbose_name = _("timeline event")
        verbose_name_plural = _("timeline events")
        indexes = [models.Index(fields=["prisoner", "date"])]

    def __str__(self):
        return f"{self.date_display}: {self.get_kind_display()}"

    @property
    def date_display(self):
        return format_fuzzy_date(self.date, self.precision)

    @property
    def date_machine(self):
        return machine_date(self.date, self.precision)
