"""Operations on a case that touch more than one record."""

from django.db import transaction

from .models import CaseEvent, Prisoner


def hunger_strike_news(events):
    """The latest hunger-strike event among `events` that says more than the case does: the
    case not flagged as on hunger strike, or its status dated before the event. None if none."""
    latest = None
    for event in events:
        if event.kind != CaseEvent.Kind.HUNGER_STRIKE:
            continue
        if latest is None or event.date > latest.date:
            latest = event
    if latest is None:
        return None
    prisoner = latest.prisoner
    dated_before = prisoner.status_confirmed_on is None or prisoner.status_confirmed_on < latest.date
    return latest if (not prisoner.hunger_strike or dated_before) else None


@transaction.atomic
def flag_hunger_strike(event):
    """The case is on hunger strike as of the event's date (and its precision): the flag set,
    the status dated from the event unless a later report dates it already. One save, so
    the case's history records who did it."""
    prisoner = Prisoner.objects.select_for_update().get(pk=event.prisoner_id)
    prisoner.hunger_strike = True
    if prisoner.status_confirmed_on is None or prisoner.status_confirmed_on < event.date:
        prisoner.status_confirmed_on = event.date
        prisoner.status_confirmed_precision = event.precision
    prisoner.save()
    return prisoner
