# ruff: noqa: S603, S607, E501  (this machine's own nginx, wrk and gunicorn; report lines read best whole)
"""Two app servers behind the proxy, on one machine: a mixed load, one app server and one email
worker killed half-way, and what visitors saw and what the database holds.

Everything on this machine's loopback, started and stopped by this script:

- the proxy: Debian's nginx with the repository's configuration (deploy/nginx/, rendered by
  deploy/nginx/render.py as docker-compose.yml's image renders it), the second app server
  added in its upstreams/ directory;
- two app servers: gunicorn, 2 sync workers each (docker/gunicorn.conf.py, through
  bench/wsgi_bench.py, which adds the bare view);
- two email workers (`manage.py email_worker`) sending to an SMTP sink in this process
  (bench/failures.py's), which counts every message per recipient;
- PostgreSQL at 127.0.0.1:5432 (database --db, made and dropped here) and Redis at
  127.0.0.1:6379 (database --redis-db, emptied first): the shared CACHE_URL of both servers.

Steps:

1. checks: every page answers through the proxy; an organiser's edit (a petition's title)
   shows on each app server and through the proxy within the caches' seconds; the signing
   rate limit holds across both servers (one address, posting to each in turn); one address
   signing on both servers is one signature;
2. the floor: the bare Django view through the same proxy (a query string, so the proxy
   passes it to the app like any page it does not keep), wrk -t2 -c32;
3. the pages alone through the proxy, wrk as fast as it can (the same 12 pages as below),
   against the floor;
4. the mixed load, --seconds: wrk asks for the home, petition, case and appeal pages in
   English, Russian and Kazakh, at random, as anonymous visitors, paced at --page-rate
   (19 page views to a signature at 100 signatures/s); --signers clients sign the
   petition through the proxy, each signature with a new email address. Half-way, one app
   server is killed (SIGKILL to its whole process group: a machine gone) and one email
   worker too; the email worker is started again 5 s later, as compose's restart policy
   would. The app server stays dead;
5. afterwards: every acknowledged signature ("check your email") in the database once, with its
   email; every pending signature's email received by the sink once the workers are done; the
   proxy's log read for the errors after the kill and the requests it still tried on the
   dead server.

The load comes from one address, which the proxy's connection limit and the app's rate
limit would stop: the nginx configuration is the repository's, with
NGINX_CONNECTIONS_PER_ADDRESS raised, and the app servers run with NUM_PROXIES=2, as behind a
TLS proxy in front of nginx; this script plays that outer proxy, writing each signature's own
X-Forwarded-For (a new address from 2001:db8::/32, the documentation range, each time), so the
hourly limit per address (SIGN_RATE_LIMIT, 30, the default) stays on and each simulated visitor
is under it. Step 1 shows it holding for one address.

Run: .venv/bin/python bench/cluster.py   (about 3 minutes; needs `apt-get install nginx wrk`;
--help for ports and databases)
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
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "deploy" / "nginx"))

import render  # noqa: E402

from bench import failures, surge  # noqa: E402
from bench import petition_signing as ps  # noqa: E402

HOST = "127.0.0.1"
LANGUAGES = ("", "/ru", "/kk")


def say(text=""):
    print(text, flush=True)


def request(port, method, path, body=None, headers=None, timeout=30):
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    headers = dict(headers or {})
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        return response.status, response, response.read()
    except (OSError, http.client.HTTPException):
        return 0, None, b""
    finally:
        conn.close()


class EmailWorker:
    def __init__(self, worker_id, log):
        self.worker_id, self.log, self.process = worker_id, log, None

    def start(self):
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "email_worker", "--worker-id", self.worker_id, "--interval", "0.2"]
            + ["--no-startup-delay", "--no-reload"],
            cwd=ROOT,
            env={**os.environ, **ps.ENV, **ps.IN_PROCESS},
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


class Nginx:
    def __init__(self, port, upstreams, out):
        first, *more = upstreams
        self.out = Path(out)
        self.conf = render.render(
            self.out,
            NGINX_UPSTREAM=f"{HOST}:{first}",
            NGINX_LISTEN=f"{HOST}:{port}",
            NGINX_CONNECTIONS_PER_ADDRESS="4096",
        )
        (self.out / "upstreams" / "bench.conf").write_text(
            "".join(f"server {HOST}:{p} max_fails=1 fail_timeout=10s;\n" for p in more)
        )
        self.port, self.log_path = port, self.out / "access.log"
        self.process = None

    def start(self):
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        subprocess.run([nginx, "-t", "-q", "-c", str(self.conf)], check=True)
        self.log = open(self.log_path, "wb")  # noqa: SIM115
        self.process = subprocess.Popen([nginx, "-c", str(self.conf)], stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if request(self.port, "GET", "/healthz")[0] == 200:
                return
            time.sleep(0.1)
        raise RuntimeError("nginx did not answer")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)

    def log_lines(self):
        """(time, status, upstream addresses) for each request the proxy logged."""
        pattern = re.compile(r"t=([\d.]+) \S+ (\S+) (\d+) .* upstream=(.*)$")
        for line in self.log_path.read_text(errors="replace").splitlines():
            m = pattern.search(line)
            if m:
                yield float(m[1]), m[2], int(m[3]), m[4]


def kill_server(server):
    os.killpg(server.process.pid, signal.SIGKILL)  # the group this script started: master and workers
    server.process.wait()


def prepare(static_root):
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from appeals.models import Appeal
    from petitions.models import Petition
    from prisoners.models import Prisoner

    settings.STATIC_ROOT = static_root
    ps.step("migrate", call_command, "migrate", verbosity=0)
    ps.step("createcachetable", call_command, "createcachetable", verbosity=0)
    ps.step("collectstatic (manifest + compression, as in production)", call_command, "collectstatic", verbosity=0)
    ps.step("load_demo (the campaign's case files, appeals and petitions)", call_command, "load_demo", verbosity=0)
    petition = Petition.objects.create(
        slug="two-servers",
        title="A petition signed on two servers",
        status=Petition.Status.OPEN,
        summary="Better wages and conditions, an end to deaths at work, reinstate the sacked workers' leader.",
        text=ps.PETITION_TEXT,
        addressed_to="The company's head office, London",
        goal=100_000,
        list_signers=True,
    )
    prisoner = Prisoner.objects.published().order_by("pk").first()
    appeal = next(a for a in Appeal.objects.active().order_by("pk") if a.letters.exists())
    connection.close()
    return petition, prisoner, appeal


# --- step 1: checks across the two servers ------------------------------------------------


def form(port, slug):
    """The CSRF cookie and the form's token and signed `started` field, as a browser gets them."""
    status, response, content = request(port, "GET", f"/petitions/{slug}/")
    if status != 200:
        raise RuntimeError(f"the petition page answered {status}")
    page = content.decode()
    token = ps.TOKEN_RE.search(page)[1]
    cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie", ""))
    started = ps.STARTED_RE.search(page)[1]
    return (cookie[1] if cookie else token), token, started


def sign_body(token, started, address, name="Invented Signer", country="GB"):
    return urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "started": started, "name": name, "email": address, "country": country}
    )


def check_edit_shows_everywhere(petition, ports, proxy):
    """An organiser renames the petition: seconds until each server, and the proxy, show it."""
    from django.db import connection

    for port in [*ports, proxy]:
        request(port, "GET", petition.get_absolute_url())  # a copy kept everywhere first
    new_title = f"A petition signed on two servers ({secrets.token_hex(2)})"
    petition.title_en = new_title
    petition.save()
    connection.close()
    edited, seen = time.monotonic(), {}
    while len(seen) < len(ports) + 1 and time.monotonic() - edited < 20:
        for port in [*ports, proxy]:
            if port not in seen:
                status, _, content = request(port, "GET", petition.get_absolute_url())
                if status == 200 and new_title.encode() in content:
                    seen[port] = time.monotonic() - edited
        time.sleep(0.05)
    for port in ports:
        say(f"  the organiser's edit on app server :{port}: shown after {seen.get(port, float('nan')):.2f} s")
    say(f"  the organiser's edit through the proxy: shown after {seen.get(proxy, float('nan')):.2f} s")
    return seen


def check_rate_limit_across_servers(petition, ports, limit):
    """One address posting to each server in turn: the hourly limit counts once for both."""
    cookie, token, started = form(ports[0], petition.slug)
    address = "2001:db8:ffff::1"
    statuses = collections.Counter()
    for n in range(limit + 6):
        port = ports[n % len(ports)]
        status, _, _ = request(
            port,
            "POST",
            f"/petitions/{petition.slug}/sign/",
            sign_body(token, started, f"limit.{n}@bench.example.org"),
            {"Cookie": f"csrftoken={cookie}", "X-Forwarded-For": f"{address}, {HOST}"},
        )
        statuses[status] += 1
    say(
        f"  rate limit, one address posting {limit + 6} times to the two servers in turn (limit {limit} an hour): "
        + ", ".join(f"{status}: {n}" for status, n in sorted(statuses.items()))
    )
    return statuses[302] == limit and statuses[429] == 6


def check_duplicates_across_servers(petition, ports):
    from django.db import connection

    from petitions.models import Signature

    cookie, token, started = form(ports[0], petition.slug)
    address = f"twice.{secrets.token_hex(3)}@bench.example.org"
    for n in range(4):
        request(
            ports[n % len(ports)],
            "POST",
            f"/petitions/{petition.slug}/sign/",
            sign_body(token, started, address),
            {"Cookie": f"csrftoken={cookie}", "X-Forwarded-For": f"2001:db8:eeee::{n + 1}, {HOST}"},
        )
    rows = Signature.objects.filter(petition=petition, email=address).count()
    connection.close()
    say(f"  one address signing 4 times, twice on each server: {rows} signature(s) in the database")
    return rows == 1


# --- step 3: the load ------------------------------------------------------------------------


class Signers:
    """Clients signing through the proxy, a new email address and a new network address each time."""

    def __init__(self, port, slug, clients):
        self.port, self.slug = port, slug
        self.stop_event = threading.Event()
        self.lock = threading.Lock()
        self.events = []  # (begin, end, status)
        self.acknowledged = []
        self.tag = secrets.token_hex(3)
        self.counter = iter(range(1, 10**9))
        self.threads = [threading.Thread(target=self.sign, args=(i,)) for i in range(clients)]

    def start(self):
        for thread in self.threads:
            thread.start()

    def stop(self):
        self.stop_event.set()
        for thread in self.threads:
            thread.join()

    def sign(self, index):
        cookie, token, started = form(self.port, self.slug)
        conn = None
        while not self.stop_event.is_set():
            with self.lock:
                n = next(self.counter)
            address = f"s.{self.tag}.{n}@bench.example.org"
            body = sign_body(token, started, address, name=f"Invented Signer {n}", country=ps.COUNTRIES[n % 17])
            headers = {
                "Cookie": f"csrftoken={cookie}",
                "X-Forwarded-For": f"2001:db8:{n >> 16:x}:{n & 0xFFFF:x}::1",
                "Content-Type": "application/x-www-form-urlencoded",
            }
            begin = time.monotonic()
            try:
                if conn is None:
                    conn = http.client.HTTPConnection(HOST, self.port, timeout=30)
                conn.request("POST", f"/petitions/{self.slug}/sign/", body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                status = response.status
                ok = status == 302 and response.getheader("Location", "").endswith("/check-your-email/")
            except (OSError, http.client.HTTPException):
                status, ok = 0, False
                conn.close()
                conn = None
            end = time.monotonic()
            with self.lock:
                self.events.append((begin, end, status))
                if ok:
                    self.acknowledged.append(address)


def pages_script(paths, delay_ms=0):
    """wrk: a page at random from `paths`; with delay_ms, each connection waits that long
    between requests (wrk's delay()), which paces the load instead of taking every core."""
    listed = ", ".join(f'"{p}"' for p in paths)
    pace = f"function delay()\n  return {delay_ms}\nend\n" if delay_ms else ""
    return f"""
local paths = {{{listed}}}
function init(args)
  math.randomseed(os.time() + tonumber(tostring({{}}):sub(8), 16))
end
request = function()
  return wrk.format("GET", paths[math.random(#paths)])
end
{pace}"""


class CpuSampler:
    """Cores used during the load, sampled each second: this script's process tree (nginx,
    gunicorn, the email workers, wrk, the signing clients), PostgreSQL's processes (every
    database), and the machine, so that the rest (others' work on the same cores) shows."""

    def __init__(self):
        self.stop_event = threading.Event()
        self.used = collections.Counter()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def descendants(self):
        children = collections.defaultdict(list)
        for pid in ps._pids():
            with contextlib.suppress(OSError, IndexError):  # gone since listed
                children[ps._ppid(pid)].append(pid)
        found, todo = [], [os.getpid()]
        while todo:
            pid = todo.pop()
            found.append(pid)
            todo.extend(children.get(pid, ()))
        return found

    def sample(self):
        values = {}
        for kind, pids in (("cluster", self.descendants()), ("postgres", ps._postgres_pids())):
            for pid in pids:
                with contextlib.suppress(OSError, IndexError):
                    values[(kind, pid)] = ps._cpu_seconds(pid)
        return values, ps._machine_busy(), time.monotonic()

    def run(self):
        last, machine, begin = self.sample()
        start = begin
        while not self.stop_event.wait(1):
            now, busy, when = self.sample()
            for key, value in now.items():
                # A process started since the last sample: all its CPU is new.
                self.used[key[0]] += max(0.0, value - last.get(key, 0.0))
            self.used["machine"] += busy - machine
            last, machine = {**last, **now}, busy
            self.seconds = when - start

    def __enter__(self):
        self.seconds = 0
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop_event.set()
        self.thread.join()

    def cores(self):
        wall = self.seconds or float("nan")
        cores = {kind: self.used[kind] / wall for kind in ("cluster", "postgres", "machine")}
        cores["others"] = max(0.0, cores["machine"] - cores["cluster"] - cores["postgres"])
        return cores


def percentile(values, q):
    values = sorted(values)
    if not values:
        return float("nan")
    return values[min(len(values) - 1, int(q / 100 * len(values)))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=18930, help="the proxy; the app servers on the next two ports")
    parser.add_argument("--smtp-port", type=int, default=18935)
    parser.add_argument("--db", default="campaign_bench_cluster")
    parser.add_argument("--redis-db", type=int, default=13)
    parser.add_argument("--seconds", type=int, default=40, help="the mixed load (the kill comes half-way)")
    parser.add_argument("--floor-seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32, help="wrk connections for the pages")
    parser.add_argument("--signers", type=int, default=24, help="clients signing")
    parser.add_argument(
        "--page-rate",
        type=int,
        default=1900,
        help="page views a second wrk aims at in the mixed load: 19 to a signature at 100 signatures/s",
    )
    parser.add_argument("--keep-db", action="store_true")
    args = parser.parse_args()
    if not shutil.which("wrk") or not (shutil.which("nginx") or Path("/usr/sbin/nginx").exists()):
        sys.exit("needs nginx and wrk: apt-get install -y nginx wrk")

    proxy, apps = args.port, [args.port + 1, args.port + 2]
    ps.DB_NAME = args.db
    env = {
        "DATABASE_URL": f"{ps.PG}/{args.db}",
        "CACHE_URL": f"redis://127.0.0.1:6379/{args.redis_db}",
        "EMAIL_URL": f"smtp://{HOST}:{args.smtp_port}",
        "TASKS_BACKEND": "database",
        "SIGN_RATE_LIMIT": "30",
        "SIGN_MIN_SECONDS": "0",  # clients post the form as soon as they have it
        "NUM_PROXIES": "2",  # this script plays a TLS proxy in front of nginx (X-Forwarded-For)
        "ALLOWED_HOSTS": f"{HOST},localhost",
    }
    ps.ENV.update(env)
    os.environ.update(ps.ENV)
    os.environ.update(ps.IN_PROCESS)
    failures.SMTP_PORT = args.smtp_port

    import redis

    redis.Redis(host=HOST, port=6379, db=args.redis_db).flushdb()
    ps.describe_machine()
    say(
        f"cluster      nginx (deploy/nginx, 1 worker) on {HOST}:{proxy}; gunicorn ×2, 2 sync workers each, on :{apps[0]} "
        f"and :{apps[1]}; 2 email workers; PostgreSQL database {args.db}; Redis db {args.redis_db} (CACHE_URL of both)"
    )
    tmp = Path(tempfile.mkdtemp(prefix="bench-cluster-"))
    static_root = tmp / "static"
    servers = [ps.Server(port, 2, 1, static_root) for port in apps]
    worker_log = open(tmp / "email-workers.log", "wb")  # noqa: SIM115
    workers = [EmailWorker(f"bench-email-{i}", worker_log) for i in (1, 2)]
    nginx = Nginx(proxy, apps, tmp / "nginx")
    sink = failures.Sink(delay=0)
    threading.Thread(target=sink.serve_forever, daemon=True).start()
    aims = {}
    try:
        ps.step(f"create the database {args.db}", ps.recreate_database)
        petition, prisoner, appeal = prepare(static_root)
        for server in servers:
            ps.step(f"start gunicorn on :{server.port} (2 workers)", server.start)
        for worker in workers:
            worker.start()
        ps.step("start nginx", nginx.start)

        pages = [
            f"{lang}{path}"
            for lang in LANGUAGES
            for path in ("/", petition.get_absolute_url(), prisoner.get_absolute_url(), appeal.get_absolute_url())
        ]
        pages = [re.sub(r"^/(ru|kk)/(ru|kk|en)/", r"/\1/", p) for p in pages]
        say("\n1. checks")
        for path in pages:
            status, _, content = request(proxy, "GET", path)
            if status != 200:
                raise RuntimeError(f"{path} answered {status} through the proxy")
        say(f"  {len(pages)} pages answer 200 through the proxy: {', '.join(pages)}")
        seen = check_edit_shows_everywhere(petition, apps, proxy)
        aims["an organiser's edit shows on both servers within 3 s, through the proxy within 6 s"] = (
            all(seen.get(p, 99) <= 3.5 for p in apps) and seen.get(proxy, 99) <= 6.5
        )
        aims["the rate limit holds across both servers"] = check_rate_limit_across_servers(petition, apps, 30)
        aims["one address on both servers is one signature"] = check_duplicates_across_servers(petition, apps)

        say("\n2. the floor: the bare view through the proxy (not kept: a query string)")
        floor_url = f"http://{HOST}:{proxy}/bench/bare/?floor"
        surge.wrk(floor_url, surge.lua_get(), 2, 2, args.connections)
        floor = surge.wrk(floor_url, surge.lua_get(), args.floor_seconds, 2, args.connections)
        say(
            f"  {floor['rate']:.0f} requests/s, p50 {floor['p50']:.1f} ms, p99 {floor['p99']:.1f} ms, non-2xx {floor['bad']} {floor['socket']}"
        )

        say(f"\n3. the pages alone, as fast as wrk can ask: wrk -t2 -c{args.connections} on the {len(pages)} pages")
        full = surge.wrk(f"http://{HOST}:{proxy}/", pages_script(pages), args.floor_seconds, 2, args.connections)
        say(
            f"  {full['rate']:.0f} page views/s, p50 {full['p50']:.1f} ms, p99 {full['p99']:.1f} ms, non-2xx {full['bad']} {full['socket']}"
        )
        say(f"  {full['rate'] / floor['rate']:.1f}× the bare view through the same proxy")

        delay = max(1, round(args.connections * 1000 / args.page_rate))
        say(
            f"\n4. the mixed load, {args.seconds} s: wrk -t2 -c{args.connections} on the {len(pages)} pages, each connection "
            f"waiting {delay} ms between requests (about {args.page_rate}/s), and {args.signers} clients signing"
        )
        signers = Signers(proxy, petition.slug, args.signers)
        result = {}

        def pages_load():
            script = pages_script(pages, delay)
            result.update(surge.wrk(f"http://{HOST}:{proxy}/", script, args.seconds, 2, args.connections))

        load = threading.Thread(target=pages_load)
        begin = time.monotonic()
        wall_begin = time.time()
        load_before = os.getloadavg()[0]
        sampler = CpuSampler().__enter__()
        load.start()
        signers.start()
        time.sleep(args.seconds / 2)
        killed_at, wall_killed = time.monotonic(), time.time()
        kill_server(servers[0])
        workers[0].kill()
        say(f"  at {killed_at - begin:.1f} s: app server :{apps[0]} and email worker 1 killed (SIGKILL)")
        time.sleep(5)
        workers[0].start()
        say(f"  at {time.monotonic() - begin:.1f} s: email worker 1 started again, as compose's restart policy would")
        load.join()
        signers.stop()
        end = time.monotonic()
        sampler.__exit__()
        cores = sampler.cores()

        # --- figures
        duration = end - begin
        signs = signers.events
        sign_ok = [e - b for b, e, s in signs if s == 302]
        sign_bad = collections.Counter(s for _, _, s in signs if s != 302)
        bad_after_kill = [e for b, e, s in signs if s != 302 and b <= killed_at + 2 and e >= killed_at]
        bad_other = [e for b, e, s in signs if s != 302 and not (b <= killed_at + 2 and e >= killed_at)]
        log = [line for line in nginx.log_lines() if line[0] >= wall_begin]
        errors = [(t, uri, s) for t, uri, s, _ in log if s >= 500]
        dead = f"{HOST}:{apps[0]}"
        tried_dead = [t for t, _, _, up in log if t >= wall_killed and dead in up]
        last_error = max((t for t, _, _ in errors if t >= wall_killed), default=None)
        raw = nginx.log_path.read_text(errors="replace").splitlines()
        cache = collections.Counter(m[1] for m in (re.search(r"cache=(\S*)", line) for line in raw) if m)

        say(
            f"\n  CPU, in cores of {os.cpu_count()}: the machine {cores['machine']:.2f}; this cluster (nginx, gunicorn, "
            f"email workers, wrk, the signing clients) {cores['cluster']:.2f}; PostgreSQL {cores['postgres']:.2f}; "
            f"other work on the machine {cores['others']:.2f} (load average {load_before:.1f} before, "
            f"{os.getloadavg()[0]:.1f} after)"
        )
        say("\n  what the visitors saw")
        say(
            f"  page views   {result['rate']:.0f}/s through the proxy (wrk), p50 {result['p50']:.1f} ms, p99 {result['p99']:.1f} ms, "
            f"non-2xx {result['bad']} {result['socket']}"
        )
        say(
            f"  signatures   {len(sign_ok) / duration:.0f}/s acknowledged ({len(sign_ok)} in {duration:.0f} s), "
            f"p50 {percentile(sign_ok, 50) * 1000:.1f} ms, p99 {percentile(sign_ok, 99) * 1000:.1f} ms; "
            f"other answers: {dict(sign_bad) or 'none'} ({len(bad_after_kill)} open at the kill, {len(bad_other)} otherwise)"
        )
        total_requests = result["rate"] * args.seconds + len(signs)
        say(f"  signatures were 1 request in {total_requests / max(1, len(signs)):.0f}")
        cache_line = ", ".join(f"{k or '-'} {v}" for k, v in cache.most_common())
        say(f"  the proxy's cache: {cache_line}")
        say(
            f"  the proxy's 5xx answers: {len(errors)} ({', '.join(sorted({f'{uri} {s}' for _, uri, s in errors})[:5])})"
        )
        say(
            f"  after the kill: last 5xx at {last_error - wall_killed:.2f} s; "
            if last_error
            else "  after the kill: no 5xx; "
        )
        first_dead = min(tried_dead, default=None)
        say(
            f"  requests the proxy still tried on the dead server after the kill: {len(tried_dead)}"
            + (
                f", at {', '.join(f'{t - wall_killed:.2f}' for t in tried_dead[:12])} s"
                + (" …" if len(tried_dead) > 12 else "")
                if tried_dead
                else ""
            )
            + " (each passed to the other server; one try every fail_timeout, 10 s, while it stays down)"
        )
        stopped = (
            max((t for t in tried_dead if first_dead is not None and t - first_dead < 2), default=wall_killed)
            - wall_killed
        )

        say("\n5. what the database holds, and the email")
        checked = failures.check_signatures(petition, signers.acknowledged)
        expected, missing = failures.mail_sent(petition, sink, wait=600)
        twice = failures.sent_twice(sink)
        say(
            f"  emails       pending signatures {len(expected)}, emails received {sum(sink.received.values())} for "
            f"{len(sink.received)} addresses: missing {len(missing)}, sent twice {twice}"
        )
        counts_exact = failures.check_counts(petition)

        fivexx_other = (
            len(bad_other)
            + int(result["bad"])
            + sum(1 for t, _, _ in errors if not (wall_killed <= t <= wall_killed + 2))
        )
        aims["no acknowledged signature lost or counted twice"] = (
            checked["lost"] == 0 and checked["duplicated"] == 0 and counts_exact
        )
        aims["every pending signature's email sent"] = not missing
        aims["the proxy stops sending to the dead server within 2 s (last error within 2 s of the kill)"] = (
            last_error is None or last_error - wall_killed <= 2
        ) and stopped <= 2
        aims["0 errors other than the killed server's open requests"] = fivexx_other == 0 and not result["socket"]
        aims["p99 under 500 ms (pages and signing)"] = result["p99"] < 500 and percentile(sign_ok, 99) < 0.5
        aims[f"pages through the proxy at 3× the bare view or more ({full['rate'] / floor['rate']:.1f}×)"] = (
            full["rate"] >= 3 * floor["rate"]
        )
        aims[f"100 signatures/s or more while pages are served ({len(sign_ok) / duration:.0f}/s)"] = (
            len(sign_ok) / duration >= 100
        )

        say("\naims")
        for aim, met in aims.items():
            say(f"  {'met    ' if met else 'MISSED '} {aim}")
    finally:
        for server in servers:
            if server.process and server.process.poll() is None:
                server.stop()
        for worker in workers:
            worker.stop()
        nginx.stop()
        sink.shutdown()
        if not args.keep_db:
            from django.db import connections

            connections.close_all()
            ps.drop_database()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
