"""Email to signers, sent by django-tasks: inline in `make run` and the tests
(TASKS_BACKEND=immediate), by `manage.py db_worker` in production (database)."""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from .models import Signature
from .services import make_token

logger = logging.getLogger(__name__)


def absolute(path):
    return f"{settings.SITE_URL}{path}"


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


@task()
def send_confirmation(signature_id):
    signature = _signature(signature_id)
    if signature is None or signature.status != Signature.Status.PENDING or not signature.email:
        return
    with translation.override(settings.LANGUAGE_CODE):
        subject = translation.gettext("Please confirm your signature: %(title)s") % {"title": signature.petition.title}
        send("confirm", signature, signature.email, subject)


@task()
def send_already_signed(signature_id, address):
    """To whoever signs again with an address that has signed: the page they saw said
    nothing, so only the mailbox's owner learns that it had signed."""
    signature = _signature(signature_id)
    if signature is None:
        return
    with translation.override(settings.LANGUAGE_CODE):
        subject = translation.gettext("You have already signed: %(title)s") % {"title": signature.petition.title}
        send("already_signed", signature, address, subject)
