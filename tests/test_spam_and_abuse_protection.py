import datetime
import time

import pytest
from django.core import mail, signing
from django.test import RequestFactory
from django.utils import timezone

from lib.client import client_ip
from lib.hashing import keyed_hash
from petitions.forms import STARTED_SALT
from petitions.models import Signature

pytestmark = pytest.mark.django_db


def test_a_filled_honeypot_gets_the_usual_page_and_saves_nothing(make_petition, sign_data, sign):
    petition = make_petition()
    response = sign(petition, sign_data(website="http://spam.example"))
    assert response.status_code == 302 and "check-your-email" in response["Location"]
    assert Signature.objects.count() == 0 and not mail.outbox


def test_a_form_sent_back_faster_than_a_person_types_saves_nothing(make_petition, sign_data, sign):
    petition = make_petition()
    response = sign(petition, sign_data(started=signing.dumps(time.time(), salt=STARTED_SALT)))
    assert response.status_code == 302
    assert Signature.objects.count() == 0 and not mail.outbox


def test_a_stale_or_forged_form_asks_a_person_to_send_it_again_and_keeps_what_they_typed(
    make_petition, sign_data, sign
):
    petition = make_petition()
    response = sign(petition, sign_data(started="forged", town="Aktau"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "open too long" in page and 'value="Aktau"' in page
    assert Signature.objects.count() == 0
    # The form on that page carries a fresh start time: sending it again works.
    fresh = response.context["form"].data["started"]
    assert sign(petition, sign_data(started=fresh)).status_code == 302
    assert Signature.objects.count() == 1


def test_over_the_rate_limit_a_person_gets_a_clear_message_and_keeps_their_input(
    make_petition, sign_data, sign, settings
):
    settings.SIGN_RATE_LIMIT = 2
    petition = make_petition()
    for n in range(2):
        assert sign(petition, sign_data(email=f"s{n}@example.org")).status_code == 302
    response = sign(petition, sign_data(email="third@example.org", town="Zhezkazgan"))
    assert response.status_code == 429
    page = response.content.decode()
    assert "try again in an hour" in page and 'value="Zhezkazgan"' in page and 'value="third@example.org"' in page
    assert Signature.objects.count() == 2
    # Another network is not affected.
    assert sign(petition, sign_data(email="other@example.org"), REMOTE_ADDR="192.0.2.9").status_code == 302


def test_no_network_address_is_kept_with_a_signature_even_as_a_fingerprint(make_petition, sign_data, sign, settings):
    # A fingerprint under a lasting key gives every IPv4 address back to
    # whoever seizes the server and tries them all.
    petition = make_petition()
    assert sign(petition, sign_data(), REMOTE_ADDR="203.0.113.7").status_code == 302
    stored = str(Signature.objects.values().get())
    assert "203.0.113.7" not in stored
    assert keyed_hash("ip", "203.0.113.7") not in stored
    assert not any("ip" in field.name.split("_") for field in Signature._meta.get_fields())


def test_rate_limit_counters_are_keyed_by_a_salt_that_changes_every_hour(db):
    from django.core.cache import cache

    from lib import ratelimit

    cache.clear()
    ten, eleven = (timezone.make_aware(datetime.datetime(2026, 11, 29, h)) for h in (10, 11))
    assert ratelimit.hour_salt(f"{ten:%Y%m%d%H}") != ratelimit.hour_salt(f"{eleven:%Y%m%d%H}")
    assert not ratelimit.over_limit("test", "203.0.113.7", 1, now=ten)
    assert ratelimit.over_limit("test", "203.0.113.7", 1, now=ten)
    assert not ratelimit.over_limit("test", "203.0.113.7", 1, now=eleven)  # a new hour, a new count
    assert not ratelimit.over_limit("test", "198.51.100.1", 1, now=ten)


def test_behind_proxies_the_address_the_outermost_proxy_saw_counts(settings):
    request = RequestFactory().post("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.5, 10.0.0.1")
    settings.NUM_PROXIES = 0
    assert client_ip(request) == "10.0.0.2"
    settings.NUM_PROXIES = 2
    # The client could have written 1.2.3.4 itself; the proxies added the last two.
    assert client_ip(request) == "198.51.100.5"


def test_behind_a_proxy_an_address_is_one_address_whatever_the_port_or_spelling(settings):
    # The address from a library (django-ipware), not our own parsing, which took
    # "203.0.113.5:4711" as an address of its own, a new one for every connection.
    settings.NUM_PROXIES = 1
    written = ["203.0.113.5", "203.0.113.5:4711", "203.0.113.5:4712", "::ffff:203.0.113.5", "forged, 203.0.113.5"]
    addresses = {client_ip(RequestFactory().post("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=x)) for x in written}
    assert addresses == {"203.0.113.5"}
    assert client_ip(RequestFactory().post("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="[2001:DB8::1]:443")) == (
        "2001:db8::1"
    )


def test_what_is_not_an_address_is_never_taken_for_one(settings):
    # A request that reached the app past the proxy carries only what the client wrote; the
    # lockout stores the address in an address column (on PostgreSQL, text there was a 500).
    settings.NUM_PROXIES = 1
    for written in ("not-an-address", "203.0.113.5x", "", " , "):
        request = RequestFactory().post("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=written)
        assert client_ip(request) == "10.0.0.2", written
