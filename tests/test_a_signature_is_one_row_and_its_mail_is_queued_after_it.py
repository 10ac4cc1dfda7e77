"""A signature is one row written, and the row is its own outbox. The email worker
turns rows due a mail into queued email (services.queue_due_mail), many in one transaction,
so that a surge of signatures costs the web servers one INSERT each."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lib import crypto
from petitions import services
from petitions.models import Signature

ANN = {"name": "Ann", "email": "ann@example.org", "country": "GB"}


@pytest.fixture
def queue_in_database(settings):
    settings.TASKS_BACKEND = "database"
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # a signal resets the backends


def queued():
    from django_tasks_db.models import DBTaskResult

    return [(task.task_path, task.args_kwargs["args"]) for task in DBTaskResult.objects.order_by("enqueued_at")]


def statements(queries):
    """The SQL statements run, beside the transaction's own BEGIN and COMMIT."""
    # SQLite's IMMEDIATE transactions (make run's database) begin with "BEGIN IMMEDIATE".
    words = [query["sql"].split()[0] for query in queries]
    return [word for word in words if word not in ("BEGIN", "COMMIT")]


@pytest.mark.django_db(transaction=True)
def test_a_new_address_and_one_that_has_signed_are_the_same_one_statement(make_petition, queue_in_database):
    # One row written, nothing queued. A stranger timing the answer
    # learns nothing, as the database does the same work for both.
    petition = make_petition()
    with CaptureQueriesContext(connection) as first:
        first_id = services.sign(petition, ANN)
    with CaptureQueriesContext(connection) as again:
        again_id = services.sign(petition, {**ANN, "email": "ANN@example.org", "name": "Someone else"})
    assert statements(first) == statements(again) == ["INSERT"]
    assert len(first) == len(again)
    assert all("ON CONFLICT" in query["sql"] for query in again if query["sql"].startswith("INSERT"))
    assert first_id == again_id
    signature = Signature.objects.get()
    assert signature.name == "Ann" and signature.mail_due and signature.resend_to == "ANN@example.org"
    assert queued() == []


def test_the_worker_queues_each_due_mail_once_and_clears_the_mark(make_petition, queue_in_database):
    from django.utils import translation

    petition = make_petition()
    services.sign(petition, ANN)
    services.sign(petition, {**ANN, "email": "bob@example.org"})
    ann, bob = Signature.objects.order_by("pk")
    assert services.queue_due_mail() == 2
    # A first mail is the confirmation link itself: a worker that dies sending it sends it
    # again when the task is requeued, whatever the wait between two mails says.
    assert queued() == [
        ("petitions.tasks.send_confirmation", [ann.pk]),
        ("petitions.tasks.send_confirmation", [bob.pk]),
    ]
    assert services.queue_due_mail() == 0  # nothing is queued twice
    assert not Signature.objects.filter(mail_due=True).exists()
    assert Signature.objects.filter(mailed_at=None).count() == 0  # the wait counts from now

    # Ann signs again on the Russian page with her address typed otherwise: her mail goes
    # to that address, in Russian, and the address is not kept on her row once queued.
    with translation.override("ru"):
        services.sign(petition, {**ANN, "email": "Ann@Example.org"})
    assert services.queue_due_mail() == 1
    name, (pk, sealed, language) = queued()[-1]
    # The task waits in the database with the address encrypted, as on the row.
    assert (name, pk, language) == ("petitions.tasks.mail_again", ann.pk, "ru")
    assert "Example.org" not in sealed and crypto.decrypt(sealed) == "Ann@Example.org"
    ann.refresh_from_db()
    assert (ann.mail_due, ann.resend_to, ann.resend_language) == (False, "", "")


def test_signing_again_before_the_first_mail_sends_one_link_where_the_last_signing_asked(
    make_petition, queue_in_database
):
    from django.utils import translation

    petition = make_petition()
    services.sign(petition, ANN)
    with translation.override("kk"):
        services.sign(petition, {**ANN, "email": "Ann@Example.org"})
    assert services.queue_due_mail() == 1
    signature = Signature.objects.get()
    assert queued() == [("petitions.tasks.send_confirmation", [signature.pk])]
    assert (signature.email, signature.language) == ("Ann@Example.org", "kk")


def test_a_batch_is_limited_and_the_next_pass_takes_the_rest(make_petition, queue_in_database):
    petition = make_petition()
    for i in range(5):
        services.sign(petition, {**ANN, "email": f"s{i}@example.org"})
    assert services.queue_due_mail(limit=3) == 3
    assert services.queue_due_mail(limit=3) == 2
    assert len(queued()) == 5


def test_without_a_worker_the_mail_is_sent_once_the_signature_is_committed(make_petition, sign_data, sign, mailoutbox):
    # TASKS_BACKEND=immediate (`make run`, the tests): the request queues and sends it.
    petition = make_petition()
    sign(petition, sign_data(email="cat@example.org"))
    assert [message.to for message in mailoutbox] == [["cat@example.org"]]
    assert not Signature.objects.filter(mail_due=True).exists()


def test_the_email_worker_queues_the_due_mail_every_second_and_outlives_a_database_error(
    make_petition, queue_in_database, monkeypatch
):
    import threading

    from django.db import OperationalError

    from petitions.management.commands import email_worker

    petition = make_petition()
    services.sign(petition, ANN)
    stop, passes = threading.Event(), []

    def queue_due_mail():
        passes.append("pass")
        if len(passes) == 1:
            raise OperationalError("the database restarts")  # logged; tried again next second
        queued_now = services.queue_due_mail()
        if not queued_now:
            stop.set()
        return queued_now

    monkeypatch.setattr(email_worker, "DUE_MAIL_SECONDS", 0)
    monkeypatch.setattr(email_worker, "queue_due_mail", queue_due_mail)
    monkeypatch.setattr(email_worker.connection, "close", lambda: None)  # the test's own connection
    email_worker._queue_due_mail(stop)  # in this thread, to see the test's database
    assert len(passes) == 3  # the error, the batch, the empty pass that ends a surge's loop
    assert [path for path, _args in queued()] == ["petitions.tasks.send_confirmation"]


def test_a_first_link_whose_worker_died_is_sent_when_its_task_runs_again(make_petition, queue_in_database, mailoutbox):
    # failures.py lost one email this way: the first mail went through the task that waits
    # 5 minutes between two mails, which had marked the row mailed before its worker was
    # killed, so the requeued task sent nothing.
    from django_tasks_db.models import DBTaskResult

    petition = make_petition()
    services.sign(petition, ANN)
    services.queue_due_mail()
    task = DBTaskResult.objects.get().task
    task.call(*DBTaskResult.objects.get().args_kwargs["args"])  # the worker dies after sending
    task.call(*DBTaskResult.objects.get().args_kwargs["args"])  # requeued, it runs again
    assert [message.to for message in mailoutbox] == [["ann@example.org"], ["ann@example.org"]]
