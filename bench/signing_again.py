# ruff: noqa: E501
"""What one signature costs, and does signing with an address that has signed answer at
another speed than a first signature? In process, through the WSGI handler with
the production settings (PostgreSQL at 127.0.0.1:5432, Redis, DEBUG=0), one request at a
time: first signatures and second signatures with the same addresses, interleaved, their
wall times and CPU (this process's, and its PostgreSQL backend's) compared with the bare
view's POST (bench/urls_bench.py); and, for scale, one round trip to PostgreSQL over loopback.

Creates and drops the database campaign_bench_again. Prints figures; asserts nothing.

Run: .venv/bin/python bench/signing_again.py [--signatures N]
"""

import argparse
import io
import os
import statistics
import sys
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import petition_signing as ps  # noqa: E402

DB_NAME = "campaign_bench_again"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--signatures", type=int, default=1000, help="addresses, each signed twice (default 1000)")
    args = parser.parse_args()
    ps.DB_NAME = DB_NAME
    env = {**ps.ENV, "DATABASE_URL": f"{ps.PG}/{DB_NAME}", "CACHE_URL": "redis://127.0.0.1:6379/14"}
    os.environ.update(env | ps.IN_PROCESS)
    ps.recreate_database()
    try:
        measure(args.signatures)
    finally:
        from django.db import connections

        connections.close_all()
        ps.drop_database()


def measure(n):
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    settings.ALLOWED_HOSTS = ["*"]
    settings.ROOT_URLCONF = "bench.urls_bench"
    from django.core.wsgi import get_wsgi_application
    from django.db import connection
    from django.middleware.csrf import _get_new_csrf_string, _mask_cipher_secret

    from petitions.forms import fresh_started
    from petitions.models import Petition

    app = get_wsgi_application()
    petition = Petition.objects.create(slug="again", title="Again", text="Text.", status="open")
    secret = _get_new_csrf_string()
    token = _mask_cipher_secret(secret)
    started = fresh_started()

    def post(address, path=f"/petitions/{petition.slug}/sign/", expect="302"):
        body = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": token, "name": "Invented Signer", "email": address, "country": "GB"}
            | {"started": started, "public": "on"}
        ).encode()
        environ = {
            "REQUEST_METHOD": "POST", "PATH_INFO": path, "QUERY_STRING": "",
            "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "80", "HTTP_HOST": "127.0.0.1", "SERVER_PROTOCOL": "HTTP/1.1",
            "wsgi.url_scheme": "http", "REMOTE_ADDR": "127.0.0.1", "wsgi.input": io.BytesIO(body),
            "CONTENT_LENGTH": str(len(body)), "CONTENT_TYPE": "application/x-www-form-urlencoded",
            "HTTP_COOKIE": f"csrftoken={secret}", "wsgi.errors": sys.stderr,
        }  # fmt: skip
        status = []
        start = time.perf_counter()
        b"".join(app(environ, lambda s, h, e=None: status.append(s)))
        elapsed = time.perf_counter() - start
        assert status[0].startswith(expect), status
        return elapsed * 1000

    def cpu_per_request(label, addresses, **kwargs):
        database, own = ps.backend_cpu(), time.process_time()
        for address in addresses:
            post(address, **kwargs)
        own, database = time.process_time() - own, ps.backend_cpu() - database
        print(f"  {label:<44}{own / len(addresses) * 1000:8.3f} {database / len(addresses) * 1000:8.3f}")

    for i in range(50):  # warm up: connections, caches, the statement cache
        post(f"warm.{i}@bench.example.org")
        post(f"warm.{i}@bench.example.org")
    first, again = [], []
    # Interleaved, so that the machine's moods fall on both alike: a new address, then an
    # address signed a moment before (mailed, or not: the worker decides, not the request).
    for i in range(n):
        first.append(post(f"s.{i}@bench.example.org"))
        again.append(post(f"s.{max(i - 1, 0)}@bench.example.org"))
    print(f"\nCPU per request, one at a time, {n} each (ms)")
    print(f"  {'':<44}{'here':>8} {'database':>8}")
    cpu_per_request(
        "bare view, the same POST", [f"b.{i}@bench.example.org" for i in range(n)], path="/bench/bare/", expect="200"
    )
    cpu_per_request("first signature", [f"c.{i}@bench.example.org" for i in range(n)])
    cpu_per_request("the same address again", [f"c.{i}@bench.example.org" for i in range(n)])
    with connection.cursor() as cursor:
        trips = []
        for _ in range(n):
            start = time.perf_counter()
            cursor.execute("SELECT 1")
            cursor.fetchone()
            trips.append((time.perf_counter() - start) * 1000)

    def row(label, values):
        values = sorted(values)
        p10, p90 = values[len(values) // 10], values[len(values) * 9 // 10]
        print(f"  {label:<44}{statistics.median(values):8.3f} {p10:8.3f} {p90:8.3f}")

    print(f"\n{n} addresses, each signed twice, one request at a time (wall ms)")
    print(f"  {'':<44}{'median':>8} {'p10':>8} {'p90':>8}")
    row("first signature", first)
    row("the same address again", again)
    row("one round trip to PostgreSQL (SELECT 1)", trips)
    print(
        f"  difference of the medians: {statistics.median(again) - statistics.median(first):+.3f} ms "
        f"(the spread of first signatures alone, p90 - p10: {sorted(first)[n * 9 // 10] - sorted(first)[n // 10]:.3f} ms)"
    )


if __name__ == "__main__":
    main()
