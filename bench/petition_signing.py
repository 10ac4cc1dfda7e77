"""Signing a petition under load, and the petition page at a million signatures.

With gunicorn and PostgreSQL on this machine's loopback, it prints:

- signatures accepted per second, with p50/p99 latency, at 32 concurrent clients, each of
  which first GETs the petition page (CSRF cookie and token, the signed `started` field)
  and then POSTs the form again and again with a new address each time;
- the petition page's latency with 1,000,000 confirmed signatures and with 100;
- in the same run, the same figures for a bare Django view on the same server (the floor):
  a POST carrying the same form and CSRF token, and a GET.

It creates and drops its own database (campaign_bench) on PostgreSQL at 127.0.0.1:5432
(user postgres, trust authentication), serves the site with gunicorn on 127.0.0.1 only
(docker/gunicorn.conf.py, through bench/wsgi_bench.py, which adds the bare view), sends
every request to 127.0.0.1, and stops by itself: each phase is bounded in time and count.
About 3 minutes on 2 cores. Prints figures; asserts nothing.

Run: .venv/bin/python bench/petition_signing.py        (--help for the knobs)
"""

import argparse
import contextlib
import http.client
import os
import platform
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DB_NAME = "campaign_bench"
PG = "postgres://postgres@127.0.0.1:5432"
HOST = "127.0.0.1"

# The environment of the run, for this process and for gunicorn: production settings
# (DEBUG off, the database cache, the database task queue) with the changes a benchmark
# from one address over plain HTTP needs.
ENV = {
    "DJANGO_SETTINGS_MODULE": "campaign.settings",
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "SIGNATURE_HASH_KEY": secrets.token_urlsafe(50),
    "DATA_ENCRYPTION_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": HOST,
    "DATABASE_URL": f"{PG}/{DB_NAME}",
    "CONN_MAX_AGE": "600",
    "CACHE_URL": "db://django_cache",  # the default (--cache-url): rate limits in a database table
    "TASKS_BACKEND": "database",  # a signature only enqueues its email; no worker runs
    "EMAIL_URL": "dummy://",
    "SIGN_RATE_LIMIT": "1000000000",  # every client comes from 127.0.0.1
    "SIGN_MIN_SECONDS": "0",  # clients post the form as soon as they have it
    "SECURE_SSL_REDIRECT": "0",
    "SESSION_COOKIE_SECURE": "0",
    "CSRF_COOKIE_SECURE": "0",
    "NUM_PROXIES": "0",
    "LOG_LEVEL": "WARNING",
    "SITE_URL": f"http://{HOST}",
    # gunicorn runs with the production defaults; this process loads a million rows, as
    # manage.py commands do, without them (IN_PROCESS).
    "DATABASE_STATEMENT_TIMEOUT": "10",
    "DATABASE_LOCK_TIMEOUT": "3",
}
IN_PROCESS = {"DATABASE_STATEMENT_TIMEOUT": "0", "DATABASE_LOCK_TIMEOUT": "0"}

COUNTRIES = ["GB", "KZ", "RU", "DE", "FR", "US", "UA", "PL", "IT", "ES", "NL", "SE", "NO", "DK", "FI", "BE", "AT"]

PETITION_TEXT = """We, the undersigned trade unionists and supporters, call on the company to meet the \
demands of its workers.

Since the strike, workers who spoke up have been sacked, fined and threatened; their leaders have \
been taken to court. The company's profits have grown while wages fell behind prices and men died at \
work for want of the most basic safety measures.

We demand:

1. Better wages and working conditions for every worker, employed directly or by a contractor.
2. An end to deaths in the workplace: an independent inquiry into every one of them.
3. The reinstatement of the sacked workers' leader.
4. An end to the persecution of the workers' lawyers and of everyone who supports them.

We will hand this petition to the company's head office and make the answer public."""


# --- the machine ----------------------------------------------------------------------


def describe_machine():
    import django
    import gunicorn
    import psycopg

    cpu = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem_kb = int(Path("/proc/meminfo").read_text().split()[1])
    with psycopg.connect(f"{PG}/postgres") as conn:
        pg_version = conn.execute("SHOW server_version").fetchone()[0]
        pg_settings = {
            name: conn.execute(f"SHOW {name}").fetchone()[0]
            for name in ("shared_buffers", "synchronous_commit", "fsync", "max_connections")
        }
    os_name = platform.platform()
    with contextlib.suppress(OSError, TypeError):
        os_name = re.search(r'PRETTY_NAME="([^"]+)"', Path("/etc/os-release").read_text())[1]
    print(f"machine      {os.cpu_count()} × {cpu}, {mem_kb / 1024 / 1024:.0f} GB RAM, {os_name}, {platform.release()}")
    print(
        f"software     Python {platform.python_version()}, Django {django.get_version()}, "
        f"gunicorn {gunicorn.__version__}, psycopg {psycopg.__version__}, PostgreSQL {pg_version} "
        f"({', '.join(f'{k}={v}' for k, v in pg_settings.items())})"
    )
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} before the run")


# --- the database ---------------------------------------------------------------------


def recreate_database():
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {DB_NAME}")


def drop_database():
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")


def backend_cpu():
    """CPU seconds this process's PostgreSQL backend has used (on this machine): what the
    database spent on the work done through Django's connection."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    fields = Path(f"/proc/{pid}/stat").read_text().split()
    return (int(fields[13]) + int(fields[14])) / os.sysconf("SC_CLK_TCK")


def step(label, fn, *args, **kwargs):
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    print(f"  {label:<58} {time.perf_counter() - start:6.1f} s")
    return result


def bulk_load(petition, n):
    """n confirmed signatures in one INSERT … SELECT generate_series: a third listed
    publicly, spread over 17 countries and the last weeks. The counters are rebuilt from
    them afterwards (services.recount)."""
    from django.db import connection

    from lib import crypto

    # Names, towns and organisations are encrypted at rest (lib/crypto.py): a pool of
    # tokens, made here, that the rows share (a real table has a token per row, as long).
    names = [crypto.encrypt(f"Invented Signer {k}") for k in range(1000)]
    towns = [crypto.encrypt(f"Town {k}") for k in range(997)]
    unions = [crypto.encrypt(f"Union branch {k}") for k in range(311)]
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO petitions_signature (
                petition_id, name, email, email_hash, country, town, organisation, comment, public,
                wants_updates, status, source, paper_batch_id, possible_duplicate,
                created_at, confirmed_at, mailed_at, nonce)
            SELECT p.id, (p.names)[1 + mod(i, 1000)], '', encode(sha256(('bench:' || p.id || ':' || i)::bytea), 'hex'),
                   (p.countries)[1 + mod(i, cardinality(p.countries))],
                   CASE WHEN mod(i, 4) = 0 THEN (p.towns)[1 + mod(i, 997)] ELSE '' END,
                   CASE WHEN mod(i, 5) = 0 THEN (p.unions)[1 + mod(i, 311)] ELSE '' END,
                   '', mod(i, 3) = 0, false, 'confirmed', 'online', NULL, false,
                   t.ts, t.ts + interval '10 minutes', t.ts, substr(md5(i::text), 1, 22)
            FROM (SELECT %s::bigint AS id, %s::text[] AS countries, %s::int AS n,
                         %s::text[] AS names, %s::text[] AS towns, %s::text[] AS unions) AS p,
                 generate_series(1, p.n) AS i,
                 LATERAL (SELECT now() - interval '3 seconds' * (p.n - i) AS ts) AS t
            """,
            [petition.pk, COUNTRIES, n, names, towns, unions],
        )


def prepare(n_big, n_small, static_root):
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from petitions import services
    from petitions.models import Petition, SignatureCount

    settings.STATIC_ROOT = static_root  # as bench/wsgi_bench.py does for the server
    step("migrate", call_command, "migrate", verbosity=0)
    step("createcachetable", call_command, "createcachetable", verbosity=0)
    step("collectstatic (manifest + compression, as in production)", call_command, "collectstatic", verbosity=0)

    def petition(slug, title):
        return Petition.objects.create(
            slug=slug,
            title=title,
            status=Petition.Status.OPEN,
            summary="Better wages and conditions, an end to deaths at work, reinstate the sacked workers' leader.",
            text=PETITION_TEXT,
            addressed_to="The company's head office, London",
            goal=2_000_000,
        )

    big = petition("a-million-signatures", "A petition with a million signatures")
    small = petition("a-hundred-signatures", "A petition with a hundred signatures")
    step(f"load {n_big:,} confirmed signatures", bulk_load, big, n_big)
    step(f"load {n_small:,} confirmed signatures", bulk_load, small, n_small)
    step("services.recount() both petitions", lambda: (services.recount(big), services.recount(small)))
    with connection.cursor() as cursor:
        step("VACUUM ANALYZE", cursor.execute, "VACUUM ANALYZE")
    counts = {p.slug: SignatureCount.objects.filter(petition=p).count() for p in (big, small)}
    print(f"  counter rows: {counts}; shown counts {big.confirmed_count():,} and {small.confirmed_count():,}")
    connection.close()
    return big, small


def check_database(big, started_at, accepted):
    from django.db import connection

    from petitions.models import Signature

    new = Signature.objects.filter(petition=big, created_at__gte=started_at, status="pending")
    # No email worker runs: each new signature's mail waits on its own row (mail_due).
    due = new.filter(mail_due=True).count()
    confirmed = Signature.objects.filter(petition=big, status="confirmed").count()
    print(
        f"check        {accepted:,} signatures accepted (warm-ups included); in the database: {new.count():,} new "
        f"pending signatures, {due:,} of them due their email; the page's count {big.confirmed_count():,}, "
        f"confirmed rows {confirmed:,}"
    )
    connection.close()


# --- the server -------------------------------------------------------------------------


class Server:
    def __init__(self, port, workers, threads, static_root):
        self.port, self.workers, self.threads = port, workers, threads
        self.env = {**os.environ, **ENV, "BENCH_STATIC_ROOT": str(static_root), "GUNICORN_ACCESS_LOG": "0"}
        self.log = tempfile.NamedTemporaryFile(prefix="bench-gunicorn-", suffix=".log", delete=False)  # noqa: SIM115
        self.process = None

    @property
    def worker_class(self):
        return "gthread" if self.threads > 1 else "sync"

    def start(self):
        command = [
            sys.executable, "-m", "gunicorn", "bench.wsgi_bench:application",
            "--config", "docker/gunicorn.conf.py",
            "--bind", f"{HOST}:{self.port}",
            "--workers", str(self.workers),
            "--threads", str(self.threads),
            "--max-requests", "0",
            "--log-level", "warning",
        ]  # fmt: skip
        self.process = subprocess.Popen(  # noqa: S603
            command, cwd=ROOT, env=self.env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {Path(self.log.name).read_text()[-3000:]}")
            try:
                conn = http.client.HTTPConnection(HOST, self.port, timeout=5)
                conn.request("GET", "/healthz")
                healthy = conn.getresponse().status == 200
                conn.close()
                if healthy and len(self.worker_pids()) == self.workers:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise RuntimeError("gunicorn did not answer /healthz within 60 s")

    def worker_pids(self):
        return [pid for pid in _pids() if _ppid(pid) == self.process.pid]

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)  # the master stops its workers
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)  # the group we started, nothing else
            self.process.wait()


# --- CPU: where the time goes ---------------------------------------------------------

TICK = os.sysconf("SC_CLK_TCK")


def _pids():
    return [int(name) for name in os.listdir("/proc") if name.isdigit()]


def _stat(pid):
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rindex(")") + 2 :].split()


def _ppid(pid):
    fields = _stat(pid)
    return int(fields[1]) if fields else None


def _cpu_seconds(pid):
    fields = _stat(pid)
    return (int(fields[11]) + int(fields[12])) / TICK if fields else 0.0


def _postgres_pids():
    """This database's backends and the server's own processes (WAL writer, checkpointer…),
    not other databases' backends (other people's tests may be running)."""
    pids = []
    for pid in _pids():
        try:
            if Path(f"/proc/{pid}/comm").read_text().strip() != "postgres":
                continue
            cmdline = Path(f"/proc/{pid}/cmdline").read_text()
        except OSError:
            continue
        if DB_NAME in cmdline or "(" not in cmdline:
            pids.append(pid)
    return pids


def _machine_busy():
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]
    return (sum(values[:8]) - idle) / TICK


class CpuMeter:
    """CPU used during a phase by gunicorn's workers, PostgreSQL, this load generator and
    the whole machine, in cores (CPU seconds per second)."""

    def __init__(self, server):
        self.server = server

    def snapshot(self):
        return {
            "gunicorn": {pid: _cpu_seconds(pid) for pid in self.server.worker_pids()},
            "postgres": {pid: _cpu_seconds(pid) for pid in _postgres_pids()},
            "client": sum(os.times()[:2]),
            "machine": _machine_busy(),
            "time": time.perf_counter(),
        }

    @staticmethod
    def between(before, after):
        wall = after["time"] - before["time"]

        def used(kind):
            return sum(cpu - before[kind].get(pid, 0.0) for pid, cpu in after[kind].items())

        cores = {
            "gunicorn": used("gunicorn") / wall,
            "postgres": used("postgres") / wall,
            "client": (after["client"] - before["client"]) / wall,
            "machine": (after["machine"] - before["machine"]) / wall,
        }
        cores["other"] = max(0.0, cores["machine"] - cores["gunicorn"] - cores["postgres"] - cores["client"])
        return cores


class WaitSampler:
    """What the benchmark database's backends are doing, sampled from pg_stat_activity every
    50 ms during a phase: idle (waiting for Django), running, or waiting, and on what
    (Lock: a row another transaction holds; IO/LWLock on WAL: a commit's flush to disk)."""

    def __init__(self):
        self.counts, self.samples = {}, 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self):
        import psycopg

        with psycopg.connect(f"{PG}/{DB_NAME}", autocommit=True) as conn:
            while not self.stop.wait(0.05):
                rows = conn.execute(
                    "SELECT state, wait_event_type, wait_event FROM pg_stat_activity "
                    "WHERE datname = %s AND backend_type = 'client backend' AND pid <> pg_backend_pid()",
                    [DB_NAME],
                ).fetchall()
                for state, wait_type, wait in rows:
                    if state == "idle":
                        what = "idle"
                    elif state == "idle in transaction":
                        what = "idle in transaction"
                    elif wait_type is None:
                        what = "running"
                    else:
                        what = f"{wait_type}:{wait}"
                    self.counts[what] = self.counts.get(what, 0) + 1
                self.samples += 1

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join()

    def summary(self):
        if not self.samples:
            return ""
        ranked = sorted(self.counts.items(), key=lambda kv: -kv[1])
        return ", ".join(f"{n / self.samples:.2f} {what}" for what, n in ranked[:6])


# --- the clients ----------------------------------------------------------------------

TOKEN_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
STARTED_RE = re.compile(r'<input type="hidden" name="started" value="([^"]+)"')


class Client:
    """One visitor: a keep-alive connection (gunicorn's sync workers close it after each
    response, and http.client opens a new one), and the CSRF cookie once it has one."""

    def __init__(self, port, index):
        self.conn = http.client.HTTPConnection(HOST, port, timeout=30)
        self.index = index
        self.cookie = None
        self.form = None
        self.sent = 0

    def request(self, method, path, body=None):
        headers = {}
        if self.cookie:
            headers["Cookie"] = self.cookie
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            content = response.read()
        except (OSError, http.client.HTTPException):
            self.conn.close()
            return 0, None, b""
        return response.status, response, content

    def open_form(self, slug):
        """GET the petition page as a browser would, keeping what the form needs."""
        status, response, content = self.request("GET", f"/petitions/{slug}/")
        cookie = response and response.getheader("Set-Cookie", "")
        match = re.search(r"csrftoken=([^;]+)", cookie or "")
        page = content.decode()
        if status != 200 or not match or not TOKEN_RE.search(page) or not STARTED_RE.search(page):
            raise RuntimeError(f"GET /petitions/{slug}/ gave {status} without a usable form")
        self.cookie = f"csrftoken={match[1]}"
        self.form = {"csrfmiddlewaretoken": TOKEN_RE.search(page)[1], "started": STARTED_RE.search(page)[1]}

    def signature(self, run):
        self.sent += 1
        return urllib.parse.urlencode(
            {
                **self.form,
                "name": f"Invented Signer {self.index}-{self.sent}",
                "email": f"signer.{run}.{self.index}.{self.sent}@bench.example.org",
                "country": COUNTRIES[self.sent % len(COUNTRIES)],
                "town": "Leeds",
                "organisation": "Unite the Union",
                "comment": "",
                "public": "on",
                "website": "",
            }
        )


@dataclass
class Phase:
    name: str
    seconds: float
    latencies: list = field(default_factory=list)
    errors: dict = field(default_factory=dict)
    answered_ok: int = 0  # warm-up included
    waits: str = ""
    by_path: dict = field(default_factory=dict)  # path: latencies, when a phase mixes pages

    def part(self, path):
        """The requests of one page in a mixed phase, as a phase of their own."""
        return Phase(path, self.seconds, self.by_path.get(path, []), cpu=self.cpu, waits=self.waits)

    cpu: dict = field(default_factory=dict)

    @property
    def rate(self):
        return len(self.latencies) / self.seconds

    def pct(self, p):
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))] * 1000 if ordered else float("nan")


def run_load(name, clients, make_request, ok, seconds, warmup, max_requests, cpu):
    """`clients` threads send make_request(client) as fast as answers come back, for
    warmup + seconds; answers started and finished inside the last `seconds` count."""
    phase = Phase(name, seconds)
    lock = threading.Lock()
    barrier = threading.Barrier(len(clients) + 1)
    times = {}
    per_client = max_requests // len(clients)

    def work(client):
        barrier.wait()
        done = answered_ok = 0
        latencies, errors, by_path = [], {}, {}
        while done < per_client:
            begin = time.perf_counter()
            if begin >= times["end"]:
                break
            method, path, body = make_request(client)
            status, response, _content = client.request(method, path, body)
            end = time.perf_counter()
            done += 1
            good = ok(status, response)
            answered_ok += good
            if begin < times["measure"] or end > times["end"]:
                continue
            if good:
                latencies.append(end - begin)
                by_path.setdefault(path, []).append(end - begin)
            else:
                errors[status] = errors.get(status, 0) + 1
        with lock:
            phase.answered_ok += answered_ok
            phase.latencies.extend(latencies)
            for path, values in by_path.items():
                phase.by_path.setdefault(path, []).extend(values)
            for status, n in errors.items():
                phase.errors[status] = phase.errors.get(status, 0) + n

    threads = [threading.Thread(target=work, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    now = time.perf_counter()
    times["measure"], times["end"] = now + warmup, now + warmup + seconds
    barrier.wait()
    time.sleep(warmup)
    before = cpu.snapshot()
    with WaitSampler() as sampler:
        time.sleep(max(0.0, times["end"] - time.perf_counter()))
    for thread in threads:
        thread.join()
    phase.cpu = CpuMeter.between(before, cpu.snapshot())
    phase.waits = sampler.summary()
    return phase


def run_sequential(port, paths, rounds, warmup_rounds):
    """One visitor asking for each page in turn, a request at a time: latency without
    queueing. Taking the pages in turn spreads any drift of the machine over all of them."""
    client = Client(port, 0)
    phases = {path: Phase(path, 0) for path in paths}
    for n in range(warmup_rounds + rounds):
        for path in paths:
            begin = time.perf_counter()
            status, _response, _content = client.request("GET", path)
            elapsed = time.perf_counter() - begin
            if n < warmup_rounds:
                continue
            if status == 200:
                phases[path].latencies.append(elapsed)
            else:
                phases[path].errors[status] = phases[path].errors.get(status, 0) + 1
    return phases


# --- the report -------------------------------------------------------------------------


def print_phase(label, phase, concurrent=True, cpu=True):
    errors = f"  errors {phase.errors}" if phase.errors else ""
    rate = f"{phase.rate:8.0f}/s" if concurrent else f"{len(phase.latencies):6d} reqs"
    print(f"  {label:<40} {rate}  p50 {phase.pct(50):7.2f} ms  p99 {phase.pct(99):7.2f} ms{errors}")
    if phase.cpu and cpu:
        c = phase.cpu
        per = 1000 / phase.rate if phase.rate else float("nan")
        print(
            f"  {'':<40} CPU in cores: gunicorn {c['gunicorn']:.2f}, postgres {c['postgres']:.2f}, "
            f"load generator {c['client']:.2f}, other processes {c['other']:.2f} (machine {c['machine']:.2f} of "
            f"{os.cpu_count()}); per request: gunicorn {c['gunicorn'] * per:.2f} ms, postgres "
            f"{c['postgres'] * per:.2f} ms"
        )
    if phase.waits and cpu:
        print(f"  {'':<40} postgres backends, mean: {phase.waits}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=18900)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (default 4: two per core)")
    parser.add_argument("--threads", type=int, default=1, help="threads per worker (>1: gthread workers)")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=15, help="measured seconds per concurrent phase")
    parser.add_argument("--warmup", type=float, default=3, help="unmeasured seconds before each phase")
    parser.add_argument("--rounds", type=int, default=2, help="floor/signing rounds, alternated")
    parser.add_argument("--page-requests", type=int, default=400, help="sequential requests per page")
    parser.add_argument("--signatures", type=int, default=1_000_000)
    parser.add_argument("--small", type=int, default=100)
    parser.add_argument("--max-requests", type=int, default=200_000, help="cap per concurrent phase")
    parser.add_argument(
        "--cache-url", default="db://django_cache", help="CACHE_URL for the rate limit (default: the database table)"
    )
    parser.add_argument("--keep-db", action="store_true", help="leave campaign_bench in place afterwards")
    args = parser.parse_args()
    ENV["CACHE_URL"] = args.cache_url
    os.environ.update(ENV)
    os.environ.update(IN_PROCESS)

    describe_machine()
    server_threads = f"{args.threads} threads each" if args.threads > 1 else "1 thread each"
    static_root = Path(tempfile.mkdtemp(prefix="bench-static-"))
    server = Server(args.port, args.workers, args.threads, static_root)
    print(
        f"gunicorn     {args.workers} {server.worker_class} workers, {server_threads}, max-requests and access "
        f"log off, on {HOST}:{args.port} (docker/gunicorn.conf.py); {args.clients} clients"
    )
    print(
        f"settings     DEBUG=0, CACHE_URL={args.cache_url} (rate limit), TASKS_BACKEND=database (no worker), "
        "EMAIL_URL=dummy://, SIGN_RATE_LIMIT raised, SIGN_MIN_SECONDS=0, CONN_MAX_AGE=600"
    )
    run = secrets.token_hex(3)
    started = time.perf_counter()
    try:
        print(f"setup        database {DB_NAME}")
        step("create the database", recreate_database)
        big, small = prepare(args.signatures, args.small, static_root)
        step(f"start gunicorn ({args.workers} workers)", server.start)
        cpu = CpuMeter(server)
        big_path, small_path, bare_path = f"/petitions/{big.slug}/", f"/petitions/{small.slug}/", "/bench/bare/"

        print(f"\npetition page, one visitor at a time ({args.page_requests} requests each, taken in turn)")
        pages = run_sequential(args.port, [big_path, small_path, bare_path], args.page_requests, 50)
        print_phase(f"page, {args.signatures:,} signatures", pages[big_path], concurrent=False)
        print_phase(f"page, {args.small:,} signatures", pages[small_path], concurrent=False)
        print_phase("floor: bare view, GET", pages[bare_path], concurrent=False)

        print(f"\nsigning, {args.clients} clients, {args.seconds:.0f} s measured per round after {args.warmup:.0f} s")
        from django.utils import timezone

        sign_started = timezone.now()
        clients = [Client(args.port, i) for i in range(args.clients)]
        for client in clients:
            client.open_form(big.slug)
        sign_path = f"/petitions/{big.slug}/sign/"

        def bare_post(client):
            return "POST", bare_path, client.signature(run)

        def sign_post(client):
            return "POST", sign_path, client.signature(run)

        def accepted(status, response):
            return status == 302 and response.getheader("Location", "").endswith("/check-your-email/")

        floors, signs = [], []
        for n in range(args.rounds):
            floor = run_load(
                "floor", clients, bare_post, lambda s, r: s == 200, args.seconds, args.warmup, args.max_requests, cpu
            )
            sign = run_load("sign", clients, sign_post, accepted, args.seconds, args.warmup, args.max_requests, cpu)
            print_phase(f"round {n + 1}: floor: bare view, POST", floor)
            print_phase(f"round {n + 1}: signing (POST, 302 accepted)", sign)
            floors.append(floor)
            signs.append(sign)

        print(
            f"\npetition page, {args.clients} clients, {args.seconds:.0f} s; each client asks for the two pages in "
            "turn, so both meet the same conditions"
        )
        page_clients = [Client(args.port, i) for i in range(args.clients)]

        def either_page(client):
            client.sent += 1
            return "GET", big_path if client.sent % 2 else small_path, None

        mixed = run_load(
            "pages", page_clients, either_page, lambda s, r: s == 200, args.seconds, args.warmup, args.max_requests, cpu
        )
        bare_get = run_load(
            "floor",
            page_clients,
            lambda client: ("GET", bare_path, None),
            lambda s, r: s == 200,
            args.seconds,
            args.warmup,
            args.max_requests,
            cpu,
        )
        print_phase("both pages together", mixed)
        lb, ls = mixed.part(big_path), mixed.part(small_path)
        print_phase(f"  of which page, {args.signatures:,} signatures", lb, cpu=False)
        print_phase(f"  of which page, {args.small:,} signatures", ls, cpu=False)
        print_phase("floor: bare view, GET", bare_get)

        floor_rate = sum(p.rate for p in floors) / len(floors)
        sign_rate = sum(p.rate for p in signs) / len(signs)
        big_p50, small_p50 = pages[big_path].pct(50), pages[small_path].pct(50)
        big_p99, small_p99 = pages[big_path].pct(99), pages[small_path].pct(99)
        print("\nsummary")
        print(
            f"  signing {sign_rate:.0f}/s, floor {floor_rate:.0f}/s: {100 * sign_rate / floor_rate:.0f}% of the "
            f"floor (aim: 50% or better)"
        )
        print(
            f"  page at {args.signatures:,} vs {args.small:,} signatures: p50 {big_p50:.2f} vs {small_p50:.2f} ms "
            f"({100 * (big_p50 / small_p50 - 1):+.1f}%), p99 {big_p99:.2f} vs {small_p99:.2f} ms "
            f"({100 * (big_p99 / small_p99 - 1):+.1f}%) (aim: within 10%)"
        )
        print(
            f"  the same under {args.clients} clients: p50 {lb.pct(50):.1f} vs {ls.pct(50):.1f} ms "
            f"({100 * (lb.pct(50) / ls.pct(50) - 1):+.1f}%), p99 {lb.pct(99):.1f} vs {ls.pct(99):.1f} ms "
            f"({100 * (lb.pct(99) / ls.pct(99) - 1):+.1f}%); floor GET p50 {bare_get.pct(50):.1f} ms"
        )
        sign_cpu = sum(p.cpu["gunicorn"] / (p.rate or float("nan")) for p in signs) / len(signs) * 1000
        sign_pg = sum(p.cpu["postgres"] / (p.rate or float("nan")) for p in signs) / len(signs) * 1000
        floor_cpu = sum(p.cpu["gunicorn"] / (p.rate or float("nan")) for p in floors) / len(floors) * 1000
        print(
            f"  CPU per signature: gunicorn {sign_cpu:.2f} ms + PostgreSQL {sign_pg:.2f} ms; per floor POST: "
            f"gunicorn {floor_cpu:.2f} ms"
        )
        print()
        check_database(big, sign_started, sum(p.answered_ok for p in signs))
    finally:
        server.stop()
        from django.db import connections

        connections.close_all()
        if not args.keep_db:
            drop_database()
        shutil.rmtree(static_root, ignore_errors=True)
        Path(server.log.name).unlink(missing_ok=True)
    print(f"done in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
