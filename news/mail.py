"""Who an update goes to, and the emails themselves: an update in each reader's language,
the digest of a case's alerts. Nothing here sends or queues anything (services.py and
tasks.py do), so the admin's preview shows exactly what the worker will send.
"""

import datetime

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from modeltranslation.utils import build_localized_fieldname

from appeals.models import Appeal
from lib.sharing import absolute
from petitions.models import Petition, Signature
from petitions.tokens import make_token as signature_token

from .models import CaseAlert, Subscriber
from .tokens import make_token

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
SIGNATURE, SUBSCRIBER = "signature", "subscriber"


# --- who asked -------------------------------------------------------------------------


def recipients(update):
    """[(kind, id, language)] of the people an update goes to, one per address:

    - a petition's: its confirmed signers (online and on paper) who asked for updates;
    - an appeal's: the signers who asked for updates of the petitions that belong to it, once
      per address however many of them it signed (an appeal's letters are sent without
      leaving an address, so these are the only people who asked to hear about it);
    - a case's: its confirmed subscribers ("Email me when there is news about …").
    """
    if update.prisoner_id:
        rows = Subscriber.objects.filter(prisoner_id=update.prisoner_id).confirmed().order_by("pk")
        return [(SUBSCRIBER, pk, language) for pk, language in rows.values_list("pk", "language")]
    if update.petition_id:
        rows = Signature.objects.filter(petition_id=update.petition_id).wanting_updates().order_by("pk")
        return [(SIGNATURE, pk, language) for pk, language in rows.values_list("pk", "language")]
    rows = (
        Signature.objects.filter(petition__appeals=update.appeal_id)
        .wanting_updates()
        .order_by("-pk")
        .values_list("pk", "language", "email_hash")
    )
    seen, found = set(), []
    for pk, language, email_hash in rows.iterator(chunk_size=5000):
        if email_hash:
            if email_hash in seen:
                continue  # the newest signature of an address speaks for it
            seen.add(email_hash)
        found.append((SIGNATURE, pk, language))
    found.reverse()
    return found


def by_language(rows):
    """{language: how many} of recipients(), in the site's order of languages."""
    counts = dict.fromkeys(LANGUAGE_CODES, 0)
    for _kind, _pk, language in rows:
        code = language if language in counts else settings.LANGUAGE_CODE
        counts[code] += 1
    return counts


# --- how fast


def emails_per_minute():
    return max(settings.UPDATE_EMAILS_PER_MINUTE, 0)


def batch_size():
    """Recipients per task: a batch never holds more than a minute's share of the rate,
    and a confirmation waits at most one batch."""
    rate = emails_per_minute()
    return min(UPDATE_BATCH, rate) if rate else UPDATE_BATCH


UPDATE_BATCH = 50


def spacing(position, size):
    """How long after the first the batch at `position` may start, at the send rate."""
    rate = emails_per_minute()
    if not rate:
        return datetime.timedelta(0)
    return datetime.timedelta(seconds=position * size * 60 / rate)


# --- the emails --------------------------------------------------------------------------


def texts_in(update, language):
    """(subject, text, in_english): the update in `language`, or in English, saying so,
    where its subject or text is not translated."""
    subject = getattr(update, build_localized_fieldname("subject", language), "") or ""
    text = getattr(update, build_localized_fieldname("text", language), "") or ""
    if subject.strip() and text.strip():
        return subject, text, False
    english = settings.LANGUAGE_CODE
    return (
        getattr(update, build_localized_fieldname("subject", english)),
        getattr(update, build_localized_fieldname("text", english)),
        language != english,
    )


def _language_of(recipient):
    return recipient.language if recipient.language in LANGUAGE_CODES else settings.LANGUAGE_CODE


def reason_for(update, recipient):
    """Why this person gets this email, in the active language."""
    if isinstance(recipient, Subscriber):
        return _("You get this email because you asked to be emailed when there is news about %(name)s.") % {
            "name": recipient.prisoner.name
        }
    if update.appeal_id:
        return _(
            "You get this email because you signed “%(petition)s”, a petition of the appeal “%(appeal)s”, and asked "
            "for updates."
        ) % {"petition": recipient.petition.title, "appeal": update.appeal.title}
    return _("You get this email because you signed “%(petition)s” and asked for updates.") % {
        "petition": recipient.petition.title
    }


def unsubscribe_url(recipient, preview=False):
    """The one-click link to stop: a signer keeps their signature and loses the address; a
    subscriber is deleted."""
    if isinstance(recipient, Subscriber):
        token = "preview" if preview else make_token(recipient, "unsubscribe")
        return absolute(reverse("news:unsubscribe", args=[token]))
    token = "preview" if preview else signature_token(recipient, "stop_updates")
    return absolute(reverse("petitions:stop_updates", args=[token]))


def one_click_headers(url):
    return {
        "Auto-Submitted": "auto-generated",
        # One-click unsubscribe in the mail program (RFC 8058): a POST to the link.
        "List-Unsubscribe": f"<{url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def update_message(update, recipient, connection=None, preview=False):
    """The email `recipient` gets for `update`, in their language: plain text and HTML,
    with no image and every link a plain address on the site."""
    language = _language_of(recipient)
    with translation.override(language):
        subject, text, in_english = texts_in(update, language)
        stop_url = unsubscribe_url(recipient, preview=preview)
        context = {
            "update": update,
            "subject": subject,
            "text": text,
            "in_english": in_english,
            "name": "" if isinstance(recipient, Subscriber) else recipient.name,
            "about": update.about,
            "page_url": absolute(update.about.get_absolute_url()),
            "update_url": absolute(f"{update.about.get_absolute_url()}#update-{update.pk}"),
            "reason": reason_for(update, recipient),
            "unsubscribe_url": stop_url,
            "language": language,
        }
        message = EmailMultiAlternatives(
            subject=subject,
            body=render_to_string("news/email/update.txt", context),
            to=[recipient.email],
            headers=one_click_headers(stop_url),
            connection=connection,
        )
        message.attach_alternative(render_to_string("news/email/update.html", context), "text/html")
    return message


def sample_recipient(update, language):
    """Someone of `language` to preview an update as (nobody real: no address is read)."""
    with translation.override(language):
        if update.prisoner_id:
            return Subscriber(prisoner=update.prisoner, email="subscriber@example.org", language=language, pk=0)
        petition = update.petition or update.appeal.petitions.public().first() or Petition(title="…", slug="preview")
        return Signature(
            petition=petition, name=_("(the signer's name)"), email="signer@example.org", language=language
        )


def preview(update):
    """[(language, message)]: the update as a reader of each language gets it."""
    return [(code, update_message(update, sample_recipient(update, code), preview=True)) for code in LANGUAGE_CODES]


def recipients_for_batch(kind, ids):
    """The rows of a batch still subscribed, in id order."""
    if kind == SUBSCRIBER:
        return list(Subscriber.objects.filter(pk__in=ids).confirmed().select_related("prisoner").order_by("pk"))
    return list(Signature.objects.filter(pk__in=ids).wanting_updates().select_related("petition").order_by("pk"))


# --- the digest of a case's alerts


def digest_message(subscriber, alerts):
    """One email with every alert, the event with its source, and what to do now."""
    language = _language_of(subscriber)
    prisoner = subscriber.prisoner
    with translation.override(language):
        stop_url = unsubscribe_url(subscriber)
        context = {
            "prisoner": prisoner,
            "events": [alert.event for alert in alerts],
            "appeals": list(Appeal.objects.active().filter(prisoners=prisoner).order_by("-created_at")),
            "petitions": list(Petition.objects.taking_signatures().filter(prisoners=prisoner).order_by("-created_at")),
            "page_url": absolute(prisoner.get_absolute_url()),
            "reason": reason_for(None, subscriber),
            "site_url": settings.SITE_URL,
            "unsubscribe_url": stop_url,
        }
        subject = _("News about %(name)s") % {"name": prisoner.name}
        message = EmailMultiAlternatives(
            subject=subject,
            body=render_to_string("news/email/digest.txt", context),
            to=[subscriber.email],
            headers=one_click_headers(stop_url),
        )
        message.attach_alternative(render_to_string("news/email/digest.html", context), "text/html")
    return message


def alerts_between(subscriber, since, until):
    return list(
        CaseAlert.objects.filter(prisoner_id=subscriber.prisoner_id, queued_at__gt=since, queued_at__lte=until)
        .select_related("event", "event__source")
        .order_by("event__date", "event__id")
    )


# --- a subscriber's own links -------------------------------------------------------------


def subscription_message(subscriber, template):
    """The link to confirm alerts on a case ("confirm"), or the note to an address that is
    subscribed already ("already_subscribed"), in the subscriber's language."""
    language = _language_of(subscriber)
    prisoner = subscriber.prisoner
    with translation.override(language):
        context = {
            "prisoner": prisoner,
            "confirm_url": absolute(reverse("news:confirm", args=[make_token(subscriber, "confirm")])),
            "unsubscribe_url": absolute(reverse("news:unsubscribe", args=[make_token(subscriber, "unsubscribe")])),
            "page_url": absolute(prisoner.get_absolute_url()),
            "link_days": settings.CONFIRM_LINK_DAYS,
        }
        if template == "confirm":
            subject = _("Please confirm: news about %(name)s") % {"name": prisoner.name}
        else:
            subject = _("You already get news about %(name)s") % {"name": prisoner.name}
        message = EmailMultiAlternatives(
            subject=subject,
            body=render_to_string(f"news/email/{template}.txt", context),
            to=[subscriber.email],
            headers={"Auto-Submitted": "auto-generated"},
        )
        message.attach_alternative(render_to_string(f"news/email/{template}.html", context), "text/html")
    return message
