# ruff: noqa: S603, S607  (it runs this machine's own pg_ctlcluster and redis-server)
"""Failures under load: each fault injected while clients sign a petition,
confirm signatures and open its page, with figures for what the visitors saw and what the
database holds afterwards.

Everything runs on this machine and only touches what the script starts itself:

- a PostgreSQL cluster of its own (15/bench on port 5499, created with trust authentication
  the first time; the shared cluster on 5432 is never stopped), database
  campaign_bench_failures, dropped at the end;
- a redis-server of its own on port 6499 (CACHE_URL, as docker-compose runs it);
- gunicorn, 4 sync workers, on 127.0.0.1:18910 (docker/gunicorn.conf.py, through
  bench/wsgi_bench.py, as bench/petition_signing.py does);
- `manage.py email_worker` sending to an SMTP sink in this process (127.0.0.1:18925), which
  counts every message per recipient.

The faults, one after another, each a few seconds and bounded in time:

1. PostgreSQL stopped (fast shutdown) for OUTAGE seconds and started again, gunicorn untouched;
2. Redis stopped for OUTAGE seconds and started again;
3. the email worker killed (SIGKILL) in the middle of a backlog, and started again;
4. a gunicorn worker killed (SIGKILL) every second, five times, mid-request;
5. a table every page reads locked (ACCESS EXCLUSIVE, as a migration or an admin's long
   action would) for LOCK_SECONDS.

For each: signatures acknowledged ("check your email"), found in the database with their
queued email, lost, duplicated; answers by status (5xx and connection errors); seconds from the
fault's end to the first good answer and to the last bad one. Afterwards: every confirmed
signature counted exactly once (the counters' sum equals the confirmed rows).

Run: .venv/bin/python bench/failures.py   (about 3 minutes; --help)
"""

import argparse
import collections
import contextlib
import http.client
import os
import re
import secrets
import shutil
import signal
import socketserver
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import petition_signing as ps  # noqa: E402

PG_PORT, REDIS_PORT, WEB_PORT, SMTP_PORT = 5499, 6499, 18910, 18925
CLUSTER = ("15", "bench")
DB_NAME = "campaign_bench_failures"
PG = f"postgres://postgres@127.0.0.1:{PG_PORT}"
HOST = "127.0.0.1"

ENV = {
    **ps.ENV,
    "DATABASE_URL": f"{PG}/{DB_NAME}",
    "CACHE_URL": f"redis://127.0.0.1:{REDIS_PORT}/0",
    "EMAIL_URL": f"smtp://127.0.0.1:{SMTP_PORT}",
    "TASKS_BACKEND": "database",
    "SIGN_RATE_LIMIT": "1000000000",
    "SIGN_MIN_SECONDS": "0",
    "LOG_LEVEL": "WARNING",
}


def say(text):
    print(text, flush=True)


# --- the services this script starts ------------------------------------------------------


def pg_ctl(action):
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", *CLUSTER, action, *(["-m", "fast"] if action == "stop" else [])],
        check=True,
        capture_output=True,
        timeout=60,
    )


def ensure_cluster():
    listed = subprocess.run(["pg_lsclusters", "-h"], capture_output=True, text=True, check=True).stdout
    if not any(line.split()[:2] == list(CLUSTER) for line in listed.splitlines()):
        subprocess.run(
            ["pg_createcluster", *CLUSTER, "--port", str(PG_PORT), "--", "--auth-local=trust", "--auth-host=trust"],
            check=True,
            capture_output=True,
            timeout=120,
        )
    if not any(line.split()[:2] == list(CLUSTER) and "online" in line for line in listed.splitlines()):
        pg_ctl("start")


def recreate_database():
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {DB_NAME}")


def drop_database():
    import psycopg

    with contextlib.suppress(Exception), psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")


class Redis:
    def __init__(self):
        self.process = None

    def start(self):
        self.process = subprocess.Popen(  # noqa: S603
            ["redis-server", "--port", str(REDIS_PORT), "--bind", HOST, "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), __import__("socket").create_connection((HOST, REDIS_PORT), 0.2):
                return
            time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


class EmailWorker:
    def __init__(self, log):
        self.process, self.log = None, log

    def start(self):
        env = {**os.environ, **ENV, **ps.IN_PROCESS}  # as manage.py runs it in production
        self.process = subprocess.Popen(  # noqa: S603
            [sys.executable, "manage.py", "email_worker", "--worker-id", "bench-worker", "--interval", "0.2"]
            + ["--no-startup-delay", "--no-reload"],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


# --- an SMTP sink: counts each message per recipient --------------------------------------


class Sink(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, delay):
        self.delay = delay
        self.received = collections.Counter()
        self.lock = threading.Lock()
        super().__init__((HOST, SMTP_PORT), SinkHandler)


class SinkHandler(socketserver.StreamRequestHandler):
    def handle(self):
        with contextlib.suppress(OSError):  # the worker killed mid-conversation
            self.converse()

    def converse(self):
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
                time.sleep(self.server.delay)  # a mail server taking its time: kills land mid-send
                with self.server.lock:
                    self.server.received.update(recipients)
                send(b"250 queued\r\n")
            elif verb == b"QUIT":
                send(b"221 bye\r\n")
                return
            else:
                send(b"250 ok\r\n")


# --- the load --------------------------------------------------------------------------------


class Recorder:
    def __init__(self):
        self.lock = threading.Lock()
        self.events = []  # (t_start, t_end, kind, status)
        self.acknowledged = []  # addresses answered "check your email"

    def add(self, begin, end, kind, status, address=None):
        with self.lock:
            self.events.append((begin, end, kind, status))
            if address:
                self.acknowledged.append(address)


class Load:
    """Clients signing (new address each time), confirming (links made here with the site's
    key) and opening the page, until stopped."""

    def __init__(self, slug, signers=6, readers=6, confirmers=2, tokens=()):
        self.slug, self.stop_event = slug, threading.Event()
        self.recorder = Recorder()
        self.tokens = list(tokens)
        self.threads = [threading.Thread(target=self.sign, args=(i,)) for i in range(signers)]
        self.threads += [threading.Thread(target=self.read) for _ in range(readers)]
        self.threads += [threading.Thread(target=self.confirm) for _ in range(confirmers)]
        self.tag = secrets.token_hex(3)

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self.recorder

    def __exit__(self, *exc):
        self.stop_event.set()
        for thread in self.threads:
            thread.join()

    def _request(self, method, path, body=None, cookie=None):
        conn = http.client.HTTPConnection(HOST, WEB_PORT, timeout=40)
        headers = {"Cookie": cookie} if cookie else {}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            content = response.read()
            return response.status, response, content
        except (OSError, http.client.HTTPException):
            return 0, None, b""
        finally:
            conn.close()

    def _form(self):
        """A CSRF cookie and the form's signed `started` field, as a browser gets them."""
        while not self.stop_event.is_set():
            status, response, content = self._request("GET", f"/petitions/{self.slug}/")
            if status == 200:
                cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie", ""))[1]
                started = ps.STARTED_RE.search(content.decode())[1]
                return cookie, started
            time.sleep(0.2)
        return None, None

    def sign(self, index):
        cookie, started = self._form()
        n = 0
        while not self.stop_event.is_set():
            n += 1
            address = f"s.{self.tag}.{index}.{n}@bench.example.org"
            body = urllib.parse.urlencode(
                {
                    "csrfmiddlewaretoken": cookie,
                    "started": started,
                    "name": f"Invented Signer {index}-{n}",
                    "email": address,
                    "country": ps.COUNTRIES[n % len(ps.COUNTRIES)],
                }
            )
            begin = time.monotonic()
            status, response, _ = self._request("POST", f"/petitions/{self.slug}/sign/", body, f"csrftoken={cookie}")
            ok = status == 302 and response.getheader("Location", "").endswith("/check-your-email/")
            self.recorder.add(begin, time.monotonic(), "sign", status, address if ok else None)

    def read(self):
        while not self.stop_event.is_set():
            begin = time.monotonic()
            status, _, _ = self._request("GET", f"/petitions/{self.slug}/")
            self.recorder.add(begin, time.monotonic(), "page", status)

    def confirm(self):
        cookie = secrets.token_hex(16)  # an unmasked CSRF secret: the form may carry it as it is
        while not self.stop_event.is_set():
            try:
                token = self.tokens.pop()
            except IndexError:
                time.sleep(0.1)
                continue
            body = urllib.parse.urlencode({"csrfmiddlewaretoken": cookie})
            begin = time.monotonic()
            status, _, _ = self._request("POST", f"/petitions/confirm/{token}/", body, f"csrftoken={cookie}")
            self.recorder.add(begin, time.monotonic(), "confirm", status)
            if status != 302:
                self.tokens.insert(0, token)  # try again later, as a person would


# --- the report ---------------------------------------------------------------------------------


def summarise(name, recorder, fault_start, fault_end):
    events = sorted(recorder.events)
    by = collections.Counter((kind, status) for _, _, kind, status in events)
    bad = [(b, e) for b, e, kind, status in events if status == 0 or status >= 500]
    good_after = [e for b, e, kind, status in events if b >= fault_end and status in {200, 302}]
    bad_after = [e for b, e in bad if e >= fault_end]
    slowest = max((e - b for b, e, _, _ in events), default=0)
    statuses = ", ".join(f"{kind} {status or 'no answer'}: {n}" for (kind, status), n in sorted(by.items()))
    say(f"  answers      {statuses}")
    fivexx = sum(n for (kind, status), n in by.items() if status >= 500)
    five_hundreds = sum(n for (kind, status), n in by.items() if status == 500)
    no_answer = sum(n for (kind, status), n in by.items() if status == 0)
    first_good = (min(good_after) - fault_end) if good_after else float("nan")
    begin_all, end_all = events[0][0] if events else 0, max((e for _, e, _, _ in events), default=0)

    def good_rate(lo, hi):
        n = sum(1 for b, e, kind, status in events if lo <= e < hi and status in {200, 302})
        return n / (hi - lo) if hi > lo else float("nan")

    say(
        f"  good answers per second: before the fault {good_rate(begin_all + 1, fault_start):.1f}, during it "
        f"{good_rate(fault_start, fault_end):.1f}, after it {good_rate(fault_end, end_all):.1f}"
    )
    last_bad = (max(bad_after) - fault_end) if bad_after else 0.0
    say(
        f"  5xx {fivexx} (of which 500: {five_hundreds}), no answer {no_answer}; slowest answer {slowest:.2f} s; "
        f"after the fault ended: first good answer {first_good:.2f} s, last bad one {last_bad:.2f} s"
    )
    return {
        "f": name,
        "5xx": fivexx,
        "500": five_hundreds,
        "no answer": no_answer,
        "first good": first_good,
        "last bad": last_bad,
        "fault seconds": fault_end - fault_start,
    }


def mail_queued(petition):
    """How many times each signature's confirmation is queued: as a task (the email
    worker queued it), or as the mark on its row that the worker has yet to turn into one."""
    from django_tasks_db.models import DBTaskResult

    from petitions.models import Signature

    # The marks first, then the tasks: the worker turns marks into tasks in one transaction,
    # so a mark gone by the first query has its task committed by the second. (The other
    # order misses the signatures swept between the two.)
    marked = Signature.objects.filter(petition=petition, mail_due=True).values_list("pk", flat=True)
    queued = collections.Counter(marked)
    paths = ["petitions.tasks.mail_again", "petitions.tasks.send_confirmation"]
    tasks = DBTaskResult.objects.filter(task_path__in=paths)
    queued.update(args["args"][0] for args in tasks.values_list("args_kwargs", flat=True))
    return queued


def check_signatures(petition, acknowledged):
    """Every acknowledged address has its signature and exactly one queued confirmation."""
    from django.db import connection

    from petitions.models import Signature
    from petitions.services import email_fingerprint

    connection.close()
    # Addresses are encrypted: found by their fingerprints.
    by_hash = {email_fingerprint(address): address for address in acknowledged}
    rows = {
        by_hash[email_hash]: pk
        for email_hash, pk in Signature.objects.filter(petition=petition, email_hash__in=by_hash).values_list(
            "email_hash", "pk"
        )
    }
    queued = mail_queued(petition)
    found = [a for a in acknowledged if a in rows]
    with_task = [a for a in found if queued[rows[a]] >= 1]
    duplicated = len(acknowledged) - len(set(acknowledged)) + sum(1 for a in found if queued[rows[a]] > 1)
    say(
        f"  signatures   acknowledged {len(acknowledged)}, found {len(found)}, with their queued email "
        f"{len(with_task)}, lost {len(acknowledged) - len(found)}, duplicated {duplicated}"
    )
    return {
        "acknowledged": len(acknowledged),
        "found": len(found),
        "lost": len(acknowledged) - len(with_task),
        "duplicated": duplicated,
    }


def check_counts(petition):
    from django.db import connection
    from django.db.models import Sum

    from petitions.models import Signature, SignatureCount

    connection.close()
    counted = SignatureCount.objects.filter(petition=petition).aggregate(n=Sum("n"))["n"] or 0
    confirmed = Signature.objects.filter(petition=petition, status="confirmed").count()
    queued = set(mail_queued(petition))
    signed = set(Signature.objects.filter(petition=petition).values_list("pk", flat=True))
    half = len(signed - queued)
    say(
        f"  consistency  counters' sum {counted}, confirmed rows {confirmed}: "
        f"{'exact' if counted == confirmed else 'WRONG'}; signatures without their queued email: {half}"
    )
    return counted == confirmed and not half


def mail_sent(petition, sink, wait=900):
    """Once the email worker has queued and sent the whole backlog (or `wait` seconds have
    gone): the addresses of the petition's pending signatures, and which of them the SMTP
    sink has not received. (Signatures confirmed here were confirmed with links made by this
    script, and their addresses blanked.)"""
    from django.db import connection
    from django_tasks_db.models import DBTaskResult

    from petitions.models import Signature

    deadline = time.monotonic() + wait  # the backlog drains at the sink's and the worker's pace
    while time.monotonic() < deadline and (
        Signature.objects.filter(mail_due=True).exists() or DBTaskResult.objects.exclude(status="SUCCESSFUL").exists()
    ):
        time.sleep(0.5)
    time.sleep(1)
    connection.close()
    pending = Signature.objects.filter(petition=petition, status="pending").values_list("email", flat=True)
    expected = {address.lower() for address in pending}
    return expected, expected - set(sink.received)


def sent_twice(sink):
    return sum(1 for n in sink.received.values() if n > 1)


def every_signer_mailed(petition, sink):
    """After every fault: has every pending signature's address had its email?"""
    say("\nfinally: every signature's email, once the worker has sent the backlog")
    expected, missing = mail_sent(petition, sink)
    received, duplicated = sink.received, sent_twice(sink)
    say(
        f"  emails       pending signatures {len(expected)}, emails received {sum(received.values())} for "
        f"{len(received)} addresses: missing {len(missing)}, sent twice {duplicated}"
    )
    return {
        "f": "finally, every pending signature",
        "acknowledged": len(expected),
        "lost": len(missing),
        "duplicated": duplicated,
    }


def pending_tokens(petition, n):
    """n pending signatures made here, and their confirmation links' tokens."""
    from petitions import services
    from petitions.models import Signature
    from petitions.tokens import make_token

    tag = secrets.token_hex(3)
    ids = [
        services.sign(petition, {"name": f"Invented {i}", "email": f"c.{tag}.{i}@bench.example.org", "country": "GB"})
        for i in range(n)
    ]
    return [make_token(signature, "confirm") for signature in Signature.objects.filter(pk__in=ids)]


# --- the faults -----------------------------------------------------------------------------------


def run_fault(name, petition, inject, before=3.0, after=8.0, tokens=0, **load):
    say(f"\n{name}")
    toks = pending_tokens(petition, tokens) if tokens else ()
    with Load(petition.slug, tokens=toks, **load) as recorder:
        time.sleep(before)
        fault_start = time.monotonic()
        inject()
        fault_end = time.monotonic()
        time.sleep(after)
    result = summarise(name, recorder, fault_start, fault_end)
    result.update(check_signatures(petition, recorder.acknowledged))
    result["counts exact"] = check_counts(petition)
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--outage", type=float, default=4.0, help="seconds PostgreSQL and Redis stay down")
    parser.add_argument("--lock-seconds", type=float, default=8.0, help="seconds the table stays locked")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--smtp-delay", type=float, default=0.02, help="seconds the SMTP sink takes per message")
    parser.add_argument("--keep-db", action="store_true")
    args = parser.parse_args()
    os.environ.update(ENV)
    os.environ.update(ps.IN_PROCESS)
    ps.ENV.update(ENV)  # the gunicorn that petition_signing.Server starts gets this environment
    ps.HOST = HOST
    started = time.monotonic()
    ps.describe_machine()

    static_root = Path(tempfile.mkdtemp(prefix="bench-static-"))
    log = tempfile.NamedTemporaryFile(prefix="bench-failures-", suffix=".log", delete=False)  # noqa: SIM115
    redis, worker = Redis(), EmailWorker(log)
    server = ps.Server(WEB_PORT, args.workers, 1, static_root)
    sink = Sink(args.smtp_delay)
    threading.Thread(target=sink.serve_forever, daemon=True).start()
    results = []
    try:
        ps.step("PostgreSQL cluster 15/bench on port 5499", ensure_cluster)
        ps.step(f"database {DB_NAME}", recreate_database)
        ps.step("redis-server on port 6499", redis.start)
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command

        from petitions.models import Petition

        settings.STATIC_ROOT = static_root
        ps.step("migrate", call_command, "migrate", verbosity=0)
        ps.step("collectstatic", call_command, "collectstatic", verbosity=0)
        petition = Petition.objects.create(
            slug="a-petition-under-fire",
            title="A petition under fire",
            status=Petition.Status.OPEN,
            text=ps.PETITION_TEXT,
            addressed_to="The company's head office, London",
            goal=1_000_000,
        )
        ps.step(f"gunicorn, {args.workers} sync workers", server.start)

        # 1. PostgreSQL restarted under load.
        def restart_postgres():
            pg_ctl("stop")
            time.sleep(args.outage)
            pg_ctl("start")

        results.append(
            run_fault(f"1. PostgreSQL stopped for {args.outage:.0f} s and started again", petition, restart_postgres)
        )

        # 2. Redis stopped.
        def stop_redis():
            redis.stop()
            time.sleep(args.outage)
            redis.start()

        results.append(run_fault(f"2. Redis stopped for {args.outage:.0f} s and started again", petition, stop_redis))

        # 3. The email worker killed mid-batch.
        from django.db.models import Count
        from django_tasks_db.models import DBTaskResult

        say("\n3. the email worker killed (SIGKILL) in the middle of a backlog, then started again")
        with Load(petition.slug, signers=3, readers=2, confirmers=0) as recorder:
            time.sleep(3)  # a backlog builds up
            worker.start()
            deadline = time.monotonic() + 30
            while sum(sink.received.values()) < 20 and time.monotonic() < deadline:
                time.sleep(0.01)  # the worker started and sent its first few: kill it mid-batch
            time.sleep(secrets.randbelow(100) / 1000)
            sent_at_kill = sum(sink.received.values())
            worker.kill()
            time.sleep(1)
            worker.start()
            time.sleep(3)
        acknowledged_before = set(recorder.acknowledged)
        # Addresses of the signatures queued before and during this phase (earlier faults' too).
        expected, missing = mail_sent(petition, sink)
        received, duplicated = sink.received, sent_twice(sink)
        left = dict(
            DBTaskResult.objects.exclude(status="SUCCESSFUL").values_list("status").annotate(n=Count("pk")).order_by()
        )
        say(
            f"  emails       {sent_at_kill} sent when the worker was killed; pending signatures {len(expected)} "
            f"(acknowledged in this phase {len(acknowledged_before)}), emails received {sum(received.values())} "
            f"for {len(received)} addresses: missing {len(missing)}, sent twice {duplicated}; "
            f"tasks not done: {left or 'none'}"
        )
        results.append(
            {
                "f": "3. email worker killed",
                "acknowledged": len(expected),
                "found": len(expected) - len(missing),
                "lost": len(missing),
                "duplicated": duplicated,
            }
        )

        # 4. gunicorn workers killed mid-request.
        def kill_web_workers():
            for _ in range(5):
                pids = server.worker_pids()
                if pids:
                    os.kill(pids[0], signal.SIGKILL)
                time.sleep(1)

        results.append(
            run_fault(
                "4. a gunicorn worker killed (SIGKILL) every second, 5 times", petition, kill_web_workers, tokens=300
            )
        )

        # 5. A table every page reads locked by someone else.
        def lock_table():
            import psycopg

            with psycopg.connect(f"{PG}/{DB_NAME}") as conn:
                conn.execute("LOCK TABLE petitions_petition IN ACCESS EXCLUSIVE MODE")
                time.sleep(args.lock_seconds)
                conn.rollback()

        results.append(
            run_fault(
                f"5. the petitions table locked for {args.lock_seconds:.0f} s (an admin's long action, a migration)",
                petition,
                lock_table,
                tokens=100,
            )
        )

        results.append(every_signer_mailed(petition, sink))

        say("\nsummary")
        for r in results:
            say(
                "  "
                + r["f"]
                + ": "
                + ", ".join(f"{k} {v:.2f}" if isinstance(v, float) else f"{k} {v}" for k, v in r.items() if k != "f")
            )
    finally:
        worker.stop()
        server.stop()
        redis.stop()
        sink.shutdown()
        with contextlib.suppress(Exception):
            from django.db import connections

            connections.close_all()
        with contextlib.suppress(Exception):
            pg_ctl("start")  # never leave our cluster stopped
        if not args.keep_db:
            drop_database()
        shutil.rmtree(static_root, ignore_errors=True)
        log.close()
        say(f"worker and gunicorn logs: {log.name}, {server.log.name}")
    say(f"done in {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
