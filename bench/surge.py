# ruff: noqa: S603, S607, E501  (local wrk; the table of pages reads best one a line)
"""A link gone viral: every public page a surge hits, against a bare Django view on
the same server, in one run, with wrk.

With gunicorn (4 sync workers, docker/gunicorn.conf.py), PostgreSQL and Redis on this
machine's loopback, `wrk -t2 -c32` for SECONDS on each of, in turn:

- the floor: the bare view (bench/urls_bench.py), GET, measured first and last;
- the petition page at 100 and at 1,000,000 confirmed signatures;
- the home page, a case page, an appeal page (the demo content, `load_demo`);
- the letter a supporter gets back: the POST of an appeal's letter form;
- the floor for a POST: the same form posted to the bare view, with its CSRF check;
- signing: the POST of the petition's form, a new address each time (302 "check your email").

Every page is asked for as an anonymous visitor would, with no cookie but the CSRF cookie a
form needs. For each: requests per second, p50/p99, CPU of gunicorn per request, and CPU used
by other processes on the machine during the phase (others' test suites: the noise). The
ratios to the floor come last.

It creates and drops its own database (campaign_bench_surge) on PostgreSQL at 127.0.0.1:5432
(user postgres, trust), uses Redis at 127.0.0.1:6379 database 14 (--cache-url), serves on
127.0.0.1:18920 only, and stops by itself. About 5 minutes. Prints figures; asserts nothing.

Run: .venv/bin/python bench/surge.py        (--help for the knobs; needs `apt-get install wrk`)
"""

import argparse
import http.client
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import petition_signing as ps  # noqa: E402

DB_NAME = "campaign_bench_surge"
HOST = "127.0.0.1"
LUA_REQUEST = """
local counter = 0
local thread_id = 0
local threads = {}
function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end
function init(args)
  thread_id = id
end
"""


def lua_post(path, cookie, body_template):
    """A wrk script POSTing body_template with {n} replaced by a number unique in the run."""
    return (
        LUA_REQUEST
        + f"""
local path = "{path}"
local headers = {{["Content-Type"] = "application/x-www-form-urlencoded", ["Cookie"] = "csrftoken={cookie}"}}
local template = "{body_template}"
request = function()
  counter = counter + 1
  local body = string.gsub(template, "{{n}}", thread_id .. "x" .. counter)
  return wrk.format("POST", path, headers, body)
end
"""
    )


def lua_get(cookie=None):
    headers = f'wrk.headers["Cookie"] = "csrftoken={cookie}"' if cookie else ""
    return f'wrk.method = "GET"\n{headers}\n'


def wrk(url, script, seconds, threads, connections):
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(script)
    try:
        out = subprocess.run(
            ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s", "-s", f.name]
            + [url],
            capture_output=True,
            text=True,
            timeout=seconds + 60,
            check=True,
        ).stdout
    finally:
        os.unlink(f.name)
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1])

    def ms(label):
        m = re.search(rf"\s{label}%\s+([\d.]+)(us|ms|s)\b", out)
        if not m:
            return float("nan")
        return float(m[1]) * {"us": 0.001, "ms": 1, "s": 1000}[m[2]]

    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors:.*", out)
    return {
        "rate": rate,
        "p50": ms(50),
        "p99": ms(99),
        "bad": int(bad[1]) if bad else 0,
        "socket": errors[0] if errors else "",
    }


def fetch(port, method, path, body=None, cookie=None):
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    headers = {}
    if cookie:
        headers["Cookie"] = f"csrftoken={cookie}"
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    content = response.read()
    conn.close()
    return response.status, response, content


def prepare(n_big, n_small, static_root):
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from appeals.models import Appeal
    from petitions import services
    from petitions.models import Petition
    from prisoners.models import Prisoner

    settings.STATIC_ROOT = static_root
    ps.step("migrate", call_command, "migrate", verbosity=0)
    ps.step("createcachetable", call_command, "createcachetable", verbosity=0)
    ps.step("collectstatic (manifest + compression, as in production)", call_command, "collectstatic", verbosity=0)
    ps.step("load_demo (the campaign's case files, appeals and petitions)", call_command, "load_demo", verbosity=0)

    def petition(slug, title):
        return Petition.objects.create(
            slug=slug,
            title=title,
            status=Petition.Status.OPEN,
            summary="Better wages and conditions, an end to deaths at work, reinstate the sacked workers' leader.",
            text=ps.PETITION_TEXT,
            addressed_to="The company's head office, London",
            goal=2_000_000,
            list_signers=True,
        )

    big = petition("a-million-signatures", "A petition with a million signatures")
    small = petition("a-hundred-signatures", "A petition with a hundred signatures")
    ps.step(f"load {n_big:,} confirmed signatures", ps.bulk_load, big, n_big)
    ps.step(f"load {n_small:,} confirmed signatures", ps.bulk_load, small, n_small)
    ps.step("services.recount() both petitions", lambda: (services.recount(big), services.recount(small)))
    with connection.cursor() as cursor:
        ps.step("VACUUM ANALYZE", cursor.execute, "VACUUM ANALYZE")
    prisoner = Prisoner.objects.published().order_by("pk").first()
    appeal = next(a for a in Appeal.objects.active().order_by("pk") if a.letters.exists())
    connection.close()
    return big, small, prisoner, appeal


def queue_the_mail_signatures_are_due():
    """What a signature's email costs the email worker, which this benchmark does not run:
    a signature is one row, due a mail, and the worker queues the mail of many
    rows in one transaction (services.queue_due_mail). Measured in this process, with the
    CPU of its PostgreSQL backend, on the rows the signing phases left."""
    from django.db import connection

    from petitions.models import Signature
    from petitions.services import queue_due_mail

    due = Signature.objects.filter(mail_due=True).count()
    if not due:
        return
    database, own = ps.backend_cpu(), time.process_time()
    while queue_due_mail():
        pass
    own, database = time.process_time() - own, ps.backend_cpu() - database
    print(
        f"\nthe email worker's part, not in the figures above: queueing the mail of {due:,} signatures took "
        f"{own / due * 1000:.2f} ms of CPU per signature in the worker and {database / due * 1000:.2f} ms in PostgreSQL"
    )
    connection.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=18920)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--seconds", type=int, default=10, help="measured seconds per page")
    parser.add_argument("--warmup", type=int, default=2, help="unmeasured seconds before each page")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--connections", type=int, default=32, help="wrk connections")
    parser.add_argument("--signatures", type=int, default=1_000_000)
    parser.add_argument("--small", type=int, default=100)
    parser.add_argument("--cache-url", default="redis://127.0.0.1:6379/14")
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument(
        "--fresh",
        action="store_true",
        help="also the petition (100 signatures), case and appeal pages drawn fresh for every request: an address "
        "with a query string is never served from the page cache, as for an organiser, a signer who has just "
        "confirmed, or any cache miss",
    )
    parser.add_argument(
        "--peer",
        action="append",
        default=[],
        metavar="LABEL=URL",
        help="also measure another site's page in the same run, e.g. 'Pytition petition page=http://127.0.0.1:18991/"
        "petition/1/' (a server you started yourself on this machine); repeatable",
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="measure every page this many times in turn, and compare the means (others' load comes and goes)",
    )
    parser.add_argument(
        "--only",
        action="append",
        metavar="WORDS",
        help="measure only the pages whose label contains WORDS (e.g. 'letter'; repeatable); the floors always run. "
        "With no petition page asked for, add --signatures 0 to skip loading a million signatures",
    )
    args = parser.parse_args()

    ps.DB_NAME = DB_NAME  # petition_signing's database helpers, on this script's database
    env = {
        **ps.ENV,
        "DATABASE_URL": f"{ps.PG}/{DB_NAME}",
        "CACHE_URL": args.cache_url,
        "TASKS_BACKEND": "database",
    }
    ps.ENV.update(env)
    os.environ.update(env)
    os.environ.update(ps.IN_PROCESS)
    if not shutil.which("wrk"):
        sys.exit("needs wrk: apt-get install -y wrk")

    ps.describe_machine()
    static_root = Path(tempfile.mkdtemp(prefix="bench-static-"))
    server = ps.Server(args.port, args.workers, 1, static_root)
    print(
        f"gunicorn     {args.workers} sync workers, max-requests and access log off, on {HOST}:{args.port}; "
        f"wrk -t{args.threads} -c{args.connections}, {args.seconds} s per page after {args.warmup} s"
    )
    print(
        f"settings     DEBUG=0, CACHE_URL={args.cache_url}, TASKS_BACKEND=database (no email worker), SIGN_MIN_SECONDS=0"
    )
    started = time.perf_counter()
    try:
        ps.step(f"create the database {DB_NAME}", ps.recreate_database)
        big, small, prisoner, appeal = prepare(args.signatures, args.small, static_root)
        ps.step(f"start gunicorn ({args.workers} workers)", server.start)
        cpu = ps.CpuMeter(server)
        base = f"http://{HOST}:{args.port}"

        # A visitor's CSRF cookie and the petition form's signed `started` field.
        status, response, content = fetch(args.port, "GET", f"/petitions/{small.slug}/")
        cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie", ""))[1]
        started_field = ps.STARTED_RE.search(content.decode())[1]
        run = secrets.token_hex(3)
        letter_body = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": cookie, "name": "Invented Sender", "organisation": "Unite", "town": "Leeds"}
            | {"country": "GB", "language": "en"}
        )
        sign_body = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": cookie,
                "started": started_field,
                "name": "Invented Signer",
                "email": f"s.{run}.NUMBER@bench.example.org",
                "country": "GB",
                "town": "Leeds",
                "public": "on",
            }
        ).replace("NUMBER", "{n}")

        targets = [
            ("floor: bare view, GET (first)", "/bench/bare/", lua_get(), 200),
            (f"petition page, {args.small:,} signatures", f"/petitions/{small.slug}/", lua_get(), 200),
            (f"petition page, {args.signatures:,} signatures", f"/petitions/{big.slug}/", lua_get(), 200),
            ("home page", "/", lua_get(), 200),
            ("case page", f"/prisoners/{prisoner.slug}/", lua_get(), 200),
            ("appeal page", f"/appeals/{appeal.slug}/", lua_get(), 200),
            ("letter page (POST)", f"/appeals/{appeal.slug}/letter/", lua_post(f"/appeals/{appeal.slug}/letter/", cookie, letter_body), 200),
            ("floor: bare view, POST", "/bench/bare/", lua_post("/bench/bare/", cookie, letter_body), 200),
            ("signing (POST, 302)", f"/petitions/{small.slug}/sign/", lua_post(f"/petitions/{small.slug}/sign/", cookie, sign_body), 302),
            ("floor: bare view, GET (last)", "/bench/bare/", lua_get(), 200),
        ]  # fmt: skip
        if args.fresh:
            targets[-1:-1] = [
                (f"petition page drawn fresh, {args.small:,} signatures", f"/petitions/{small.slug}/?fresh", lua_get(), 200),
                ("case page drawn fresh", f"/prisoners/{prisoner.slug}/?fresh", lua_get(), 200),
                ("appeal page drawn fresh", f"/appeals/{appeal.slug}/?fresh", lua_get(), 200),
            ]  # fmt: skip
        for peer in args.peer:
            label, _, url = peer.partition("=")
            targets[-1:-1] = [(f"peer: {label}", url, lua_get(), 200)]
        if args.only:
            targets = [t for t in targets if t[0].startswith("floor") or any(word in t[0] for word in args.only)]

        print("\nchecks: each page answers as a visitor expects before it is measured")
        for label, path, _script, expected in targets:
            if "POST" in label:
                body = (letter_body if "sign" not in path else sign_body.replace("{n}", "check")).encode()
                status, response, content = fetch(args.port, "POST", path, body, cookie)
            elif label.startswith("peer"):
                peer = urllib.parse.urlsplit(path)
                conn = http.client.HTTPConnection(peer.hostname, peer.port or 80, timeout=30)
                conn.request("GET", peer.path + (f"?{peer.query}" if peer.query else ""))
                response = conn.getresponse()
                status, content = response.status, response.read()
                conn.close()
            else:
                status, response, content = fetch(args.port, "GET", path)
            print(f"  {label:<40} {status} {len(content):>7,} bytes")
            if status != expected:
                raise RuntimeError(f"{path} answered {status}, not {expected}: {content[:300]!r}")

        print(f"\n{'':<42}{'req/s':>8} {'p50 ms':>8} {'p99 ms':>8}  {'gunicorn CPU/req':>16}  other processes")
        rates = {label: [] for label, *_rest in targets}
        for round_number in range(1, args.rounds + 1):
            if args.rounds > 1:
                print(f"round {round_number} of {args.rounds}")
            for label, path, script, _expected in targets:
                url = path if label.startswith("peer") else base + path
                wrk(url, script, args.warmup, args.threads, args.connections)
                before = cpu.snapshot()
                result = wrk(url, script, args.seconds, args.threads, args.connections)
                use = ps.CpuMeter.between(before, cpu.snapshot())
                result["cpu"] = use["gunicorn"] / result["rate"] * 1000 if result["rate"] else float("nan")
                result["other"] = use["other"] + use["client"]
                rates[label].append(result["rate"])
                bad = f"  non-2xx/3xx {result['bad']}" if result["bad"] else ""
                print(
                    f"  {label:<40}{result['rate']:8.0f} {result['p50']:8.1f} {result['p99']:8.1f}  "
                    f"{result['cpu']:13.2f} ms  {result['other']:.2f} cores{bad} {result['socket']}",
                    flush=True,
                )
        rate = {label: sum(values) / len(values) for label, values in rates.items()}

        floor_get = (rate["floor: bare view, GET (first)"] + rate["floor: bare view, GET (last)"]) / 2
        floor_post = rate["floor: bare view, POST"]
        rounds = f", each the mean of {args.rounds} rounds" if args.rounds > 1 else ""
        print(
            f"\nratios to the floor in this run (GET floor {floor_get:.0f}/s, the mean of first and last; "
            f"POST floor {floor_post:.0f}/s{rounds}); aim: pages 25% or more, signing 12% or more"
        )
        for label, page_rate in rate.items():
            if label.startswith(("floor", "peer")):
                continue
            floor = floor_post if "POST" in label else floor_get
            share = 100 * page_rate / floor
            aim = 12 if label.startswith("signing") else 25
            print(
                f"  {label:<40}{page_rate:8.0f}/s  {share:5.1f}% of the floor  {'met' if share >= aim else 'NOT met'}"
            )
        peers = {label: value for label, value in rate.items() if label.startswith("peer")}
        for peer_label, peer_rate in peers.items():
            print(f"\nagainst {peer_label} ({peer_rate:.0f}/s; its CPU is among 'other processes'), aim: 100% or more")
            for label, page_rate in rate.items():
                if "drawn fresh" in label:
                    share = 100 * page_rate / peer_rate
                    print(
                        f"  {label:<40}{page_rate:8.0f}/s  {share:5.1f}% of the peer's rate  {'met' if share >= 100 else 'NOT met'}"
                    )
        if any(label.startswith("signing") for label, *_rest in targets):
            queue_the_mail_signatures_are_due()
    finally:
        server.stop()
        from django.db import connections

        connections.close_all()
        if not args.keep_db:
            ps.drop_database()
        shutil.rmtree(static_root, ignore_errors=True)
        Path(server.log.name).unlink(missing_ok=True)
    print(f"done in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
