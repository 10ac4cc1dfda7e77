"""Operations on updates and alerts that span several models: sending an update (once,
recorded, never more than once a week per petition, appeal or case without a reason),
subscribing to a case, and queueing the alerts' digests.

Views, the admin and the email worker all go through these functions; who gets what, and
the emails themselves, are in mail.py.
"""

import datetime

from django.conf import settings
from django.core.mail import get_connection
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from appeals.models import Appeal
from lib import crypto
from petitions.models import Petition
from petitions.services import email_fingerprint, forgets
from prisoners.models import CaseEvent, Prisoner

from . import mail, tasks
from .models import DIGEST_INTERVAL, UPDATE_INTERVAL, CaseAlert, Subscriber, Update, UpdateSend


def LANGUAGE_NAMES():  # noqa: N802 - read each time: the names are in the admin's language
    return [(code, str(name)) for code, name in settings.LANGUAGES]


# The timeline events worth an email to a case's subscribers; the rest (a statement, a
# report) reach them on the page and in its feed.
ALERT_KINDS = (
    CaseEvent.Kind.TRIAL,
    CaseEvent.Kind.SENTENCE,
    CaseEvent.Kind.APPEAL,
    CaseEvent.Kind.HUNGER_STRIKE,
    CaseEvent.Kind.HEALTH,
    CaseEvent.Kind.TRANSFER,
    CaseEvent.Kind.RELEASE,
    CaseEvent.Kind.PAROLE,
)


# --- sending -----------------------------------------------------------------------------


class AlreadySent(Exception):
    """An update goes out once."""


class TooSoon(Exception):
    """Another update about the same petition, appeal or case went out less than a week ago,
    and no reason was given."""

    def __init__(self, previous):
        super().__init__(f"An update went out at {previous.sent_at}.")
        self.previous = previous


def previous_send(update):
    """The latest send of another update about the same thing, or None."""
    about = {"petition": "update__petition_id", "appeal": "update__appeal_id", "prisoner": "update__prisoner_id"}
    for field, lookup in about.items():
        value = getattr(update, f"{field}_id")
        if value:
            return UpdateSend.objects.filter(**{lookup: value}).exclude(update=update).order_by("-sent_at").first()
    return None


def needs_reason(update, now=None):
    """The send within UPDATE_INTERVAL of which this one would be, or None."""
    previous = previous_send(update)
    if previous and (now or timezone.now()) - previous.sent_at < UPDATE_INTERVAL:
        return previous
    return None


def _lock_subject(update):
    """Lock the petition, appeal or case: two updates about it sent at one moment are one
    after the other, so the second sees the first's send."""
    for model, value in ((Petition, update.petition_id), (Appeal, update.appeal_id), (Prisoner, update.prisoner_id)):
        if value:
            list(model.objects.select_for_update().filter(pk=value).values_list("pk"))


def send_update(update, user, reason="", now=None):
    """Send `update` to the people who asked (recipients()), through the email worker.
    Raises AlreadySent, or TooSoon when another update about the same thing went out less
    than UPDATE_INTERVAL ago and `reason` is empty. Returns the UpdateSend that records it."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    with transaction.atomic():
        _lock_subject(update)
        locked = Update.objects.select_for_update().get(pk=update.pk)
        if locked.sent_at:
            raise AlreadySent
        previous = needs_reason(locked, now)
        if previous and not reason:
            raise TooSoon(previous)
        rows = mail.recipients(locked)
        send = UpdateSend.objects.create(
            update=locked,
            sent_by=user,
            sent_at=now,
            reason=reason,
            recipients=mail.by_language(rows),
            total=len(rows),
        )
        Update.objects.filter(pk=locked.pk).update(sent_at=now)
        update.sent_at = now
        transaction.on_commit(lambda: tasks.fan_out_update.enqueue(send.pk))
    return send


def send_test(update, address):
    """The update in every language to `address` (the Organiser's own), marked as a test.
    Returns how many were sent."""
    messages = []
    marker = _("Test")
    for _code, message in mail.preview(update):
        message.subject = f"[{marker}] {message.subject}"
        message.to = [address]
        messages.append(message)
    with get_connection() as connection:
        return connection.send_messages(messages) or 0


# --- subscribing to a case -------------------------------------------------------------------


def subscribe(prisoner, address, language=None):
    """Ask for alerts on `prisoner` with `address`. The same work whether the address is new,
    waiting or subscribed, so a stranger learns nothing: a row added if none, and a task that
    mails the address (tasks.mail_subscriber decides what, and whether it is too soon)."""
    language = language if language is not None else (translation.get_language() or "")
    email_hash = email_fingerprint(address)
    try:
        with transaction.atomic():
            Subscriber.objects.bulk_create(
                [Subscriber(prisoner=prisoner, email=address, email_hash=email_hash, language=language)],
                ignore_conflicts=True,
            )
    except IntegrityError:  # pragma: no cover - ignore_conflicts covers the race
        pass
    # A queued task's arguments sit in the database until it has run: the address goes in
    # encrypted, as it is on the row.
    _enqueue_after_commit(tasks.mail_subscriber, prisoner.pk, email_hash, crypto.encrypt(address), language)


def _enqueue_after_commit(task, *args):
    transaction.on_commit(lambda: task.enqueue(*args))


def confirm_subscriber(subscriber, now=None):
    """True if this call confirmed it."""
    now = now or timezone.now()
    changed = Subscriber.objects.filter(pk=subscriber.pk, confirmed_at__isnull=True).update(confirmed_at=now)
    if changed:
        subscriber.confirmed_at = now
    return bool(changed)


def unsubscribe(subscriber):
    """They want no more: the row, address and all, is deleted."""
    Subscriber.objects.filter(pk=subscriber.pk).delete()


def purge_unconfirmed_subscribers(days, now=None):
    cutoff = (now or timezone.now()) - datetime.timedelta(days=days)
    deleted, _by_model = Subscriber.objects.filter(confirmed_at__isnull=True, created_at__lt=cutoff).delete()
    return deleted


# --- alerts -------------------------------------------------------------------------------


def alert_kind(event):
    return event.kind in ALERT_KINDS


def queue_alert(event, user, now=None):
    """Queue `event` for the case's subscribers; their digests go out through the worker,
    one a day at most each. Returns the CaseAlert, or None if it was queued before."""
    now = now or timezone.now()
    with transaction.atomic():
        alert, created = CaseAlert.objects.get_or_create(
            event=event,
            defaults={
                "prisoner_id": event.prisoner_id,
                "queued_by": user,
                "queued_at": now,
                "subscribers": Subscriber.objects.filter(prisoner_id=event.prisoner_id).confirmed().count(),
            },
        )
        if created:
            transaction.on_commit(queue_due_digests)
    return alert if created else None


DIGEST_QUEUE_BATCH = 500


def queue_due_digests(now=None, limit=DIGEST_QUEUE_BATCH):
    """Queue a digest for each confirmed subscriber who has alerts queued since their last one
    and had none in the last DIGEST_INTERVAL. Called when an alert is queued, and every
    minute by the email worker, which sends those that had to wait. Returns how many."""
    now = now or timezone.now()
    since = Coalesce(OuterRef("alerted_through"), OuterRef("confirmed_at"))
    waiting = CaseAlert.objects.filter(prisoner_id=OuterRef("prisoner_id"), queued_at__gt=since, queued_at__lte=now)
    with transaction.atomic():
        due = list(
            Subscriber.objects.select_for_update(skip_locked=True, of=("self",))
            .confirmed()
            .filter(Exists(waiting))
            .filter(Q(alerted_through__isnull=True) | Q(alerted_through__lte=now - DIGEST_INTERVAL))
            .order_by("pk")[:limit]
        )
        spaced = tasks.send_case_digest.get_backend().supports_defer
        for position, subscriber in enumerate(due):
            start = (subscriber.alerted_through or subscriber.confirmed_at).isoformat()
            task = tasks.send_case_digest
            if spaced and mail.emails_per_minute():
                task = task.using(run_after=now + mail.spacing(position, 1))
            _enqueue_after_commit(task, subscriber.pk, start, now.isoformat())
        if due:
            Subscriber.objects.filter(pk__in=[s.pk for s in due]).update(alerted_through=now)
    return len(due)


@forgets
def forget_subscriptions(address):
    """ "Forget me everywhere": every case whose alerts the address asked for."""
    deleted, _by_model = Subscriber.objects.filter(email_hash=email_fingerprint(address)).delete()
    return [
        (
            deleted,
            ngettext("%(n)d subscription to a case's news", "%(n)d subscriptions to a case's news", deleted)
            % {"n": deleted},
        )
    ]
