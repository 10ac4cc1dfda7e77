"""Appeals (urgent actions), the people letters go to, and a count of letters sent.

The letter itself is rendered in letters.py from the organiser's model text; nothing a
supporter types is ever stored: LetterSent keeps the appeal, channel, country and date.
"""

import dataclasses
import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from .salutations import closing_for, salutation_for


class Target(models.Model):
    """Someone a letter goes to, or an address a copy goes to."""

    class Kind(models.TextChoices):
        HEAD_OF_STATE = "head_of_state", _("Head of state")
        MINISTER = "minister", _("Minister")
        GOVERNMENT = "government", _("Government office")
        EMBASSY = "embassy", _("Embassy")
        CONSULATE = "consulate", _("Consulate")
        CHIEF_EXECUTIVE = "chief_executive", _("Company's chief executive")
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

    class Form(models.TextChoices):
        NOT_KNOWN = "", _("Not known: both forms (мырза/ханым)")
        MAN = "man", _("A man (Mr, господин, мырза)")
        WOMAN = "woman", _("A woman (Madam, госпожа, ханым)")

    form_of_address = models.CharField(
        _("form of address"),
        max_length=5,
        choices=Form,
        blank=True,
        default=Form.NOT_KNOWN,
        help_text=_(
            "How the recipient is addressed where a language marks it: Russian «господин»/«госпожа», Kazakh "
            "«мырза»/«ханым». Leave it “not known” for an office whose holder changes, such as an embassy."
        ),
    )
    salutation = models.CharField(
        _("salutation"),
        max_length=100,
        blank=True,
        help_text=_(
            "How a letter to them opens, in each language, e.g. “Your Excellency,” or «Ваше превосходительство!». "
            "Empty: the default for this kind of recipient in that language."
        ),
    )
    closing = models.CharField(
        _("closing"),
        max_length=100,
        blank=True,
        help_text=_(
            "How a letter to them closes, above the sender's name, e.g. “Yours faithfully,”. Empty: the default "
            "for this kind of recipient in that language."
        ),
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
        """The salutation in the active language (salutations.py)."""
        return salutation_for(self, get_language())

    @property
    def ending(self):
        """The closing in the active language."""
        return closing_for(self, get_language())

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

    def _sources(self, covers):
        # From sources.all(), so that a page that prefetched them asks the database nothing.
        return [source for source in self.sources.all() if source.covers == covers and not source.disagrees]

    @property
    def has_conflicting_source(self):
        return any(source.disagrees for source in self.sources.all())

    @property
    def address_sources(self):
        """What the address rests on, as SourceSummary; an entry made before sources were
        recorded one by one rests on its source_url alone."""
        sources = self._sources(Source.Covers.ADDRESS)
        if not sources and self.source_url:
            sources = [Source(url=self.source_url, read_on=self.checked_on, covers=Source.Covers.ADDRESS)]
        return SourceSummary(sources)

    @property
    def accreditation_sources(self):
        return SourceSummary(self._sources(Source.Covers.ACCREDITATION))


class Source(models.Model):
    """One page or file an embassy entry's address (or its accreditation) was read at."""

    class Covers(models.TextChoices):
        ADDRESS = "address", _("the address and contact details")
        ACCREDITATION = "accreditation", _("that it serves this country")

    target = models.ForeignKey(Target, verbose_name=_("entry"), on_delete=models.CASCADE, related_name="sources")
    url = models.URLField(_("address of the source"), max_length=500)
    publisher = models.CharField(
        _("publisher"), max_length=200, help_text=_("Who published the page: “Spain's foreign ministry”.")
    )
    origin = models.CharField(
        _("first published by"),
        max_length=200,
        blank=True,
        help_text=_(
            "Where its information comes from, when the publisher copied it (a travel page copying the embassy's "
            "own list: the embassy). Sources with the same origin count as one. Empty: the publisher."
        ),
    )
    published = models.CharField(
        _("dated"),
        max_length=10,
        blank=True,
        validators=[RegexValidator(r"^\d{4}(-\d{2}(-\d{2})?)?$", _("A year, YYYY-MM or YYYY-MM-DD."))],
        help_text=_("The date the source gives itself (YYYY, YYYY-MM or YYYY-MM-DD). Empty: undated."),
    )
    read_on = models.DateField(_("read on"), help_text=_("The day someone read it."))
    covers = models.CharField(_("what it confirms"), max_length=20, choices=Covers, default=Covers.ADDRESS)
    excerpt = models.TextField(_("what it says"), blank=True)
    disagrees = models.BooleanField(
        _("disagrees with the entry"),
        default=False,
        help_text=_("It gives another address: kept as a warning, not counted as confirming the entry."),
    )
    from_data_file = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["target", "covers", "-published", "id"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def __str__(self):
        return f"{self.publisher or self.url} ({self.published or _('undated')})"

    @property
    def independent_key(self):
        return (self.origin or self.publisher or self.url).strip().casefold()

    @property
    def date(self):
        """(year, month or None) of the date the source gives itself, or None."""
        if not self.published:
            return None
        parts = self.published.split("-")
        return int(parts[0]), int(parts[1]) if len(parts) > 1 else None


@dataclasses.dataclass
class SourceSummary:
    """How many independent sources, and the newest one's date, in words for supporters."""

    sources: list

    @property
    def independent(self):
        return len({source.independent_key for source in self.sources})

    @property
    def newest(self):
        dates = [source.date for source in self.sources if source.date]
        return max(dates, key=lambda d: (d[0], d[1] or 0)) if dates else None

    @property
    def newest_words(self):
        """“May 2020”, or “2003” when the source gives only the year; "" when none is dated."""
        if not self.newest:
            return ""
        year, month = self.newest
        if month is None:
            return str(year)
        return date_format(datetime.date(year, month, 1), "YEAR_MONTH_FORMAT")

    @property
    def newest_read(self):
        read = [source.read_on for source in self.sources if source.read_on]
        return max(read) if read else None

    @property
    def is_weak(self):
        """One source only, or none dated in the last ten years: supporters are asked to check."""
        newest = self.newest
        return self.independent < 2 or newest is None or newest[0] < timezone.localdate().year - 10


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
    # Whom it went to, as the site addressed it (the appeal's recipients and the embassy for
    # the country): what organisers count letters, replies and returns by. Not personal.
    targets = models.ManyToManyField(Target, verbose_name=_("sent to"), blank=True, related_name="letters_sent")

    class Meta:
        ordering = ["-sent_on", "-id"]
        verbose_name = _("letter sent")
        verbose_name_plural = _("letters sent")

    def __str__(self):
        return f"{self.appeal} · {self.get_channel_display()} · {self.sent_on}"


class LetterOutcomeQuerySet(models.QuerySet):
    def published_replies(self):
        return self.filter(kind=LetterOutcome.Kind.REPLY, status=LetterOutcome.Status.PUBLISHED)


class LetterOutcome(models.Model):
    """What a supporter says came of a letter they sent: a reply, the letter back, or
    nothing. Reached through the private link they were given (appeals/outcomes.py), so it
    needs nothing about them; a reply's text or file is public only once an organiser
    publishes it."""

    class Kind(models.TextChoices):
        REPLY = "reply", _("A reply came")
        RETURNED = "returned", _("The letter came back")
        NOTHING = "nothing", _("Nothing yet")

    class Status(models.TextChoices):
        NEW = "new", _("Waiting for an organiser")
        PUBLISHED = "published", _("Published on the appeal")
        NOT_PUBLISHED = "not_published", _("Read, not published")

    letter = models.ForeignKey(
        LetterSent, verbose_name=_("letter sent"), on_delete=models.CASCADE, related_name="outcomes"
    )
    target = models.ForeignKey(
        Target,
        verbose_name=_("from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="outcomes",
        help_text=_("The recipient it is about. Empty: the supporter did not say."),
    )
    kind = models.CharField(_("what happened"), max_length=10, choices=Kind, db_index=True)
    text = models.TextField(_("reply as the supporter gave it"), blank=True)
    public_text = models.TextField(
        _("reply as published"),
        blank=True,
        help_text=_(
            "What the appeal's page shows once published: the reply, or a transcript of the file, without any "
            "name, address or number of the supporter's. Empty: the supporter's text."
        ),
    )
    file_name = models.CharField(_("file"), max_length=100, blank=True)
    file_type = models.CharField(max_length=50, blank=True, editable=False)
    # In the database, not the media folder: the media folder is public to anyone with the
    # address, and a reply may carry the supporter's name until an organiser has read it.
    file_data = models.BinaryField(blank=True, editable=False)
    status = models.CharField(_("status"), max_length=15, choices=Status, default=Status.NEW, db_index=True)
    reported_on = models.DateField(_("reported on"), default=timezone.localdate)

    objects = LetterOutcomeQuerySet.as_manager()

    class Meta:
        ordering = ["-reported_on", "-id"]
        verbose_name = _("reply or return")
        verbose_name_plural = _("replies and returns")

    def __str__(self):
        return f"{self.get_kind_display()} · {self.letter.appeal} · {self.reported_on}"

    @property
    def shown_text(self):
        return self.public_text or self.text


class DirectoryReport(models.Model):
    """A supporter's word that an embassy entry is wrong, or that one is missing. Nothing in
    the directory changes until an organiser accepts it and edits the entry."""

    class Kind(models.TextChoices):
        WRONG = "wrong", _("This address is wrong")
        MISSING = "missing", _("An embassy you don't list")

    class Status(models.TextChoices):
        NEW = "new", _("New")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    kind = models.CharField(_("report"), max_length=10, choices=Kind, default=Kind.WRONG)
    target = models.ForeignKey(
        Target,
        verbose_name=_("entry"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
        limit_choices_to={"kind__in": ["embassy", "consulate"]},
    )
    country = CountryField(_("country"), blank=True)
    details = models.TextField(_("what is wrong, or the embassy's details"))
    source = models.TextField(_("where the supporter read it"))
    email = models.EmailField(
        _("reporter's email"),
        blank=True,
        help_text=_("Only to ask them about the report; erased when the report is accepted or rejected."),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.NEW, db_index=True)
    created_on = models.DateField(_("reported on"), default=timezone.localdate)
    handled_on = models.DateField(_("handled on"), null=True, blank=True)
    organiser_note = models.TextField(_("notes for organisers"), blank=True)

    class Meta:
        ordering = ["status", "-created_on", "-id"]
        verbose_name = _("directory report")
        verbose_name_plural = _("directory reports")

    def __str__(self):
        about = self.target or (self.country.name if self.country else "")
        return f"{self.get_kind_display()}: {about}" if about else str(self.get_kind_display())

    def handle(self, status, today=None):
        """Accept or reject; the reporter's address goes, as it was only for questions about it."""
        self.status = status
        self.handled_on = today or timezone.localdate()
        self.email = ""
        self.save(update_fields=["status", "handled_on", "email"])
