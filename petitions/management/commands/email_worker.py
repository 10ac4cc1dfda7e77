"""The worker that sends signers' email: django-tasks-db's db_worker, plus the queueing of
the mail new signatures are due, and what db_worker lacks when a worker dies in the middle
of a task.

A signature is written alone, marked as due a mail (services.sign); every second this
command queues the marked signatures' mail, in batches (services.queue_due_mail), and
db_worker sends it. A signature committed while no worker runs is mailed when one starts.

db_worker marks a task RUNNING (and commits) before it runs it, and SUCCESSFUL after. A
worker killed in between (SIGKILL, the machine lost, the container's memory limit) leaves the
task RUNNING for ever: its email is never sent. This command puts such tasks back in the
queue:

- at start, the tasks its own worker id (the host name: a container keeps its name when it
  restarts) left RUNNING: that worker was this one, and it died;
- every minute, tasks RUNNING for longer than STALE_AFTER, whoever ran them: no email takes
  that long, so their worker is gone (a server that never came back).

So every email is sent at least once, and an email interrupted after the mail server took it
but before the task was marked done is sent twice. That is harmless by design: a second
confirmation email carries a second valid link to the same signature, confirming twice counts
once (services.confirm), and a second "already signed" or delivery note says the same thing
again. Only tasks that are safe to repeat are requeued (REPEATABLE); announce_delivery, which
queues one task per signer, is not (run again it would queue the news twice), nor is
news.tasks.fan_out_update (the same for an update's batches): they stay RUNNING and are
logged for an organiser to look at.

Every DIGEST_SECONDS it also queues the case alerts' digests that were waiting for their
subscriber's day to pass (news.services.queue_due_digests).
"""

import logging
import socket
import threading
from datetime import timedelta

from django.db import close_old_connections, connection, transaction
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand
from django_tasks_db.models import DBTaskResult

from news.services import queue_due_digests
from petitions.services import queue_due_mail

logger = logging.getLogger("petitions.email_worker")

REPEATABLE = {
    "petitions.tasks.send_confirmation",
    "petitions.tasks.mail_again",
    "petitions.tasks.send_already_signed",
    "petitions.tasks.send_delivery_news",
    # A batch of an update interrupted half-way is sent again whole: some of its 50 people
    # get it twice, none miss it.
    "news.tasks.send_update_batch",
    "news.tasks.mail_subscriber",
    "news.tasks.send_case_digest",
    "petitions.tasks.send_forget_link",  # a second copy of the link harms nobody
}
STALE_AFTER = timedelta(minutes=10)
DIGEST_SECONDS = 60
SWEEP_SECONDS = 60
DUE_MAIL_SECONDS = 1


def requeue_interrupted(worker_id=None, now=None):
    """Put back in the queue the repeatable tasks left RUNNING by `worker_id` (a worker that
    died, now starting again), or by any worker for longer than STALE_AFTER. Returns how
    many were requeued."""
    now = now or timezone.now()
    requeued = 0
    with transaction.atomic():
        running = DBTaskResult.objects.select_for_update(skip_locked=True).filter(status=TaskResultStatus.RUNNING)
        for task in running:
            mine = worker_id is not None and task.worker_ids and task.worker_ids[-1] == worker_id
            stale = task.started_at is not None and now - task.started_at > STALE_AFTER
            if not (mine or stale):
                continue
            if task.task_path not in REPEATABLE:
                logger.warning("task %s (%s) was interrupted and is not safe to repeat", task.id, task.task_path)
                continue
            task.status = TaskResultStatus.READY
            task.started_at = None
            task.save(update_fields=["status", "started_at"])
            requeued += 1
    if requeued:
        logger.warning("requeued %d email task(s) interrupted by a worker that died", requeued)
    return requeued


def _queue_due_mail(stop):
    """Every DUE_MAIL_SECONDS, queue the mail that new signatures are due (their rows are
    their outbox: services.sign writes no task)."""
    while not stop.wait(DUE_MAIL_SECONDS):
        try:
            while queue_due_mail():
                pass  # a surge: take the next batch at once
        except Exception:  # the database may be down for a while: try again in a moment
            logger.exception("could not queue the mail signatures are due")
            connection.close()


def _queue_due_digests(stop):
    while not stop.wait(DIGEST_SECONDS):
        try:
            while queue_due_digests():
                pass
        except Exception:  # the database may be down for a while: try again next minute
            logger.exception("could not queue the case alerts' digests")
        finally:
            connection.close()


def _sweep(stop):
    while not stop.wait(SWEEP_SECONDS):
        try:
            requeue_interrupted()
        except Exception:  # the database may be down for a while: try again next minute
            logger.exception("could not look for interrupted email tasks")
        finally:
            connection.close()


class Command(DbWorkerCommand):
    help = "Send the queued email (db_worker), and requeue email interrupted by a worker that died."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        # A stable id, so that a worker restarted after a crash recognises its own tasks.
        parser.set_defaults(worker_id=socket.gethostname()[:64] or "email-worker")

    def handle(self, *args, **options):
        self.configure_logging(options["verbosity"])
        requeue_interrupted(options["worker_id"])
        close_old_connections()
        stop = threading.Event()
        threading.Thread(target=_sweep, args=(stop,), daemon=True, name="requeue-interrupted").start()
        threading.Thread(target=_queue_due_mail, args=(stop,), daemon=True, name="queue-due-mail").start()
        threading.Thread(target=_queue_due_digests, args=(stop,), daemon=True, name="queue-due-digests").start()
        try:
            super().handle(*args, **options)
        finally:
            stop.set()
