"""Petitions, their signatures, paper batches, and the sharded signature counts.

Signers are watched by the regime the campaign opposes, so a signature keeps as little as
it can: the address is kept in the clear only while it is needed (to send the
confirmation link, and afterwards only for signers who asked for updates); what proves
"one signature per address" is a keyed hash of the normalised address. The signer's IP
address is not kept at all, not even as a hash. Signatures have no change history: a withdrawn
signature must be gone, not kept in a history table.
"""

import datetime
import secrets

from django.conf import settings
from django.db import models
from django.db.models import OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from lib.crypto import EncryptedCharField, EncryptedEmailField, EncryptedTextField
from lib.hashing import name_fingerprint


class PetitionQuerySet(models.QuerySet):
    def public(self):
        return self.exclude(status=Petition.Status.DRAFT)

    def taking_signatures(self):
        today = timezone.localdate()
        return self.filter(status=Petition.Status.OPEN).filter(Q(deadline__isnull=True) | Q(deadline__gte=today))

    def with_totals(self):
        """Each petition's confirmed signatures as `total`, from its counter shards."""
        shards = (
            SignatureCount.objects.filter(petition=OuterRef("pk"))
            .values("petition")
            .annotate(total=Sum("n"))
            .values("total")
        )
        return self.annotate(total=Coalesce(Subquery(shards), 0))


class SignatureQuerySet(models.QuerySet):
    def confirmed(self):
        """The signatures that count: confirmed by their signer or an organiser, or keyed in
        from paper."""
        return self.filter(status=Signature.Status.CONFIRMED)

    def listed(self, petition):
        """The signers of `petition` who may be named, on its public list and in the
        hand-over pack: confirmed, listed by their own choice, and only where the petition
        lists signers. Takes the petition so that one that lists nobody costs no query."""
        if not petition.list_signers:
            return self.none()
        return self.confirmed().filter(petition=petition, public=True)

    def newest_listed(self, petition, count, before=None):
        """The newest `count` listed signers of `petition` (older than the id `before`).

        The ids come from the list's own index first (signature_public_list), then the rows
        by id: asked for in one go, PostgreSQL takes listed signers to be spread evenly among
        the others and walks the primary key backwards, filtering, which after a burst of
        unlisted signatures read 22,000 rows for ten (4-20 ms; 0.2 ms this way, measured on
        a 1,000,000-signature petition). One query all the same."""
        ids = self.listed(petition)
        if before:
            ids = ids.filter(id__lt=before)
        ids = ids.order_by("-id").values("id")[:count]
        return self.filter(id__in=Subquery(ids)).order_by("-id")

    def named(self, name):
        """Signatures by a whole name, however spaced or cased (names are encrypted: found
        by their fingerprint)."""
        return self.filter(name_hash=name_fingerprint(name))

    def wanting_updates(self):
        """Confirmed signers who asked for updates and whose address we still have."""
        return self.confirmed().filter(wants_updates=True).exclude(email="")


# The hand-over's texts, each written in English, Russian and Kazakh.
DELIVERY_TEXTS = ["delivered_where", "delivered_to", "delivery_note"]


class Petition(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")
        DELIVERED = "delivered", _("Delivered")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.DRAFT, db_index=True)
    summary = models.CharField(_("summary"), max_length=300, blank=True, help_text=_("One line, shown in lists."))
    text = models.TextField(_("text of the petition"))
    addressed_to = models.CharField(
        _("addressed to"), max_length=300, help_text=_("Who the petition is handed to, e.g. “KazMinerals plc, London”.")
    )
    goal = models.PositiveIntegerField(_("goal"), null=True, blank=True, help_text=_("Signatures aimed for."))
    goal_note = models.CharField(
        _("where the goal comes from"),
        max_length=200,
        blank=True,
        help_text=_(
            "Shown beside the goal, e.g. “set by this site”, so that a figure no document gives is not read as "
            "another organisation's."
        ),
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True, help_text=_("The last day to sign."))
    list_signers = models.BooleanField(
        _("signers may be listed publicly"),
        default=True,
        help_text=_(
            "Signers who agree are listed on the site (name, town or country, organisation) and in the hand-over "
            "pack. Off: nobody is named anywhere, on the site, in its feeds or in the hand-over pack, and the page "
            "and the pack count signers by country and by town instead."
        ),
    )
    prisoners = models.ManyToManyField(
        "prisoners.Prisoner", verbose_name=_("prisoners"), blank=True, related_name="petitions"
    )
    appeals = models.ManyToManyField("appeals.Appeal", verbose_name=_("appeals"), blank=True, related_name="petitions")
    source_note = models.TextField(
        _("source"), blank=True, help_text=_("Where the petition comes from, shown on its page.")
    )
    # The hand-over: filled in by organisers when the petition is delivered. Its texts are
    # written in each language (DELIVERY_TEXTS, translation.py).
    delivered_on = models.DateField(_("delivered on"), null=True, blank=True)
    delivered_where = models.CharField(_("delivered where"), max_length=300, blank=True)
    delivered_to = models.CharField(_("delivered to"), max_length=300, blank=True)
    delivery_note = models.TextField(_("about the hand-over"), blank=True)
    delivery_photo = models.ImageField(_("photo of the hand-over"), upload_to="petitions/", blank=True)
    # Set when the news of the delivery is queued for the signers: it goes out once.
    signers_told_at = models.DateTimeField(_("signers told of the delivery"), null=True, blank=True, editable=False)
    # The digest of the hand-over list (handover.py, SECURITY.md "The hand-over list"),
    # fixed when the delivery is recorded and shown on the public page from then on.
    handover_digest = models.CharField(_("digest of the hand-over list"), max_length=64, blank=True, editable=False)
    handover_rows = models.PositiveIntegerField(_("names in the hand-over list"), null=True, blank=True, editable=False)
    # When the petition stopped being open (closed or delivered): its signers' personal
    # details are deleted PERSONAL_DATA_RETENTION_DAYS later (services.forget_finished).
    finished_on = models.DateField(_("closed on"), null=True, blank=True, editable=False)
    signers_forgotten_on = models.DateField(_("signers' details deleted on"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = PetitionQuerySet.as_manager()
    # Change history: registered in translation.py, after the translated fields (lib/translation.py).

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("petition")
        verbose_name_plural = _("petitions")

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # The day it was closed or delivered starts the count towards forgetting its
        # signers; reopened, it starts again when it next closes.
        if self.status in (self.Status.CLOSED, self.Status.DELIVERED):
            if self.finished_on is None:
                self.finished_on = timezone.localdate()
        elif self.status in (self.Status.OPEN, self.Status.DRAFT):
            self.finished_on = None
        if kwargs.get("update_fields") is not None and "status" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "finished_on"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("petitions:detail", args=[self.slug])

    def forget_signers_on(self):
        """The day the daily purge deletes its signers' personal details, or None while
        it is open (or once they are deleted)."""
        if self.finished_on is None or self.signers_forgotten_on:
            return None
        return self.finished_on + datetime.timedelta(days=settings.PERSONAL_DATA_RETENTION_DAYS)

    @property
    def is_past_deadline(self):
        return self.deadline is not None and self.deadline < timezone.localdate()

    @property
    def takes_signatures(self):
        return self.status == self.Status.OPEN and not self.is_past_deadline

    @property
    def is_delivered(self):
        return self.status == self.Status.DELIVERED

    def count_by_country(self):
        """{country code: confirmed signatures}, from the counter shards: one query whose
        cost depends on the number of countries, not of signatures."""
        rows = SignatureCount.objects.filter(petition=self).values_list("country").annotate(total=Sum("n")).order_by()
        return {country: total for country, total in rows if total}

    def confirmed_count(self):
        return SignatureCount.objects.filter(petition=self).aggregate(total=Sum("n"))["total"] or 0


class PaperBatch(models.Model):
    """Signatures collected on paper sheets at one place and time, keyed in by organisers."""

    petition = models.ForeignKey(
        Petition, verbose_name=_("petition"), on_delete=models.CASCADE, related_name="paper_batches"
    )
    collected_where = models.CharField(_("collected where"), max_length=200)
    collected_on = models.DateField(_("collected on"), default=timezone.localdate)
    collected_by = models.CharField(_("collected by"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    language = models.CharField(
        _("language of the sheets"),
        max_length=7,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("The language the signers read the sheet in: the news of the hand-over reaches them in it."),
    )
    created_at = models.DateTimeField(_("keyed in"), auto_now_add=True)

    class Meta:
        ordering = ["-collected_on", "-id"]
        verbose_name = _("paper batch")
        verbose_name_plural = _("paper batches")

    def __str__(self):
        return f"{self.collected_where}, {self.collected_on:%Y-%m-%d}"


def new_nonce():
    return secrets.token_urlsafe(16)


class Signature(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for confirmation")
        CONFIRMED = "confirmed", _("Confirmed")
        REJECTED = "rejected", _("Rejected")

    class Source(models.TextChoices):
        ONLINE = "online", _("Online")
        PAPER = "paper", _("Paper")

    petition = models.ForeignKey(
        Petition, verbose_name=_("petition"), on_delete=models.CASCADE, related_name="signatures"
    )
    # What names a signer is encrypted in the database (lib/crypto.py): a dump or a backup
    # without the key names nobody. Found by their whole value through the fingerprints.
    name = EncryptedCharField(_("name"), max_length=100)
    name_hash = models.CharField(
        _("name fingerprint"), max_length=64, blank=True, default="", db_default="", db_index=True, editable=False
    )
    email = EncryptedEmailField(
        _("email"),
        max_length=254,
        blank=True,
        help_text=_("Kept only until the signature is confirmed, or for signers who asked for updates."),
    )
    # NULL for a signature with no address (paper), so that the one-per-address constraint
    # needs no condition and signing can be one INSERT … ON CONFLICT (services.sign).
    email_hash = models.CharField(
        _("email fingerprint"),
        max_length=64,
        null=True,
        blank=True,
        default=None,
        editable=False,
        help_text=_("A keyed hash of the normalised address: one signature per address, without keeping it."),
    )
    country = CountryField(_("country"), blank=True)
    town = EncryptedCharField(_("town"), max_length=100, blank=True)
    organisation = EncryptedCharField(_("organisation or trade union"), max_length=150, blank=True)
    comment = EncryptedTextField(_("comment"), max_length=1000, blank=True)
    public = models.BooleanField(_("listed publicly"), default=False)
    wants_updates = models.BooleanField(_("wants updates"), default=False)
    # The language of the page the signer signed on (of the sheet, for paper signatures):
    # their emails, and the pages their links open, are in it. Blank: the site's first language.
    language = models.CharField(_("language"), max_length=7, choices=settings.LANGUAGES, blank=True, db_default="")
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PENDING)
    source = models.CharField(_("source"), max_length=10, choices=Source, default=Source.ONLINE)
    paper_batch = models.ForeignKey(
        PaperBatch,
        verbose_name=_("paper batch"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="signatures",
    )
    possible_duplicate = models.BooleanField(
        _("possible duplicate"),
        default=False,
        help_text=_("A paper signature whose name or address matches another signature of this petition."),
    )
    created_at = models.DateTimeField(_("signed"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    mailed_at = models.DateTimeField(_("last emailed"), null=True, blank=True, editable=False)
    # The signature's outbox: signing marks its address as due a mail, and the email worker
    # (services.queue_due_mail) turns the marks into queued email, so that a signature is
    # one row written, not a row and a task. Signing again with the address marks it again,
    # with the address as typed that time and the page's language, until the mail is queued.
    mail_due = models.BooleanField(default=False, db_default=False, editable=False)
    resend_to = EncryptedEmailField(max_length=254, blank=True, db_default="", editable=False)
    resend_language = models.CharField(max_length=7, blank=True, db_default="", editable=False)
    # Signed through the onion address (ONION_HOST): the mail it is due links there, never to
    # the clear site (lib/origin.py). The same for the signing that marked it due again.
    onion = models.BooleanField(default=False, db_default=False, editable=False)
    resend_onion = models.BooleanField(default=False, db_default=False, editable=False)
    # Part of every link we mail: a link stops working once its signature is gone, even
    # where the database reuses the id (SQLite does).
    nonce = models.CharField(max_length=22, default="", editable=False)
    # The signer's line in the hand-over list, fixed when the delivery is recorded
    # (handover.seal_list): they can see from their own link that they are in it.
    handover_row = models.PositiveIntegerField(_("row in the hand-over list"), null=True, blank=True, editable=False)
    handover_hash = models.CharField(
        _("row hash in the hand-over list"), max_length=64, blank=True, db_default="", editable=False
    )

    objects = SignatureQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        permissions = [
            ("export_signatures", _("Can export signatures")),
            ("handover_pack", _("Can make hand-over packs")),
        ]
        constraints = [
            # One signature per address per petition, whatever two requests race to do.
            models.UniqueConstraint(fields=["petition", "email_hash"], name="one_signature_per_address"),
        ]
        indexes = [
            # The public list of signers, newest first, page by page.
            models.Index(fields=["petition", "status", "public", "-id"], name="signature_public_list"),
            # The retention purge and the organisers' "waiting" filter.
            models.Index(fields=["status", "created_at"], name="signature_status_created"),
            # The dashboard's signatures per day.
            models.Index(fields=["petition", "confirmed_at"], name="signature_confirmed_at"),
            # The few signatures waiting for their mail to be queued, found without a scan.
            models.Index(fields=["id"], condition=Q(mail_due=True), name="signature_mail_due"),
        ]

    def __str__(self):
        return f"{self.name or f'#{self.pk}'} · {self.petition}"

    def save(self, *args, **kwargs):
        if not self.nonce:
            self.nonce = new_nonce()
        self.name_hash = name_fingerprint(self.name)
        if kwargs.get("update_fields") is not None and "name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "name_hash"}
        super().save(*args, **kwargs)

    @property
    def place(self):
        """What the public list shows of where a signer is: the town, else the country."""
        return self.town or (self.country.name if self.country else "")


class SignatureCount(models.Model):
    """Confirmed signatures of one petition from one country, split over SHARDS rows.

    The UK Parliament's petitions site fell over when every signature updated one counter
    row: each confirmation waited for the row lock the one before held. Here a confirmation
    adds 1 to one of SHARDS rows for its country, picked at random, in the same transaction
    that confirms the signature, so concurrent confirmations rarely wait for each other and
    the count is exact: it can never differ from the confirmed signatures, since both change
    together or not at all. Reading the count sums a few dozen rows, whatever the number
    of signatures (services.recount rebuilds them from the signatures if ever needed).
    """

    SHARDS = 16

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="counts")
    country = models.CharField(max_length=2, blank=True)
    shard = models.PositiveSmallIntegerField()
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["petition", "country", "shard"], name="one_counter_per_shard"),
        ]

    def __str__(self):
        return f"{self.petition_id}/{self.country or '-'}/{self.shard}: {self.n}"
