from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from petitions.services import purge_unconfirmed


class Command(BaseCommand):
    help = (
        "Delete signatures that were never confirmed, older than --days days "
        "(UNCONFIRMED_RETENTION_DAYS by default), and sent email tasks. Run it daily (README: Petitions)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=settings.UNCONFIRMED_RETENTION_DAYS)

    def handle(self, *args, days, **options):
        if days < 1:
            raise CommandError("--days must be at least 1.")
        deleted = purge_unconfirmed(days)
        self.stdout.write(f"Deleted {deleted} unconfirmed signature(s) older than {days} day(s).")
        if settings.TASKS_BACKEND == "database":
            # A queued "you have already signed" mail carries the address it goes to: once
            # sent, it is deleted with the rest of the finished tasks.
            call_command("prune_db_task_results", min_age_days=1, failed_min_age_days=7, stdout=self.stdout)
