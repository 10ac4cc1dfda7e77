"""Email to signers, sent by django-tasks: inline in `make run` and the tests
(TASKS_BACKEND=immediate), by `manage.py email_worker` in production (database)."""

import datetime
import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task

from lib import crypto, origin

from .models import Petition, Signature
from .tokens import make_forget_token, make_token

logger = logging.getLogger(__name__)


def absolute(path):
    """On SITE_URL, or on the onion address inside `origin.using(True)`: the mail a signer
    asked for through the onion address links back to it (signature.onion)."""
    return origin.absolute(path)


def links(signature):
    return {
        "confirm_url": absolute(reverse("petitions:confirm", args=[make_token(signature, "confirm")])),
        "withdraw_url": absolute(reverse("petitions:withdraw", args=[make_token(signature, "withdraw")])),
        "petition_url": absolute(signature.petition.get_absolute_url()),
    }


def send(template, signature, to, subject, extra=None):
    """One message, plain text and HTML, from templates/petitions/email/<template>.txt/.html."""
    context = {"signature": signature, "petition": signature.petition, **links(signature), **(extra or {})}
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"petitions/email/{template}.txt", context),
        to=[to],
        headers={"Auto-Submitted": "auto-generated"},
    )
    message.attach_alternative(render_to_string(f"petitions/email/{template}.html", context), "text/html")
    message.send()


def _signature(signature_id):
    signature = Signature.objects.select_related("petition").filter(pk=signature_id).first()
    if signature is None:
        logger.info("signature %s is gone; nothing to send", signature_id)
    return signature


def in_language_of(signature, language=None):
    """The signer's language, for the words of a message and the addresses of its links
    (/ru/petitions/confirm/…): the page a link opens speaks as the email did."""
    return translation.override(language or signature.language or settings.LANGUAGE_CODE)


@task()
def send_confirmation(signature_id):
    signature = _signature(signature_id)
    if signature is None or signature.status != Signature.Status.PENDING or not signature.email:
        return
    with in_language_of(signature), origin.using(signature.onion):
        subject = translation.gettext("Please confirm your signature: %(title)s") % {"title": signature.petition.title}
        send("confirm", signature, signature.email, subject)


# A signature's address is mailed at most this often, however often someone signs with it.
RESEND_AFTER = datetime.timedelta(minutes=5)


@task()
def mail_again(signature_id, address, language="", onion=False):
    """Someone signed again with an address that has signed: mail it again, a fresh
    confirmation link or a note that it has signed, unless it was mailed in the last
    RESEND_AFTER or the signature was rejected. Decided here, not in the request, so the
    request's work and time are the same whatever the answer. In the language of the page
    they signed on this time, with links to the address (clear or onion) they signed at. Queued
    by services.queue_due_mail, with the address encrypted (lib/crypto.py): a queued task's
    arguments are kept in the database."""
    sealed, address = address, crypto.decrypt(address)
    with transaction.atomic():
        signature = Signature.objects.select_for_update().filter(pk=signature_id).first()
        now = timezone.now()
        if signature is None or signature.status == Signature.Status.REJECTED:
            return
        if signature.mailed_at and now - signature.mailed_at < RESEND_AFTER:
            return
        update = {"mailed_at": now}
        # The address as typed now is where this mail goes: the mailbox's owner is the only
        # one who learns anything from it.
        if signature.status == Signature.Status.PENDING:
            update["email"] = address
            update["onion"] = onion
            if language:
                update["language"] = language
        Signature.objects.filter(pk=signature.pk).update(**update)
    if signature.status == Signature.Status.PENDING:
        send_confirmation.call(signature_id)
    else:
        send_already_signed.call(signature_id, sealed, language, onion)


@task()
def send_already_signed(signature_id, address, language="", onion=False):
    """To whoever signs again with an address that has signed: the page they saw said
    nothing, so only the mailbox's owner learns that it had signed. In the language they
    signed in this time."""
    signature = _signature(signature_id)
    if signature is None:
        return
    with in_language_of(signature, language), origin.using(onion):
        subject = translation.gettext("You have already signed: %(title)s") % {"title": signature.petition.title}
        send("already_signed", signature, crypto.decrypt(address), subject)


# --- the news of a delivery ------------------------------------------------------------

# Spread out so that a petition with thousands of signers stays within the mail provider's
# sending limits; and behind confirmation links in the queue (a lower priority), so that a
# new signer never waits for them.
DELIVERY_NEWS_PER_MINUTE = 30
NEWS_PRIORITY = -10


@task(priority=NEWS_PRIORITY)
def announce_delivery(petition_id):
    """Queue one message per signer who asked for updates, each due a little after the one
    before. Returns how many were queued."""
    petition = Petition.objects.filter(pk=petition_id).first()
    if petition is None:
        return 0
    # The ids first: with the immediate backend each message goes out inside the loop.
    ids = list(
        Signature.objects.filter(petition=petition).wanting_updates().order_by("pk").values_list("pk", flat=True)
    )
    spaced = send_delivery_news.get_backend().supports_defer
    start = timezone.now()
    interval = datetime.timedelta(seconds=60 / DELIVERY_NEWS_PER_MINUTE)
    for position, signature_id in enumerate(ids):
        news = send_delivery_news.using(run_after=start + position * interval) if spaced else send_delivery_news
        news.enqueue(signature_id)
    return len(ids)


@task(priority=NEWS_PRIORITY)
def send_delivery_news(signature_id):
    signature = _signature(signature_id)
    if signature is None or not (signature.wants_updates and signature.email):
        return  # unsubscribed or withdrawn since the news was queued
    petition = signature.petition
    if signature.status != Signature.Status.CONFIRMED or petition.status != Petition.Status.DELIVERED:
        return
    with in_language_of(signature), origin.using(signature.onion):
        unsubscribe_url = absolute(reverse("petitions:stop_updates", args=[make_token(signature, "stop_updates")]))
        context = {"signature": signature, "petition": petition, **links(signature), "unsubscribe_url": unsubscribe_url}
        subject = translation.gettext("Delivered: %(title)s") % {"title": petition.title}
        message = EmailMultiAlternatives(
            subject=subject,
            body=render_to_string("petitions/email/delivered.txt", context),
            to=[signature.email],
            headers={
                "Auto-Submitted": "auto-generated",
                # One-click unsubscribe in the mail program (RFC 8058): a POST to the link.
                "List-Unsubscribe": f"<{unsubscribe_url}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
        )
        message.attach_alternative(render_to_string("petitions/email/delivered.html", context), "text/html")
        message.send()
    Signature.objects.filter(pk=signature.pk).update(mailed_at=timezone.now())


# --- "forget me everywhere" ----------------------------------------------------------------


@task()
def send_forget_link(sealed_address, language=""):
    """The link that deletes everything kept under an address, mailed to it whether or not
    anything is kept: neither the page nor the mail tells a stranger whether the address
    is known. The address comes encrypted (a queued task's arguments are kept)."""
    address = crypto.decrypt(sealed_address)
    with translation.override(language or settings.LANGUAGE_CODE):
        context = {
            "forget_url": absolute(reverse("petitions:forget_confirm", args=[make_forget_token(address)])),
            "days": settings.CONFIRM_LINK_DAYS,
        }
        message = EmailMultiAlternatives(
            subject=translation.gettext("Delete everything we keep under your address"),
            body=render_to_string("petitions/email/forget.txt", context),
            to=[address],
            headers={"Auto-Submitted": "auto-generated"},
        )
        message.attach_alternative(render_to_string("petitions/email/forget.html", context), "text/html")
        message.send()
