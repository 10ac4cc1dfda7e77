"""What the app tells a shared cache in front of it (the proxy, a CDN): an answer with anything of
one visitor's is private; a public page asked for by the proxy leaves the CSRF token for the
proxy to put in; a visitor who has just signed, confirmed or withdrawn gets pages drawn for them.
"""

import pytest
from django.core import mail
from django.core.cache import caches
from django.urls import reverse

from lib.pagecache import CSRF_PLACEHOLDER, FRESH_COOKIE, FRESH_SECONDS
from petitions import services, tokens
from petitions.models import Signature


@pytest.fixture
def petition(make_petition):
    return make_petition()


def test_a_page_carrying_a_visitors_csrf_token_is_private(client, petition):
    response = client.get(petition.get_absolute_url())
    assert "csrftoken" in response.cookies
    assert "private" in response["Cache-Control"]


def test_a_public_page_without_anything_personal_says_nothing_of_the_kind(client, make_prisoner):
    make_prisoner()
    # The list of cases has no form (a case's own page has the form to follow it).
    response = client.get(reverse("prisoners:list"))
    assert not response.cookies
    assert "private" not in response.get("Cache-Control", "")


def test_for_the_proxy_the_page_keeps_the_placeholder_sets_no_cookie_and_says_so(client, petition):
    response = client.get(petition.get_absolute_url(), HTTP_X_PROXY_FILLS_CSRF="1")
    page = response.content.decode()
    assert f'name="csrfmiddlewaretoken" value="{CSRF_PLACEHOLDER}"' in page
    assert response["X-Csrf-Placeholder"] == "1"
    assert not response.cookies
    assert "private" not in response.get("Cache-Control", "")
    # The signed start time is each draw's own, as ever: no placeholder left for it.
    assert "form-started-5e1d7a0c" not in page


def test_a_page_without_a_form_has_no_placeholder_to_fill(client, make_prisoner):
    make_prisoner()
    response = client.get(reverse("prisoners:list"), HTTP_X_PROXY_FILLS_CSRF="1")
    assert "X-Csrf-Placeholder" not in response


def test_a_visitor_with_a_session_gets_their_own_token_even_if_the_header_says_otherwise(organiser_client, petition):
    response = organiser_client.get(petition.get_absolute_url(), HTTP_X_PROXY_FILLS_CSRF="1")
    assert CSRF_PLACEHOLDER not in response.content.decode()
    assert "private" in response["Cache-Control"]


def test_signing_gives_the_fresh_count_cookie_for_a_few_seconds(client, petition, sign_data):
    response = client.post(petition.get_absolute_url() + "sign/", sign_data())
    assert response.status_code == 302
    cookie = response.cookies[FRESH_COOKIE]
    assert cookie["max-age"] == FRESH_SECONDS
    assert cookie["httponly"]
    assert "private" in response["Cache-Control"]


@pytest.fixture
def pages_kept(monkeypatch):
    # conftest.py draws every page afresh; here they are kept, as in production.
    monkeypatch.setattr("lib.pagecache.PAGE_SECONDS", 30)
    caches["pages"].clear()
    yield
    caches["pages"].clear()


def test_after_withdrawing_the_count_on_the_page_is_the_count_as_it_now_is(client, petition, pages_kept):
    services.sign(petition, {"name": "Roza", "email": "roza@example.org", "country": "GB"})
    signature = Signature.objects.get()
    services.confirm(signature)
    mail.outbox.clear()
    page = client.get(petition.get_absolute_url())  # kept now, with 1 signature
    assert "1 signature" in page.content.decode()
    client.cookies.clear()
    response = client.post(f"/petitions/withdraw/{tokens.make_token(signature, 'withdraw')}/")
    assert response.status_code == 200
    assert FRESH_COOKIE in response.cookies
    # Still carrying the cookie: drawn for them, not the copy from a moment ago.
    assert "0 signatures" in client.get(petition.get_absolute_url()).content.decode()
    client.cookies.pop(FRESH_COOKIE)
    # Everyone else gets the copy for its few seconds.
    assert "1 signature" in client.get(petition.get_absolute_url()).content.decode()


def test_confirming_gives_the_fresh_count_cookie(client, petition):
    services.sign(petition, {"name": "Roza", "email": "roza@example.org", "country": "GB"})
    signature = Signature.objects.get()
    response = client.post(f"/petitions/confirm/{tokens.make_token(signature, 'confirm')}/")
    assert response.status_code == 302
    assert FRESH_COOKIE in response.cookies
