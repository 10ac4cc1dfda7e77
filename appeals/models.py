"""Appeals (urgent actions), the people letters go to, and a count of letters sent.

The letter itself is rendered in letters.py from the organiser's model text; nothing a
supporter types is ever stored: LetterSent keeps the appeal, channel, country and date.
"""

import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords


class Target(models.Model):
    """Someone a letter goes to, or an address a copy goes to."""

    class Kind(models.TextChoices):
        HEAD_OF_STATE = "head_of_state", _("Head of state")
        GOVERNMENT = "government", _("Government office")
        EMBASSY = "embassy", _("Embassy")
        CONSULATE = "consulate", _("Consulate")
        COMPANY = "company", _("Company")
        PROFESSIONAL_BODY = "professional_body", _("Professional body")
        OTHER = "other", _("Other")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind, default=Kind.OTHER, db_index=True)
    name = models.CharField(_("name"), max_length=200, help_text=_("A person, or the office itself."))
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    postal_address = models.TextField(_("postal address"), blank=True)
    email = models.EmailField(_("email"), max_length=254, blank=True)
    fax = models.CharField(_("fax"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=200, blank=True)
    salutation = models.CharField(
        _("salutation"),
        max_length=100,
        blank=True,
        help_text=_("How a letter to them opens, e.g. “Your Excellency,”. Empty: “Dear Sir or Madam,”."),
    )
    country = CountryField(
        _("host country"),
        blank=True,
        db_index=True,
        help_text=_(
            "For an embassy or consulate: the country it serves (an embassy of Kazakhstan in France: France). "
            "An embassy in Sweden that is also accredited to Denmark is entered twice, once for each country."
        ),
    )
    based_in = CountryField(
        _("based in"),
        blank=True,
        help_text=_(
            "Only for an embassy serving a country where Kazakhstan has no embassy of its own: the country it "
            "is in (Sweden, for Denmark). Letters then say so. Empty: it is in the host country."
        ),
    )
    source_url = models.URLField(
        _("source"),
        max_length=500,
        blank=True,
        help_text=_("The page the address was read from, shown to supporters."),
    )
    checked_on = models.DateField(
        _("address checked on"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("The day someone last read the address at its source. Shown to supporters."),
    )
    notes = models.TextField(_("notes for organisers"), blank=True)
    key = models.CharField(max_length=50, unique=True, null=True, blank=True, editable=False)

    # Change history: registered in translation.py, after the translated fields (lib/translation.py).

    class Meta:
        ordering = ["kind", "country", "name"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        indexes = [models.Index(fields=["kind", "country"])]

    def __str__(self):
        if self.kind == self.Kind.EMBASSY and self.country:
            return f"{self.name} ({self.country.name})"
        return f"{self.name}, {self.organisation}" if self.organisation else self.name

    @property
    def display_name(self):
        # "Embassy of the Republic of Kazakhstan in France" already names its organisation.
        if not self.organisation or self.organisation in self.name:
            return self.name
        return f"{self.name}, {self.organisation}"

    @property
    def opening(self):
        return self.salutation or _("Dear Sir or Madam,")

    @property
    def source_host(self):
        """What a link to the source reads as: the site's name, not a long address."""
        host = urlsplit(self.source_url).hostname or ""
        return host.removeprefix("www.")

    @property
    def is_accredited_from_abroad(self):
        return bool(self.based_in) and self.based_in != self.country

    def needs_checking(self, today=None):
        """Not read at its source in the last 12 months (or never)."""
        return self.checked_on is None or self.checked_on < stale_before(today)


# Addresses not read at their source for this long are flagged to organisers.
CHECK_EVERY_DAYS = 365


def stale_before(today=None):
    return (today or timezone.localdate()) - datetime.timedelta(days=CHECK_EVERY_DAYS)


class AppealQuerySet(models.QuerySet):
    def public(self):
        return self.exclude(status=Appeal.Status.DRAFT)

    def active(self):
        return self.filter(status=Appeal.Status.ACTIVE)

    def with_counts(self):
        return self.annotate(
            sent_count=Count("letters_sent", distinct=True),
            country_count=Count("letters_sent__country", distinct=True, filter=~Q(letters_sent__country="")),
        )


class Appeal(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("Active")
        CLOSED = "closed", _("Closed")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.DRAFT, db_index=True)
    summary = models.CharField(_("summary"), max_length=300, help_text=_("One line, shown in lists."))
    background = models.TextField(_("background"), blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    goes_to_embassy = models.BooleanField(
        _("also goes to the Kazakhstan embassy in the supporter's country"),
        default=False,
        help_text=_("The embassy for the country the supporter chooses is added from the embassy directory."),
    )
    prisoners = models.ManyToManyField(
        "prisoners.Prisoner", verbose_name=_("prisoners"), blank=True, related_name="appeals"
    )
    source_note = models.TextField(
        _("source"), blank=True, help_text=_("Where the appeal comes from, shown on its page.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = AppealQuerySet.as_manager()

    # Change history: registered in translation.py, after the translated fields (lib/translation.py).

    class Meta:
        ordering = ["status", "-created_at"]  # "active" sorts before "closed" and "draft"
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("appeals:detail", args=[self.slug])

    @property
    def is_closed(self):
        return self.status == self.Status.CLOSED

    @property
    def is_past_deadline(self):
        return self.deadline is not None and self.deadline < timezone.localdate()


class Demand(models.Model):
    appeal = models.ForeignKey(Appeal, verbose_name=_("appeal"), on_delete=models.CASCADE, related_name="demands")
    text = models.TextField(_("demand"))
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    # Change history: registered in translation.py, after the translated fields (lib/translation.py).

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("demand")
        verbose_name_plural = _("demands")

    def __str__(self):
        return self.text[:80]


class Recipient(models.Model):
    """A target an appeal's letter goes to, or is copied to, in order."""

    class Role(models.TextChoices):
        TO = "to", _("To")
        CC = "cc", _("Copy to")

    appeal = models.ForeignKey(Appeal, verbose_name=_("appeal"), on_delete=models.CASCADE, related_name="recipients")
    target = models.ForeignKey(Target, verbose_name=_("target"), on_delete=models.PROTECT, related_name="recipients")
    role = models.CharField(_("role"), max_length=2, choices=Role, default=Role.TO)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["role", "position", "id"]
        verbose_name = _("recipient")
        verbose_name_plural = _("recipients")
        constraints = [
            models.UniqueConstraint(fields=["appeal", "target", "role"], name="recipient_once_per_role"),
        ]

    def __str__(self):
        return f"{self.get_role_display()}: {self.target}"


class LetterText(models.Model):
    """The model letter in one language. Placeholders are listed in letters.PLACEHOLDERS."""

    appeal = models.ForeignKey(Appeal, verbose_name=_("appeal"), on_delete=models.CASCADE, related_name="letters")
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES, default="en")
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("body"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["appeal", "language"]
        verbose_name = _("letter text")
        verbose_name_plural = _("letter texts")
        constraints = [models.UniqueConstraint(fields=["appeal", "language"], name="one_letter_per_language")]

    def __str__(self):
        return f"{self.appeal} ({self.get_language_display()})"


class LetterSent(models.Model):
    """One letter a supporter says they sent. Deliberately nothing about who sent it."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("By email")
        POST = "post", _("By post")
        FAX = "fax", _("By fax")
        OTHER = "other", _("Another way")

    appeal = models.ForeignKey(Appeal, verbose_name=_("appeal"), on_delete=models.CASCADE, related_name="letters_sent")
    channel = models.CharField(_("channel"), max_length=10, choices=Channel, default=Channel.EMAIL)
    country = CountryField(_("country"), blank=True)
    sent_on = models.DateField(_("date"), default=timezone.localdate)

    class Meta:
        ordering = ["-sent_on", "-id"]
        verbose_name = _("letter sent")
        verbose_name_plural = _("letters sent")

    def __str__(self):
        return f"{self.appeal} · {self.get_channel_display()} · {self.sent_on}"
