import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from events.models import Event

# A proposal nobody decided on is no use a month after its day: its proposer's address goes.
AFTER_DAYS = 30


class Command(BaseCommand):
    help = (
        "Delete the email address of whoever proposed an event, once an Organiser has decided on it (approving "
        "and cancelling already do) or a month after the day of a proposal nobody decided on. Run it daily."
    )

    def handle(self, *args, **options):
        cutoff = timezone.localdate() - datetime.timedelta(days=AFTER_DAYS)
        stale = Event.objects.exclude(proposer_email="").exclude(status=Event.Status.PROPOSED, date__gte=cutoff)
        # update(), not save(): the address is not in the change history, and the event's
        # texts are not touched.
        count = stale.update(proposer_email="")
        self.stdout.write(f"{count} proposer address(es) deleted")
