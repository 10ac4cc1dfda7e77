"""What the campaign writes to the people who asked: updates on a petition, an appeal or a
case, every send of one, and the alerts on a case with their subscribers.

A case's subscriber is kept like a signer (petitions/models.py): what proves "one
subscription per address" is a keyed fingerprint; the address itself is kept only while
they are subscribed, in a field of its own, and the row is deleted when they stop.
Nothing here is ever shown on a public page but an update's own subject and text, once sent.
"""

import datetime
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lib.crypto import EncryptedEmailField

# At most one update this often per petition, appeal or case, unless an Organiser says why.
UPDATE_INTERVAL = datetime.timedelta(days=7)
# At most one alert digest this often per subscriber, whatever the number of events.
DIGEST_INTERVAL = datetime.timedelta(days=1)


def new_nonce():
    return secrets.token_urlsafe(16)


class UpdateQuerySet(models.QuerySet):
    def published(self):
        """Sent updates: they are on their page and in its feed."""
        return self.filter(sent_at__isnull=False)


class Update(models.Model):
    """News for the people who asked, about one petition, appeal or case. Written in three
    languages; sent once, and then shown in the "News" section of its page."""

    petition = models.ForeignKey(
        "petitions.Petition",
        verbose_name=_("petition"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="updates",
    )
    appeal = models.ForeignKey(
        "appeals.Appeal",
        verbose_name=_("appeal"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="updates",
    )
    prisoner = models.ForeignKey(
        "prisoners.Prisoner",
        verbose_name=_("case"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="updates",
    )
    subject = models.CharField(_("subject"), max_length=200)
    text = models.TextField(_("text"), help_text=_("Plain text; a blank line starts a new paragraph."))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.SET_NULL,
        null=True,
        editable=False,
        related_name="+",
    )
    created_at = models.DateTimeField(_("written"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True, editable=False)

    objects = UpdateQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("update")
        verbose_name_plural = _("updates")
        permissions = [("send_update", _("Can send updates and alerts to the people who asked"))]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(petition__isnull=False, appeal__isnull=True, prisoner__isnull=True)
                    | Q(petition__isnull=True, appeal__isnull=False, prisoner__isnull=True)
                    | Q(petition__isnull=True, appeal__isnull=True, prisoner__isnull=False)
                ),
                name="update_is_about_one_thing",
            ),
        ]

    def __str__(self):
        return self.subject

    def get_absolute_url(self):
        return f"{self.about.get_absolute_url()}#update-{self.pk}"

    @property
    def about(self):
        """The petition, appeal or case the update is about."""
        return self.petition or self.appeal or self.prisoner


class UpdateSend(models.Model):
    """One update sent: by whom, when, to how many in each language, and why so soon after
    the one before, if it was. Kept for the history; it holds no address."""

    update = models.OneToOneField(Update, verbose_name=_("update"), on_delete=models.CASCADE, related_name="send")
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("sent by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)
    reason = models.TextField(
        _("why another update this week"), blank=True, help_text=_("Needed only within a week of the last update.")
    )
    recipients = models.JSONField(_("recipients by language"), default=dict)
    total = models.PositiveIntegerField(_("recipients"), default=0)
    delivered = models.PositiveIntegerField(_("emails sent so far"), default=0)

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = _("sent update")
        verbose_name_plural = _("sent updates")

    def __str__(self):
        return f"{self.update} · {self.sent_at:%Y-%m-%d %H:%M}"


class SubscriberQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed_at__isnull=False).exclude(email="")


class Subscriber(models.Model):
    """Someone who asked to be emailed when there is news about one case."""

    prisoner = models.ForeignKey(
        "prisoners.Prisoner", verbose_name=_("case"), on_delete=models.CASCADE, related_name="subscribers"
    )
    # Encrypted at rest like a signer's (SECURITY.md), found by email_hash.
    email = EncryptedEmailField(_("email"), max_length=254)
    email_hash = models.CharField(_("email fingerprint"), max_length=64, editable=False)
    # The language of the page they subscribed on: their emails, and the pages their links
    # open, are in it.
    language = models.CharField(_("language"), max_length=7, choices=settings.LANGUAGES, blank=True, default="")
    created_at = models.DateTimeField(_("asked"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    mailed_at = models.DateTimeField(_("last emailed"), null=True, blank=True, editable=False)
    # The alerts queued up to this moment have been sent to them (None: none yet).
    alerted_through = models.DateTimeField(null=True, blank=True, editable=False)
    nonce = models.CharField(max_length=22, default=new_nonce, editable=False)

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("case subscriber")
        verbose_name_plural = _("case subscribers")
        constraints = [
            models.UniqueConstraint(fields=["prisoner", "email_hash"], name="one_subscription_per_address"),
        ]

    def __str__(self):
        return f"subscriber #{self.pk}"


class CaseAlert(models.Model):
    """A timeline event an Organiser chose to tell the case's subscribers about. The worker
    sends each subscriber one digest a day at most of the alerts queued since their last."""

    event = models.OneToOneField(
        "prisoners.CaseEvent", verbose_name=_("timeline event"), on_delete=models.CASCADE, related_name="alert"
    )
    prisoner = models.ForeignKey(
        "prisoners.Prisoner", verbose_name=_("case"), on_delete=models.CASCADE, related_name="alerts"
    )
    queued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("queued by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    queued_at = models.DateTimeField(_("queued"), default=timezone.now)
    subscribers = models.PositiveIntegerField(_("subscribers when queued"), default=0)

    class Meta:
        ordering = ["-queued_at", "-id"]
        verbose_name = _("case alert")
        verbose_name_plural = _("case alerts")
        indexes = [models.Index(fields=["prisoner", "queued_at"])]

    def __str__(self):
        return f"{self.event}"
