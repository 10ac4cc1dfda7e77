"""What happens to a proposed event: an Organiser approves or cancels it (the admin's
actions call these), and the proposer's address is deleted as soon as they have decided."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import override

from .models import Event


class NeedsEnglishTitle(Exception):
    """The site's pages fall back to English: an event cannot be public without it."""


def has_english_title(event):
    with override(settings.LANGUAGE_CODE):
        return bool(getattr(event, f"title_{settings.LANGUAGE_CODE}", "") or "")


@transaction.atomic
def decide(event, status):
    """Approve or cancel `event`; the proposer's address goes with the decision (it was kept
    only to write back about the proposal)."""
    if status == Event.Status.APPROVED and not has_english_title(event):
        raise NeedsEnglishTitle(event)
    event.status = status
    if status == Event.Status.APPROVED and event.approved_at is None:
        event.approved_at = timezone.now()
    event.proposer_email = ""
    event.save()
    return event


def propose(data, language):
    """An event proposed through the public form, in the language of the page it was typed on.
    Nothing of it is public until an Organiser approves it."""
    texts = {f"{name}_{language}": data.get(name) or "" for name in ("title", "summary", "city", "address")}
    return Event.objects.create(
        status=Event.Status.PROPOSED,
        kind=data["kind"],
        date=data["date"],
        start_time=data.get("start_time"),
        end_time=data.get("end_time"),
        time_zone=data["time_zone"],
        country=data.get("country") or "",
        online_url=data.get("online_url") or "",
        appeal=data.get("appeal"),
        petition=data.get("petition"),
        prisoner=data.get("prisoner"),
        contact=data.get("contact") or "",
        proposed_by=data.get("proposed_by") or "",
        proposer_email=data["proposer_email"],
        proposer_note=data.get("proposer_note") or "",
        **texts,
    )
