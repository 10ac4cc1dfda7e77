from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from news.services import purge_unconfirmed_subscribers
from petitions.services import forget_finished, purge_unconfirmed


class Command(BaseCommand):
    help = (
        "Delete signatures that were never confirmed, older than --days days "
        "(UNCONFIRMED_RETENTION_DAYS by default), the personal details of the signers of petitions closed or "
        "delivered PERSONAL_DATA_RETENTION_DAYS ago, and sent email tasks. Run it daily "
        "(docs/development.md, Petitions and signers' data)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=settings.UNCONFIRMED_RETENTION_DAYS)

    def handle(self, *args, days, **options):
        if days < 1:
            raise CommandError("--days must be at least 1.")
        deleted = purge_unconfirmed(days)
        self.stdout.write(f"Deleted {deleted} unconfirmed signature(s) older than {days} day(s).")
        # A case's alert subscriber who never confirmed is kept no longer than a signer.
        deleted = purge_unconfirmed_subscribers(days)
        self.stdout.write(f"Deleted {deleted} unconfirmed case subscriber(s) older than {days} day(s).")
        forgotten = forget_finished(settings.PERSONAL_DATA_RETENTION_DAYS)
        self.stdout.write(
            f"Deleted the signers' personal details of {forgotten} petition(s) closed or delivered "
            f"{settings.PERSONAL_DATA_RETENTION_DAYS} day(s) ago or more."
        )
        if settings.TASKS_BACKEND == "database":
            # A queued "you have already signed" mail carries the address it goes to: once
            # sent, it is deleted with the rest of the finished tasks.
            call_command("prune_db_task_results", min_age_days=1, failed_min_age_days=7, stdout=self.stdout)
