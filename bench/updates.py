# ruff: noqa: S603, S607  (it runs this machine's own createdb, dropdb and manage.py)
"""One update sent to 100,000 signers through the email worker, and how long a new signer's
confirmation link, asked for in the middle of it, waited.

What runs, all on this machine:

- PostgreSQL (the shared server on 5432), database wt_updates_bench, created and migrated
  here and dropped at the end;
- `manage.py email_worker` (TASKS_BACKEND=database, as in the image), one process, sending to
  an SMTP sink in this process (127.0.0.1:8111) that notes when each message arrives;
- 100,000 confirmed signers who asked for updates (a third each in English, Russian and
  Kazakh), and one update written in the three languages.

The update is sent as the admin sends it (news.services.send_update). While the worker
sends it, at a quarter, a half and three quarters of the way, someone signs the petition
(petitions.services.sign, as the form does); the figure is the time from their signing to
their confirmation link reaching the mail server. UPDATE_EMAILS_PER_MINUTE is 0 (no limit):
the worker sends as fast as it can, the worst case for a confirmation waiting behind a send;
with a rate set, the batches are spaced and the worker is idle most of the time.

For comparison in the same run: the floor, the same number of update emails built and sent
by a plain loop over one SMTP connection, without the queue (a sample of FLOOR_SAMPLE).

Run: .venv/bin/python bench/updates.py [--signers N]
"""

import argparse
import os
import re
import secrets
import socketserver
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DB_NAME = "wt_updates_bench"
SMTP_PORT = 8111
HOST = "127.0.0.1"
FLOOR_SAMPLE = 5000

ENV = {
    "DJANGO_SETTINGS_MODULE": "campaign.settings",
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "SIGNATURE_HASH_KEY": secrets.token_urlsafe(50),
    "DATA_ENCRYPTION_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": HOST,
    "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DB_NAME}",
    "CACHE_URL": "redis://127.0.0.1:6379/1",
    "TASKS_BACKEND": "database",
    "EMAIL_URL": f"smtp://{HOST}:{SMTP_PORT}",
    "SITE_URL": "https://solidarity.example",
    "UPDATE_EMAILS_PER_MINUTE": "0",
    "SIGN_MIN_SECONDS": "0",
    "LOG_LEVEL": "WARNING",
}


def say(text):
    print(text, flush=True)


class Sink(socketserver.ThreadingTCPServer):
    """An SMTP server that accepts everything and notes when each recipient's message came."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self):
        self.lock = threading.Lock()
        self.count = 0
        self.arrived = {}  # address -> time, for the addresses we watch
        self.watch = set()
        super().__init__((HOST, SMTP_PORT), SinkHandler)


class SinkHandler(socketserver.StreamRequestHandler):
    def handle(self):
        send = self.wfile.write
        send(b"220 sink\r\n")
        recipients = []
        while line := self.rfile.readline():
            verb = line[:4].upper()
            if verb in {b"EHLO", b"HELO"}:
                send(b"250 sink\r\n")
            elif verb == b"MAIL":
                recipients = []
                send(b"250 ok\r\n")
            elif verb == b"RCPT":
                recipients.append(re.search(rb"<([^>]*)>", line)[1].decode().lower())
                send(b"250 ok\r\n")
            elif verb == b"DATA":
                send(b"354 go on\r\n")
                while self.rfile.readline() not in {b".\r\n", b""}:
                    pass
                now = time.monotonic()
                with self.server.lock:
                    self.server.count += len(recipients)
                    for address in recipients:
                        if address in self.server.watch:
                            self.server.arrived[address] = now
                send(b"250 queued\r\n")
            elif verb == b"QUIT":
                send(b"221 bye\r\n")
                return
            else:
                send(b"250 ok\r\n")


def run(*command, **kwargs):
    return subprocess.run(command, check=True, env={**os.environ, **ENV}, cwd=ROOT, **kwargs)


def create_database():
    subprocess.run(["dropdb", "-h", HOST, "-U", "postgres", "--if-exists", DB_NAME], check=True)
    subprocess.run(["createdb", "-h", HOST, "-U", "postgres", DB_NAME], check=True)
    run(sys.executable, "manage.py", "migrate", "-v", "0")


def seed(signers):
    from django.contrib.auth import get_user_model

    from news.models import Update
    from petitions.models import Petition, Signature, SignatureCount

    petition = Petition.objects.create(
        title="Reinstate Berik Zhakiparov",
        title_ru="Восстановить Берика Жакипарова",
        title_kk="Берік Жақыпаровты жұмысқа қайта алу",
        slug="bench",
        text="…",
        addressed_to="KazMinerals plc, London",
        status=Petition.Status.OPEN,
    )
    languages = ["en", "ru", "kk"]
    batch = []
    for n in range(signers):
        batch.append(
            Signature(
                petition=petition,
                name=f"Signer {n}",
                email=f"signer{n}@example.org",
                email_hash=f"bench-{n}",
                wants_updates=True,
                language=languages[n % 3],
                status=Signature.Status.CONFIRMED,
                nonce=f"b{n}",
            )
        )
        if len(batch) == 5000:
            Signature.objects.bulk_create(batch)
            batch = []
    Signature.objects.bulk_create(batch)
    SignatureCount.objects.create(petition=petition, country="", shard=0, n=signers)
    user = get_user_model().objects.create_superuser("bench", "bench@example.org", secrets.token_urlsafe(20))
    update = Update.objects.create(
        petition=petition,
        subject_en="The hearing is on Monday",
        subject_ru="Слушание в понедельник",
        subject_kk="Сот отырысы дүйсенбіде",
        text_en="Come to the court at 10.\n\nBring a placard.",
        text_ru="Приходите в суд к 10.\n\nВозьмите плакат.",
        text_kk="Сағат 10-да сотқа келіңіздер.\n\nПлакат алыңыздар.",
        created_by=user,
    )
    return petition, update, user


def floor(update, sample):
    """The same emails, built and sent by a plain loop over one connection: no queue."""
    from django.core.mail import get_connection

    from news import mail
    from petitions.models import Signature

    people = list(Signature.objects.filter(petition=update.petition).select_related("petition").order_by("pk")[:sample])
    start = time.monotonic()
    with get_connection() as connection:
        connection.send_messages([mail.update_message(update, person, connection=connection) for person in people])
    return sample / (time.monotonic() - start)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--signers", type=int, default=100_000)
    args = parser.parse_args()

    os.environ.update(ENV)
    sink = Sink()
    threading.Thread(target=sink.serve_forever, daemon=True).start()
    say(f"creating and migrating {DB_NAME} …")
    create_database()
    import django

    django.setup()
    from django.db import connection

    from news import services
    from news.models import UpdateSend
    from petitions import services as signing
    from petitions.models import Petition

    worker = None
    try:
        t = time.monotonic()
        petition, update, user = seed(args.signers)
        say(f"{args.signers:,} signers written in {time.monotonic() - t:.0f} s")

        floor_rate = floor(update, FLOOR_SAMPLE)
        say(f"floor: a plain loop sends {floor_rate:,.0f} update emails/s (sample of {FLOOR_SAMPLE:,})")
        with sink.lock:
            sink.count = 0

        log = tempfile.TemporaryFile()  # noqa: SIM115 - the worker's output, for as long as it runs
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "email_worker", "--interval", "0.1"],
            env={**os.environ, **ENV},
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        time.sleep(3)  # the worker is up and idle

        start = time.monotonic()
        send = services.send_update(update, user)
        connection.close()
        say(f"sent by the admin at t=0 to {send.total:,} recipients {send.recipients}")

        waits, marks = [], [0.25, 0.5, 0.75]
        petition = Petition.objects.get(pk=petition.pk)
        first_seen = None
        while True:
            with sink.lock:
                count = sink.count
            if first_seen is None and count:
                first_seen = time.monotonic() - start
            if marks and count >= marks[0] * args.signers:
                mark = marks.pop(0)
                address = f"newcomer-{int(mark * 100)}@example.org"
                with sink.lock:
                    sink.watch.add(address)
                signed_at = time.monotonic()
                signing.sign(petition, {"name": "Newcomer", "email": address, "country": "GB"})
                connection.close()
                waits.append((mark, address, signed_at, count))
            if count >= args.signers + len(waits) and not marks:
                break
            if time.monotonic() - start > 3600:
                say("gave up after an hour")
                break
            time.sleep(0.05)
        total_time = time.monotonic() - start
        rate = args.signers / total_time
        say("")
        say(
            f"update: {args.signers:,} emails in {total_time:.1f} s, {rate:,.0f} emails/s "
            f"({rate * 60:,.0f} a minute; {100 * rate / floor_rate:.0f}% of the floor's {floor_rate:,.0f}/s); "
            f"first email after {first_seen:.1f} s"
        )
        for mark, address, signed_at, count in waits:
            arrived = sink.arrived.get(address)
            wait = f"{arrived - signed_at:.2f} s" if arrived else "never arrived"
            say(
                f"confirmation asked for at {mark:.0%} of the send ({count:,} emails out): its link reached the "
                f"mail server after {wait}"
            )
        record = UpdateSend.objects.get(pk=send.pk)
        counts = f"{record.total:,} recipients, {record.delivered:,} sent, by language {record.recipients}"
        say(f"the admin's record: {counts}")
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait(30)
        connection.close()
        sink.shutdown()
        subprocess.run(["dropdb", "-h", HOST, "-U", "postgres", "--if-exists", DB_NAME], check=False)


if __name__ == "__main__":
    main()
