"""The email of updates and alerts, sent by django-tasks (petitions/tasks.py says how).

Every task here but the subscriber's own link runs at NEWS_PRIORITY, below the confirmation
links (priority 0): the worker takes the ready task of highest priority first, so a new
signer's link never waits behind a large send, only, at most, behind the one batch being
sent. Batches are spaced at UPDATE_EMAILS_PER_MINUTE, so the worker is mostly idle during a
send and a confirmation usually goes at once.
"""

import datetime
import logging

from django.core.mail import get_connection
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django_tasks import task

from lib import crypto
from petitions.tasks import NEWS_PRIORITY, RESEND_AFTER

from . import mail
from .models import Subscriber, UpdateSend

logger = logging.getLogger(__name__)


@task(priority=NEWS_PRIORITY)
def fan_out_update(send_id):
    """Queue an update's batches, each due a little after the one before. Returns how many
    recipients they hold."""
    send = UpdateSend.objects.select_related("update").filter(pk=send_id).first()
    if send is None:
        return 0
    rows = mail.recipients(send.update)
    size = mail.batch_size()
    spaced = send_update_batch.get_backend().supports_defer
    start = timezone.now()
    batches = {}
    for kind, pk, _language in rows:
        batches.setdefault(kind, []).append(pk)
    position = 0
    for kind, ids in batches.items():
        for first in range(0, len(ids), size):
            batch = send_update_batch
            if spaced:
                batch = batch.using(run_after=start + mail.spacing(position, size))
            batch.enqueue(send_id, kind, ids[first : first + size])
            position += 1
    return len(rows)


@task(priority=NEWS_PRIORITY)
def send_update_batch(send_id, kind, ids):
    """One batch of an update, over one connection to the mail server. Whoever stopped since
    it was queued (unsubscribed, withdrew) is skipped."""
    send = UpdateSend.objects.select_related("update__petition", "update__appeal", "update__prisoner").filter(
        pk=send_id
    )
    send = send.first()
    if send is None:
        return 0
    people = mail.recipients_for_batch(kind, ids)
    if not people:
        return 0
    with get_connection() as connection:
        messages = [mail.update_message(send.update, person, connection=connection) for person in people]
        sent = connection.send_messages(messages) or 0
    UpdateSend.objects.filter(pk=send_id).update(delivered=F("delivered") + sent)
    return sent


@task()
def mail_subscriber(prisoner_id, email_hash, address, language=""):
    """Someone asked for alerts on a case: the link to confirm, to a new or waiting address
    (where, and in the language, they asked this time), or a note to one already subscribed
    (only its owner learns that). Nothing if it was mailed in the last RESEND_AFTER. A
    subscriber's link is a confirmation: it goes at the priority of signers' links. The
    address comes encrypted (services.subscribe)."""
    address = crypto.decrypt(address)
    with transaction.atomic():
        subscriber = (
            Subscriber.objects.select_for_update()
            .select_related("prisoner")
            .filter(prisoner_id=prisoner_id, email_hash=email_hash)
            .first()
        )
        now = timezone.now()
        if subscriber is None or (subscriber.mailed_at and now - subscriber.mailed_at < RESEND_AFTER):
            return
        update = {"mailed_at": now}
        if subscriber.confirmed_at is None:
            update["email"] = subscriber.email = address
            update["language"] = subscriber.language = language
        Subscriber.objects.filter(pk=subscriber.pk).update(**update)
    if subscriber.confirmed_at is None:
        mail.subscription_message(subscriber, "confirm").send()
    else:
        with translation.override(subscriber.language or None):
            message = mail.subscription_message(subscriber, "already_subscribed")
        message.to = [address]
        message.send()


@task(priority=NEWS_PRIORITY)
def send_case_digest(subscriber_id, since, until):
    """The alerts queued for a subscriber's case between `since` and `until`, in one email."""
    subscriber = Subscriber.objects.select_related("prisoner").confirmed().filter(pk=subscriber_id).first()
    if subscriber is None:
        return 0
    alerts = mail.alerts_between(
        subscriber, datetime.datetime.fromisoformat(since), datetime.datetime.fromisoformat(until)
    )
    if not alerts:
        return 0
    mail.digest_message(subscriber, alerts).send()
    return len(alerts)
