"""`make run` on its SQLite file: 32 visitors pressing "Sign" at the same moment all get the
"check your email" page, none a 503 "database is locked", and all 32 are in the database.

The default test database is SQLite in memory, shared by one connection: it cannot show
locking between connections. This test starts the site as `make run` does (runserver, one
thread per request, each with its own connection) on a SQLite file of its own.
"""

import http.client
import os
import re
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
VISITORS = 32


PORT = int(os.environ.get("SQLITE_TEST_PORT", "8178"))  # apart from the proxy and onion tests
# One live site on a fixed port: every test here in one pytest-xdist worker.
pytestmark = pytest.mark.xdist_group("sqlite-live-site")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("sqlite-site")
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp / 'db.sqlite3'}",
        "DEBUG": "1",
        "CACHE_URL": "locmem://",
        "SIGN_MIN_SECONDS": "0",
        "SIGN_RATE_LIMIT": "1000",
        "EMAIL_URL": "dummy://",
        "DJANGO_SETTINGS_MODULE": "campaign.settings",
    }
    env.pop("PYTEST_XDIST_WORKER", None)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True, cwd=ROOT)
    subprocess.run(
        [
            *manage,
            "shell",
            "-c",
            "from petitions.models import Petition; Petition.objects.create(title='Free the oil workers', "
            "slug='free-them', text='Release them.', addressed_to='KazMunayGaz', status='open')",
        ],
        env=env,
        check=True,
        cwd=ROOT,
    )
    port = PORT
    server = subprocess.Popen(
        [*manage, "runserver", f"127.0.0.1:{port}", "--noreload"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        yield port, tmp / "db.sqlite3"
    finally:
        server.terminate()
        server.wait(10)


def form(port):
    """The petition page's CSRF cookie, token and signed start time, as a browser gets them."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/petitions/free-them/")
    response = conn.getresponse()
    page = response.read().decode()
    cookie = response.getheader("Set-Cookie").split(";")[0]
    conn.close()
    fields = dict(re.findall(r'name="(csrfmiddlewaretoken|started)" value="([^"]+)"', page))
    return cookie, fields


def test_32_visitors_signing_at_once_all_get_the_check_your_email_page_and_are_all_counted(site):
    port, db = site
    cookie, fields = form(port)
    go = threading.Barrier(VISITORS)
    statuses = []

    def sign(n):
        body = urllib.parse.urlencode(
            {**fields, "name": f"Visitor {n}", "email": f"visitor{n}@example.org", "country": "GB"}
        )
        go.wait()
        # runserver listens with a queue of 10: on a busy machine a connection beyond it can be
        # reset before any answer, as a browser would see it and send again. Sending again is
        # safe: one address signs once (the row count below checks it).
        for attempt in range(3):
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            try:
                conn.request(
                    "POST",
                    "/petitions/free-them/sign/",
                    body,
                    {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie},
                )
                response = conn.getresponse()
                response.read()
            except (ConnectionResetError, http.client.RemoteDisconnected):
                if attempt == 2:
                    raise
                continue
            finally:
                conn.close()
            statuses.append(response.status)
            return

    threads = [threading.Thread(target=sign, args=(n,)) for n in range(VISITORS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(90)
    assert sorted(statuses) == [302] * VISITORS, statuses
    with sqlite3.connect(db) as conn:
        (rows,) = conn.execute("SELECT count(*) FROM petitions_signature").fetchone()
    assert rows == VISITORS


def test_the_file_database_runs_in_wal_mode(site):
    _port, db = site
    with sqlite3.connect(db) as conn:
        (mode,) = conn.execute("PRAGMA journal_mode").fetchone()
    assert mode == "wal"
