"""The site on an onion address (ONION_HOST): it answers there, every link it hands a visitor
who came through it (pages, redirects, feeds, share links, QR codes, emails) stays on the
onion, the clear site announces it, HTTPS rules fit a plain-HTTP onion, and the rate limits
tell Tor circuits apart. Tor itself cannot reach its network here: what is tested of it is
its configuration, and the PROXY protocol's per-circuit addresses as the app receives them."""

import http.client
import ipaddress
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
import qrcode
import yaml
from django.core import mail
from django.test import Client
from django.urls import reverse

from lib import origin
from lib.client import client_ip
from petitions import services
from petitions.documents import petition_url
from petitions.models import Petition, Signature

ROOT = Path(__file__).resolve().parent.parent
# An address Tor made on this machine (its key thrown away): 56 base32 letters and digits.
ONION = "34w73ocpbym5kxeo7tvuhzstr5ncgxw7jcyd6xy7rrc7axxwcidvubid.onion"
ONION_URL = f"http://{ONION}"
CLEAR = "solidarity.example.org"
CLEAR_URL = f"https://{CLEAR}"


@pytest.fixture(autouse=True)
def onion_site(settings):
    """Production's HTTPS settings behind a TLS proxy, with an onion address."""
    settings.SITE_URL = CLEAR_URL
    settings.ONION_HOST = ONION
    settings.ALLOWED_HOSTS = [CLEAR, ONION, "testserver"]
    settings.CSRF_TRUSTED_ORIGINS = [CLEAR_URL, ONION_URL]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    return settings


def through_onion(client, method, path, **extra):
    """A request as the onion's server block passes it on: the onion's Host, plain HTTP."""
    return getattr(client, method)(path, HTTP_HOST=ONION, HTTP_X_FORWARDED_PROTO="http", **extra)


def on_clear_site(client, method, path, **extra):
    return getattr(client, method)(path, HTTP_HOST=CLEAR, HTTP_X_FORWARDED_PROTO="https", **extra)


def onion_sign(client, petition, data, **extra):
    return through_onion(client, "post", reverse("petitions:sign", args=[petition.slug]), data=data, **extra)


@pytest.fixture
def signing(django_capture_on_commit_callbacks):
    """Run what a signing queues once it commits (the test's transaction never does)."""

    def run(post, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return post(*args, **kwargs)

    return run


# --- the setting ---------------------------------------------------------------------------


def settings_in_a_fresh_process(**env):
    code = (
        "import json; from django.conf import settings; "
        "print(json.dumps([settings.ALLOWED_HOSTS, settings.CSRF_TRUSTED_ORIGINS]))"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "campaign.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_onion_host_is_allowed_and_trusted_for_forms_over_plain_http():
    result = settings_in_a_fresh_process(ONION_HOST=ONION.upper(), ALLOWED_HOSTS=CLEAR)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f'[["{CLEAR}", "{ONION}"], ["{ONION_URL}"]]'


@pytest.mark.parametrize("value", ["http://" + ONION, "example.onion", "solidarity.example.org"])
def test_an_onion_host_that_is_not_one_stops_the_site_naming_it(value):
    result = settings_in_a_fresh_process(ONION_HOST=value)
    assert result.returncode != 0
    assert "ONION_HOST must be the service's host name" in result.stderr
    assert repr(value) in result.stderr


# --- pages and links -----------------------------------------------------------------------


def test_a_petition_page_through_the_onion_links_only_to_the_onion(client, make_petition):
    petition = make_petition()
    response = through_onion(client, "get", petition.get_absolute_url())
    assert response.status_code == 200  # not redirected to https
    page = response.content.decode()
    assert CLEAR not in page
    assert f'content="{ONION_URL}{petition.get_absolute_url()}"' in page  # the link preview's og:url
    assert f'hreflang="ru" href="{ONION_URL}/ru/petitions/{petition.slug}/"' in page
    # The share links share the onion address.
    assert quote(f"{ONION_URL}{petition.get_absolute_url()}", safe="") in page


def test_the_same_page_on_the_clear_site_links_to_the_clear_site_and_announces_the_onion(client, make_petition):
    petition = make_petition()
    response = on_clear_site(client, "get", petition.get_absolute_url() + "?page=2")
    assert response.status_code == 200
    page = response.content.decode()
    assert ONION not in page
    assert f'content="{CLEAR_URL}{petition.get_absolute_url()}"' in page
    # Tor's spec: the same page on the onion, in a header of HTML pages.
    assert response["Onion-Location"] == f"{ONION_URL}{petition.get_absolute_url()}?page=2"
    assert "Onion-Location" not in through_onion(client, "get", petition.get_absolute_url())


def test_only_html_pages_carry_onion_location(client, make_petition):
    petition = make_petition()
    assert "Onion-Location" not in on_clear_site(client, "get", reverse("petitions:feed"))
    assert "Onion-Location" not in on_clear_site(client, "get", reverse("petitions:count_json", args=[petition.slug]))
    assert "Onion-Location" not in on_clear_site(client, "get", "/healthz")


def test_without_an_onion_address_nothing_changes(client, make_petition, settings):
    settings.ONION_HOST = ""
    settings.ALLOWED_HOSTS = [CLEAR, "testserver"]
    petition = make_petition()
    response = on_clear_site(client, "get", petition.get_absolute_url())
    assert "Onion-Location" not in response
    # The onion's name is then just an unknown host.
    assert through_onion(client, "get", petition.get_absolute_url()).status_code == 400


def test_onion_and_clear_pages_are_kept_apart_by_the_page_cache(client, make_petition, monkeypatch):
    monkeypatch.setattr("lib.pagecache.PAGE_SECONDS", 60)
    petition = make_petition()
    clear = on_clear_site(client, "get", petition.get_absolute_url()).content.decode()
    onion = through_onion(client, "get", petition.get_absolute_url()).content.decode()
    again = on_clear_site(client, "get", petition.get_absolute_url()).content.decode()
    assert CLEAR in clear and ONION not in clear
    assert ONION in onion and CLEAR not in onion
    assert ONION not in again


def test_the_count_api_names_the_address_it_was_asked_at(client, make_petition):
    petition = make_petition()
    url = reverse("petitions:count_json", args=[petition.slug])
    assert on_clear_site(client, "get", url).json()["url"] == f"{CLEAR_URL}{petition.get_absolute_url()}"
    assert through_onion(client, "get", url).json()["url"] == f"{ONION_URL}{petition.get_absolute_url()}"


def test_feeds_through_the_onion_link_to_the_onion(client, make_petition):
    make_petition(title="Free the Zhanaozen oil workers")
    feed = through_onion(client, "get", reverse("petitions:feed")).content.decode()
    assert "Free the Zhanaozen oil workers" in feed
    assert f'href="{ONION_URL}/petitions/' in feed
    assert CLEAR not in feed
    clear = on_clear_site(client, "get", reverse("petitions:feed")).content.decode()
    assert f'href="{CLEAR_URL}/petitions/' in clear and ONION not in clear


def test_robots_txt_and_the_sitemap_through_the_onion_name_the_onion(client, make_petition):
    make_petition()
    robots = through_onion(client, "get", "/robots.txt").content.decode()
    assert f"Sitemap: {ONION_URL}/sitemap.xml" in robots
    sitemap = through_onion(client, "get", "/sitemap.xml").content.decode()
    assert f"<loc>{ONION_URL}/" in sitemap and CLEAR not in sitemap


def qr_matrix_of(picture, size):
    box = picture.width / size
    return [
        [picture.getpixel((int((x + 0.5) * box), int((y + 0.5) * box))) < 128 for x in range(size)] for y in range(size)
    ]


def test_the_paper_sheets_qr_code_through_the_onion_holds_the_onion_address(client, make_petition):
    import io

    from pypdf import PdfReader

    petition = make_petition()
    expected = f"{ONION_URL}/petitions/{petition.slug}/"
    response = through_onion(client, "get", reverse("petitions:sheet", args=[petition.slug]))
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.content))
    # A long address wraps onto a second line on the sheet.
    assert expected in reader.pages[0].extract_text().replace("\n", "")
    (image,) = reader.pages[0].images
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2)
    code.add_data(expected)
    code.make(fit=True)
    matrix = code.get_matrix()
    assert qr_matrix_of(image.image.convert("L"), len(matrix)) == matrix
    # The clear site's sheet, drawn after it, is not the onion's copy from the cache.
    clear = PdfReader(
        io.BytesIO(on_clear_site(client, "get", reverse("petitions:sheet", args=[petition.slug])).content)
    )
    assert f"{CLEAR_URL}/petitions/{petition.slug}/" in clear.pages[0].extract_text()


def test_the_helper_decides_one_base_per_origin(make_petition):
    petition = make_petition()
    assert petition_url(petition) == f"{CLEAR_URL}/petitions/{petition.slug}/"
    with origin.using(True):
        assert origin.through_onion()
        assert petition_url(petition) == f"{ONION_URL}/petitions/{petition.slug}/"
    assert origin.site_url() == CLEAR_URL and not origin.through_onion()


# --- redirects, HTTPS, cookies ---------------------------------------------------------------


def test_the_onion_is_never_redirected_to_https_while_the_clear_site_is(client, make_petition):
    petition = make_petition()
    plain_clear = client.get(petition.get_absolute_url(), HTTP_HOST=CLEAR)
    assert plain_clear.status_code == 301 and plain_clear["Location"].startswith(f"https://{CLEAR}/")
    assert through_onion(client, "get", petition.get_absolute_url()).status_code == 200


def test_redirects_through_the_onion_stay_on_it(client, make_petition, sign_data, signing):
    petition = make_petition()
    # A first visit asking for Russian goes to the Russian page, on the same host.
    language = through_onion(client, "get", "/petitions/", HTTP_ACCEPT_LANGUAGE="ru")
    assert language.status_code == 302 and language["Location"] == "/ru/petitions/"
    # Signing ends on "check your email", on the same host.
    signed = signing(onion_sign, client, petition, sign_data())
    assert signed.status_code == 302
    assert signed["Location"].startswith("/") and CLEAR not in signed["Location"]
    followed = through_onion(client, "get", signed["Location"])
    assert followed.status_code == 200 and CLEAR not in followed.content.decode()
    # The short address of a petition, too.
    short = through_onion(client, "get", reverse("petition_short", args=[petition.pk]))
    assert short.status_code in {301, 302} and CLEAR not in short["Location"]


def test_no_hsts_and_no_secure_only_cookies_on_the_onion(client, make_petition):
    petition = make_petition()
    clear = on_clear_site(client, "get", petition.get_absolute_url())
    assert clear["Strict-Transport-Security"].startswith("max-age=31536000")
    assert clear.cookies["csrftoken"]["secure"] is True
    onion = through_onion(Client(), "get", petition.get_absolute_url())
    assert "Strict-Transport-Security" not in onion
    # Tor Browser keeps Secure cookies on .onion; other browsers behind Tor refuse them over HTTP.
    assert onion.cookies["csrftoken"]["secure"] == ""
    # Even when a client claims HTTPS through the onion.
    claimed = Client().get(petition.get_absolute_url(), HTTP_HOST=ONION, HTTP_X_FORWARDED_PROTO="https")
    assert "Strict-Transport-Security" not in claimed


def test_a_form_sent_through_the_onion_passes_the_csrf_check(make_petition, sign_data, signing):
    browser = Client(enforce_csrf_checks=True)
    petition = make_petition()
    page = through_onion(browser, "get", petition.get_absolute_url()).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
    data = sign_data(csrfmiddlewaretoken=token)
    # Tor Browser sends the page's own origin: plain HTTP on the onion host.
    response = signing(onion_sign, browser, petition, data, HTTP_ORIGIN=ONION_URL)
    assert response.status_code == 302
    assert Signature.objects.count() == 1
    # And from anywhere else, refused.
    other = Client(enforce_csrf_checks=True)
    through_onion(other, "get", petition.get_absolute_url())
    refused = onion_sign(other, petition, sign_data(email="x@example.org"), HTTP_ORIGIN="http://evil.example")
    assert refused.status_code == 403


# --- emails ----------------------------------------------------------------------------------


def links_in(message):
    return re.findall(r"https?://[^\s\"<>]+", message.body + message.alternatives[0][0])


def test_the_confirmation_asked_for_through_the_onion_links_to_the_onion(client, make_petition, sign_data, signing):
    petition = make_petition()
    signing(onion_sign, client, petition, sign_data(email="onion@example.org"))
    signing(
        on_clear_site,
        client,
        "post",
        reverse("petitions:sign", args=[petition.slug]),
        data=sign_data(email="clear@example.org"),
    )
    onion_mail, clear_mail = mail.outbox
    assert onion_mail.to == ["onion@example.org"]
    links = links_in(onion_mail)
    assert any("/petitions/confirm/" in link for link in links)
    assert links and all(link.startswith(ONION_URL + "/") for link in links), links
    assert clear_mail.to == ["clear@example.org"]
    assert all(ONION not in link for link in links_in(clear_mail))
    assert any(link.startswith(CLEAR_URL + "/petitions/confirm/") for link in links_in(clear_mail))


def test_the_origin_is_kept_with_the_signature_until_its_mail_is_sent_by_the_worker(
    client, make_petition, sign_data, settings, django_capture_on_commit_callbacks
):
    # With the database queue, the mail is queued by the worker, outside any request.
    settings.TASKS_BACKEND = "database"
    petition = make_petition()
    onion_sign(client, petition, sign_data(email="onion@example.org"))
    signature = Signature.objects.get()
    assert signature.onion and signature.mail_due
    settings.TASKS_BACKEND = "immediate"
    with django_capture_on_commit_callbacks(execute=True):
        assert services.queue_due_mail() == 1
    (message,) = mail.outbox
    assert all(link.startswith(ONION_URL + "/") for link in links_in(message))


def test_signing_again_mails_links_to_where_it_was_signed_this_time(client, make_petition, sign_data, signing):
    petition = make_petition()
    signing(on_clear_site, client, "post", reverse("petitions:sign", args=[petition.slug]), data=sign_data())
    signature = Signature.objects.get()
    services.confirm(signature)
    mail.outbox.clear()
    Signature.objects.update(mailed_at=None)  # the wait between two mails is over
    signing(onion_sign, client, petition, sign_data())
    (note,) = mail.outbox
    assert "already signed" in note.subject
    assert all(link.startswith(ONION_URL + "/") for link in links_in(note))


def test_the_news_of_a_delivery_goes_to_the_address_the_signer_used(client, make_petition, sign_data, signing):
    from petitions import tasks

    petition = make_petition()
    signing(onion_sign, client, petition, sign_data(email="onion@example.org", wants_updates="on"))
    services.confirm(Signature.objects.get())
    Petition.objects.filter(pk=petition.pk).update(status=Petition.Status.DELIVERED)
    mail.outbox.clear()
    tasks.send_delivery_news.call(Signature.objects.get().pk)
    (news,) = mail.outbox
    assert all(link.startswith(ONION_URL + "/") for link in links_in(news))
    assert news.extra_headers["List-Unsubscribe"].startswith(f"<{ONION_URL}/")


# --- rate limits per Tor circuit -----------------------------------------------------------


def circuit(number):
    """The source address Tor's HiddenServiceExportCircuitID haproxy gives a circuit, as the
    onion's server block appends it to X-Forwarded-For (deploy/nginx/sites/onion.conf)."""
    return str(ipaddress.IPv6Address(f"fc00:dead:beef:4dad::{number >> 16:x}:{number & 0xFFFF:x}"))


def test_each_circuit_is_its_own_address_for_the_app():
    from django.test import RequestFactory
    from django.test.utils import override_settings

    with override_settings(NUM_PROXIES=1):
        seen = {
            client_ip(RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=circuit(n)))
            for n in (1, 2, 70000)
        }
        # What the visitor wrote themselves before it is passed over.
        forged = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=f"203.0.113.9, {circuit(5)}")
        assert client_ip(forged) == circuit(5)
    assert seen == {circuit(1), circuit(2), circuit(70000)}


def test_the_signing_limit_counts_each_circuit_apart(client, make_petition, sign_data, signing, settings):
    settings.NUM_PROXIES = 1
    settings.SIGN_RATE_LIMIT = 2
    petition = make_petition()

    def attempt(number, email):
        return signing(
            onion_sign,
            client,
            petition,
            sign_data(email=email),
            REMOTE_ADDR="127.0.0.1",  # every visitor arrives from the local Tor daemon
            HTTP_X_FORWARDED_FOR=circuit(number),
        ).status_code

    assert [attempt(1, f"a{n}@example.org") for n in range(2)] == [302, 302]
    assert attempt(1, "a3@example.org") == 429  # the same circuit is limited
    assert attempt(2, "b1@example.org") == 302  # another circuit is not
    assert Signature.objects.count() == 3


# --- Tor and the proxy's server block ---------------------------------------------------------


def torrc():
    return (ROOT / "deploy" / "tor" / "torrc").read_text()


def test_tor_gives_each_circuit_an_address_and_defends_with_proof_of_work():
    config = torrc()
    assert re.search(r"^HiddenServiceExportCircuitID haproxy$", config, re.M)
    assert re.search(r"^HiddenServicePoWDefensesEnabled 1$", config, re.M)
    assert re.search(r"^HiddenServiceDir /var/lib/tor/\S+$", config, re.M)
    assert re.search(r"^HiddenServicePort 80 127\.0\.0\.1:8081$", config, re.M)
    assert re.search(r"^SocksPort 0$", config, re.M)


@pytest.mark.skipif(shutil.which("tor") is None, reason="tor is not installed (CI installs it: .ci/run)")
def test_tor_accepts_the_configuration_and_makes_the_address_offline(tmp_path):
    config = torrc().replace("/var/lib/tor", str(tmp_path))
    (tmp_path / "torrc").write_text(config)
    tmp_path.chmod(0o700)
    result = subprocess.run(
        ["tor", "--verify-config", "-f", str(tmp_path / "torrc")], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Configuration was valid" in result.stdout
    # Started, it makes the service's keys and address at once, network or not.
    import time

    tor = subprocess.Popen(["tor", "-f", str(tmp_path / "torrc")], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    hostname = next(tmp_path.glob("*/hostname"), None)
    try:
        deadline = time.monotonic() + 30
        while hostname is None and time.monotonic() < deadline and tor.poll() is None:
            time.sleep(0.2)
            hostname = next(tmp_path.glob("*/hostname"), None)
    finally:
        tor.terminate()
        tor.wait(10)
    assert hostname is not None, "tor made no address"
    assert re.fullmatch(r"[a-z2-7]{56}\.onion", hostname.read_text().strip())
    assert (hostname.parent / "hs_ed25519_secret_key").exists()


def test_compose_runs_tor_only_when_asked_with_its_keys_in_a_volume():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    tor = compose["services"]["tor"]
    assert tor["profiles"] == ["onion"]
    # In the proxy's network namespace: the PROXY-protocol port is on 127.0.0.1 only.
    assert tor["network_mode"] == "service:proxy"
    assert "tor:/var/lib/tor" in tor["volumes"] and "tor" in compose["volumes"]
    assert tor["build"] == "deploy/tor"
    dockerfile = (ROOT / "deploy" / "tor" / "Dockerfile").read_text()
    assert "apt-get install -y --no-install-recommends tor" in dockerfile
    assert "USER debian-tor" in dockerfile


def test_the_onion_server_block_takes_the_circuit_address_from_the_proxy_protocol():
    block = (ROOT / "deploy" / "nginx" / "sites" / "onion.conf").read_text()
    assert re.search(r"^\s*listen 127\.0\.0\.1:8081 proxy_protocol;", block, re.M)
    assert re.search(r"^\s*set_real_ip_from 127\.0\.0\.1;", block, re.M)
    assert re.search(r"^\s*real_ip_header proxy_protocol;", block, re.M)
    # The clear site's rules, from the proxy's own snippets.
    assert "include snippets/campaign-locations.conf;" in block
    assert "include snippets/campaign-limits.conf;" in block


# --- through the proxy's real onion server block ---------------------------------------------

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
RENDER = ROOT / "deploy" / "nginx" / "render.py"
APP_PORT = int(os.environ.get("ONION_TEST_APP_PORT", "8175"))
PROXY_PORT = int(os.environ.get("ONION_TEST_PROXY_PORT", "8176"))
TOR_PORT = int(os.environ.get("ONION_TEST_TOR_PORT", "8177"))  # where Tor would connect


def wait_for(port, seconds=30):
    import socket
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"port {port} did not come up")


class TorCircuit(http.client.HTTPConnection):
    """A connection as Tor makes it with HiddenServiceExportCircuitID haproxy: a PROXY
    protocol (v1) header first, naming the circuit's address."""

    def __init__(self, address):
        super().__init__("127.0.0.1", TOR_PORT, timeout=20)
        self.address = address

    def connect(self):
        super().connect()
        self.sock.sendall(f"PROXY TCP6 {self.address} ::1 43210 80\r\n".encode())


def via_tor(address, method, path, body=None, headers=None):
    connection = TorCircuit(address)
    connection.request(method, path, body=body, headers={"Host": ONION, **(headers or {})})
    response = connection.getresponse()
    content = response.read().decode(errors="replace")
    connection.close()
    return response, content


@pytest.fixture(scope="module")
def proxied_site(tmp_path_factory):
    """The app (runserver, production's HTTPS settings) behind Debian's nginx rendered from
    deploy/nginx/ as compose runs it, the onion server block on TOR_PORT instead of 8081."""
    if NGINX is None or not RENDER.exists():
        pytest.skip("needs nginx and the proxy's deploy/nginx/render.py")
    tmp = tmp_path_factory.mktemp("onion-proxy")
    shutil.copytree(ROOT / "deploy" / "nginx", tmp / "deploy-nginx")
    block = tmp / "deploy-nginx" / "sites" / "onion.conf"
    block.write_text(block.read_text().replace("127.0.0.1:8081", f"127.0.0.1:{TOR_PORT}"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "campaign.settings",
        "DEBUG": "0",
        "SECRET_KEY": "onion-proxy-test-only-" + "x" * 40,
        "SIGNATURE_HASH_KEY": "onion-proxy-test-only-" + "y" * 40,
        "DATA_ENCRYPTION_KEY": "onion-proxy-test-only-" + "z" * 40,
        "DATABASE_URL": f"sqlite:///{tmp / 'db.sqlite3'}",
        "CACHE_URL": "locmem://",
        "EMAIL_URL": "dummy://",
        "TASKS_BACKEND": "database",
        "ALLOWED_HOSTS": CLEAR,
        "SITE_URL": CLEAR_URL,
        "ONION_HOST": ONION,
        "NUM_PROXIES": "1",
        "SECURE_PROXY_SSL_HEADER": "1",
        "SIGN_RATE_LIMIT": "2",
        "SIGN_MIN_SECONDS": "0",
    }
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, cwd=ROOT, check=True, timeout=300)
    subprocess.run([*manage, "createcachetable"], env=env, cwd=ROOT, check=True, timeout=60)
    # DEBUG off serves static files by their hashed names: collected as the image does.
    subprocess.run([*manage, "collectstatic", "--noinput", "-v0"], env=env, cwd=ROOT, check=True, timeout=300)
    create = (
        "from petitions.models import Petition; Petition.objects.create(title='Free them', slug='free-them', "
        "text='Release them.', addressed_to='KazMunayGaz', status='open')"
    )
    subprocess.run([*manage, "shell", "-c", create], env=env, cwd=ROOT, check=True, timeout=60)
    app = subprocess.Popen(
        [*manage, "runserver", f"127.0.0.1:{APP_PORT}", "--noreload", "--insecure"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    render = subprocess.run(
        [
            sys.executable,
            str(tmp / "deploy-nginx" / "render.py"),
            str(tmp / "nginx"),
            f"NGINX_UPSTREAM=127.0.0.1:{APP_PORT}",
            f"NGINX_LISTEN=127.0.0.1:{PROXY_PORT}",
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    conf = render.stdout.strip().splitlines()[-1]
    nginx = subprocess.Popen([NGINX, "-c", conf, "-e", str(tmp / "nginx" / "error.log")])
    try:
        wait_for(APP_PORT)
        wait_for(TOR_PORT)
        yield
    finally:
        nginx.terminate()
        nginx.wait(10)
        app.terminate()
        app.wait(10)


def sign_via_tor(address, number):
    from urllib.parse import urlencode

    response, page = via_tor(address, "GET", "/petitions/free-them/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
    started = re.search(r'name="started" value="([^"]+)"', page)[1]
    cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie") or "")
    form = {"csrfmiddlewaretoken": token, "started": started, "name": f"Signer {number}", "country": "GB"}
    form["email"] = f"signer{number}@example.org"
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Origin": ONION_URL}
    if cookie:
        headers["Cookie"] = f"csrftoken={cookie[1]}"
    response, _page = via_tor(address, "POST", "/petitions/free-them/sign/", urlencode(form), headers)
    return response.status


# With the proxy's own tests, on one worker: nginx and the live site on fixed ports.
@pytest.mark.xdist_group("proxy-in-front")
def test_through_the_onion_server_block_pages_stay_on_the_onion_over_plain_http(proxied_site):
    response, page = via_tor("fc00:dead:beef:4dad::1:1", "GET", "/petitions/free-them/")
    assert response.status == 200  # SECURE_SSL_REDIRECT is on: no redirect to https here
    assert response.getheader("Strict-Transport-Security") is None
    assert f"{ONION_URL}/petitions/free-them/" in page and CLEAR not in page
    assert "Secure" not in (response.getheader("Set-Cookie") or "")


# With the proxy's own tests, on one worker: nginx and the live site on fixed ports.
@pytest.mark.xdist_group("proxy-in-front")
def test_through_the_onion_server_block_each_circuit_has_its_own_signing_limit(proxied_site):
    first, second = "fc00:dead:beef:4dad::2:1", "fc00:dead:beef:4dad::2:2"
    assert [sign_via_tor(first, n) for n in range(3)] == [302, 302, 429]
    assert sign_via_tor(second, 3) == 302
