"""The proxy in front (deploy/nginx/, as docker-compose.yml runs it), with Debian's nginx in front
of a live site: what it keeps for everyone, what it never keeps, the last good copy while the
app is down, and a count as it now is for whoever has just withdrawn their signature.

Skipped where nginx is not installed, except in CI (CI=true), which installs it.
"""

import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "deploy" / "nginx"))
import render  # noqa: E402

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
APP_PORT = int(os.environ.get("PROXY_TEST_APP_PORT", "8173"))
PROXY_PORT = int(os.environ.get("PROXY_TEST_PORT", "8174"))

pytestmark = [
    pytest.mark.skipif(
        NGINX is None and os.environ.get("CI") != "true", reason="nginx is not installed (apt-get install nginx)"
    ),
    # One live site and one nginx on fixed ports: every test here in one pytest-xdist worker.
    pytest.mark.xdist_group("proxy-in-front"),
]

SETUP = """
from petitions.models import Petition, Signature
from petitions import services, tokens
p = Petition.objects.create(title='Free the oil workers', slug='free-them', text='Release them.',
                            addressed_to='KazMunayGaz', status='open')
services.sign(p, {'name': 'Roza', 'email': 'roza@example.org', 'country': 'GB'})
s = Signature.objects.get()
services.confirm(s)
print(tokens.make_token(s, 'withdraw'))
"""


def wait_for(port, up=True, seconds=20):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            if up:
                return
        except OSError:
            if not up:
                return
        time.sleep(0.05)
    raise AssertionError(f"port {port} did not come {'up' if up else 'down'}")


class Site:
    def __init__(self, tmp):
        self.env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{tmp / 'db.sqlite3'}",
            "DEBUG": "1",
            "CACHE_URL": "locmem://",
            "EMAIL_URL": "dummy://",
            "NUM_PROXIES": "1",
            "DJANGO_SETTINGS_MODULE": "campaign.settings",
        }
        self.app = None

    def manage(self, *args):
        return subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), *args],
            env=self.env,
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        ).stdout

    def start(self):
        self.app = subprocess.Popen(
            [sys.executable, str(ROOT / "manage.py"), "runserver", f"127.0.0.1:{APP_PORT}", "--noreload"],
            env=self.env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(APP_PORT)

    def stop(self):
        self.app.send_signal(signal.SIGTERM)
        self.app.wait(10)
        wait_for(APP_PORT, up=False)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("proxy")
    site = Site(tmp)
    site.manage("migrate", "--noinput", "-v0")
    site.withdraw_token = site.manage("shell", "-c", SETUP).strip().splitlines()[-1]
    site.start()
    conf = render.render(
        tmp / "nginx",
        NGINX_UPSTREAM=f"127.0.0.1:{APP_PORT}",
        NGINX_LISTEN=f"127.0.0.1:{PROXY_PORT}",
    )
    nginx = subprocess.Popen([NGINX or "nginx", "-c", str(conf), "-e", str(tmp / "nginx" / "error.log")])
    try:
        wait_for(PROXY_PORT)
        yield site
    finally:
        nginx.terminate()
        nginx.wait(10)
        if site.app.poll() is None:
            site.stop()


def get(path, cookie=None, method="GET", body=None):
    conn = http.client.HTTPConnection("127.0.0.1", PROXY_PORT, timeout=20)
    headers = {"Cookie": cookie} if cookie else {}
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    conn.request(method, path, body, headers)
    response = conn.getresponse()
    response.body = response.read().decode()
    conn.close()
    return response


def cache_status(path, **kwargs):
    return get(path, **kwargs).getheader("X-Cache-Status")


def count(page):
    return int(re.search(r'id="count".*?<p class="h4 mb-1">\s*([\d,]+) signature', page, re.S)[1].replace(",", ""))


def test_an_anonymous_visitor_gets_the_page_kept_for_everyone(site):
    first = cache_status("/prisoners/")
    assert first in {"MISS", "EXPIRED", "HIT", "UPDATING", "STALE"}
    assert cache_status("/prisoners/") == "HIT"


def test_a_kept_petition_page_carries_each_visitors_own_csrf_token_and_signing_works(site):
    get("/petitions/free-them/")
    first, second = get("/petitions/free-them/"), get("/petitions/free-them/")
    assert second.getheader("X-Cache-Status") == "HIT"
    tokens = []
    for response in (first, second):
        cookie = response.getheader("Set-Cookie")
        assert cookie.startswith("csrftoken=")
        assert "Max-Age=31449600" in cookie and "SameSite=Lax" in cookie
        secret = cookie.split(";")[0].split("=", 1)[1]
        assert f'name="csrfmiddlewaretoken" value="{secret}"' in response.body
        assert "csrf-token-7f3c0b1e9d2a4c58" not in response.body
        assert response.getheader("X-Csrf-Placeholder") is None
        tokens.append(secret)
    assert tokens[0] != tokens[1]
    # A visitor who has the cookie keeps it, and their token is theirs.
    again = get("/petitions/free-them/", cookie=f"csrftoken={tokens[0]}")
    assert again.getheader("Set-Cookie") is None
    assert f'value="{tokens[0]}"' in again.body
    # The token from the proxy passes Django's CSRF check: the signature is taken.
    started = re.search(r'name="started" value="([^"]+)"', first.body)[1]
    body = urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": tokens[0],
            "started": started,
            "name": "Natalia",
            "email": "natalia@example.org",
            "country": "FR",
        }
    )
    time.sleep(3.1)  # SIGN_MIN_SECONDS: faster than a person types is software
    signed = get("/petitions/free-them/sign/", cookie=f"csrftoken={tokens[0]}", method="POST", body=body)
    assert signed.status == 302, signed.body[:500]
    assert "/check-email/" in signed.getheader("Location") or "check" in signed.getheader("Location")
    assert signed.getheader("X-Cache-Status") in {None, "BYPASS", "MISS"}
    # Without the token Django refuses the post, as ever.
    refused = get("/petitions/free-them/sign/", method="POST", body=urllib.parse.urlencode({"name": "x"}))
    assert refused.status == 403


def test_a_visitor_with_a_session_or_any_cookie_of_their_own_is_never_served_a_kept_page(site):
    get("/prisoners/")
    assert cache_status("/prisoners/", cookie="sessionid=abc") == "BYPASS"
    assert cache_status("/prisoners/", cookie="messages=abc") == "BYPASS"
    assert cache_status("/prisoners/", cookie="csrftoken=" + "a" * 32 + "; sessionid=abc") == "BYPASS"
    assert cache_status("/prisoners/", cookie="django_language=ru") in {"MISS", "HIT", "EXPIRED"}


def test_a_post_is_never_kept(site):
    for _ in range(2):
        response = get("/petitions/free-them/sign/", method="POST", body="name=x")
        assert response.getheader("X-Cache-Status") in {None, "BYPASS", "MISS"}


def test_the_admin_is_never_kept(site):
    for path in ("/admin/login/", "/ru/admin/login/", "/admin/login/"):
        response = get(path)
        assert response.status == 200
        assert response.getheader("X-Cache-Status") is None


def test_a_page_with_a_query_string_goes_to_the_app(site):
    assert cache_status("/petitions/free-them/signers/?before=5") == "BYPASS"


def test_after_withdrawing_the_visitor_sees_the_count_as_it_now_is(site):
    get("/petitions/free-them/")
    page = get("/petitions/free-them/")
    assert page.getheader("X-Cache-Status") in {"HIT", "UPDATING", "STALE"}  # a copy kept for everyone
    before = count(page.body)
    assert before == 1  # Roza's (the signature posted above is pending: not counted)
    form = get(f"/petitions/withdraw/{site.withdraw_token}/")
    cookie = form.getheader("Set-Cookie").split(";")[0]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.body)[1]
    done = get(
        f"/petitions/withdraw/{site.withdraw_token}/",
        cookie=cookie,
        method="POST",
        body=urllib.parse.urlencode({"csrfmiddlewaretoken": token}),
    )
    assert done.status == 200
    fresh = done.getheader("Set-Cookie")
    assert "fresh=1" in fresh
    cookies = "; ".join([cookie, fresh.split(";")[0]])
    after = get("/petitions/free-them/", cookie=cookies)
    assert after.getheader("X-Cache-Status") == "BYPASS"
    assert count(after.body) == before - 1
    # Everyone else may still see the copy kept a moment ago, for at most its 3 seconds.
    assert get("/petitions/free-them/").getheader("X-Cache-Status") in {"HIT", "EXPIRED", "UPDATING", "STALE"}


def test_while_the_app_is_down_the_last_good_copy_is_served(site):
    get("/prisoners/")
    site.stop()
    try:
        # nginx keeps time in whole seconds and a copy is fresh while its expiry second
        # has not passed, so a 3-second copy may answer for up to 4.
        time.sleep(4.1)
        response = get("/prisoners/")
        assert response.status == 200
        assert response.getheader("X-Cache-Status") == "STALE"
        # A page never kept has nothing to fall back on: the proxy's own error.
        assert get("/petitions/free-them/signers/?before=9").status == 502
    finally:
        site.start()
    for _ in range(3):
        response = get("/prisoners/")
    assert response.getheader("X-Cache-Status") in {"HIT", "MISS", "EXPIRED", "UPDATING", "STALE"}
