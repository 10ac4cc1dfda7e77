"""Public pages drawn once every few seconds for every anonymous visitor, with each visitor's
own CSRF token and form time put in, and nothing personal kept (lib/pagecache.py)."""

import re
import time

import pytest
from django.core import signing
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from lib import pagecache
from petitions import services
from petitions.forms import STARTED_SALT
from petitions.models import Petition, Signature
from petitions.tokens import make_token

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
STARTED = re.compile(r'name="started" value="([^"]+)"')


@pytest.fixture(autouse=True)
def pages_kept(monkeypatch, pages_written):
    monkeypatch.setattr("lib.pagecache.PAGE_SECONDS", 30)
    return pages_written


def sign(client, petition, page, email):
    return client.post(
        reverse("petitions:sign", args=[petition.slug]),
        {
            "csrfmiddlewaretoken": TOKEN.search(page)[1],
            "started": STARTED.search(page)[1],
            "name": "Ann",
            "email": email,
            "country": "GB",
        },
    )


def test_a_petition_page_is_drawn_once_and_each_visitor_gets_their_own_token_and_time(
    make_petition, settings, django_assert_num_queries
):
    settings.SIGN_MIN_SECONDS = 0
    petition = make_petition()
    url = reverse("petitions:detail", args=[petition.slug])
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    page_one = first.get(url).content.decode()
    with django_assert_num_queries(0):
        response = second.get(url)
    page_two = response.content.decode()
    assert TOKEN.search(page_one)[1] != TOKEN.search(page_two)[1]
    assert pagecache.CSRF_PLACEHOLDER not in page_two
    # Each visitor's token goes with their own cookie: both can sign.
    assert sign(first, petition, page_one, "one@example.org").status_code == 302
    assert sign(second, petition, page_two, "two@example.org").status_code == 302
    assert Signature.objects.filter(petition=petition).count() == 2


def test_the_kept_page_holds_no_token_and_no_form_time(make_petition, pages_kept):
    petition = make_petition()
    Client().get(reverse("petitions:detail", args=[petition.slug]))
    [kept] = pages_kept.values()
    content = kept[0].decode()
    assert TOKEN.search(content)[1] == pagecache.CSRF_PLACEHOLDER
    assert STARTED.search(content)[1] == "form-started-5e1d7a0c"


def test_the_minimum_fill_time_runs_from_when_each_visitor_got_the_page(make_petition, settings, monkeypatch):
    settings.SIGN_MIN_SECONDS = 3
    petition = make_petition()
    url = reverse("petitions:detail", args=[petition.slug])
    Client().get(url)  # someone drew the page earlier
    later = time.time() + 1000
    monkeypatch.setattr("petitions.forms.time.time", lambda: later)
    client = Client()
    page = client.get(url).content.decode()
    assert signing.loads(STARTED.search(page)[1], salt=STARTED_SALT) == later
    # Sent back at once: taken for software, and quietly dropped.
    assert sign(client, petition, page, "bot@example.org").status_code == 302
    assert not Signature.objects.filter(petition=petition).exists()


def test_the_honeypot_still_catches_software_on_a_kept_page(make_petition, settings):
    settings.SIGN_MIN_SECONDS = 0
    petition = make_petition()
    url = reverse("petitions:detail", args=[petition.slug])
    Client().get(url)
    client = Client()
    page = client.get(url).content.decode()
    response = client.post(
        reverse("petitions:sign", args=[petition.slug]),
        {
            "csrfmiddlewaretoken": TOKEN.search(page)[1],
            "started": STARTED.search(page)[1],
            "name": "Bot",
            "email": "bot@example.org",
            "country": "GB",
            "website": "http://spam.example",
        },
    )
    assert response.status_code == 302
    assert not Signature.objects.exists()


def test_a_signer_who_has_just_confirmed_sees_their_signature_counted(make_petition):
    petition = make_petition()
    url = reverse("petitions:detail", args=[petition.slug])
    assert "0" in Client().get(url).content.decode()  # a page with no signatures is kept
    signature = Signature.objects.get(
        pk=services.sign(petition, {"name": "Ann", "email": "ann@example.org", "country": "GB"})
    )
    client = Client()
    response = client.post(reverse("petitions:confirm", args=[make_token(signature, "confirm")]), follow=True)
    page = response.content.decode()
    assert "your signature is confirmed and counted" in page
    assert re.search(r'id="count"[^>]*>.*?\b1\b', page, re.S), "the count on the page they land on includes them"


def test_the_count_is_at_most_a_few_seconds_old(make_petition, monkeypatch):
    petition = make_petition()
    url = reverse("petitions:detail", args=[petition.slug])
    Client().get(url)
    signature = Signature.objects.get(
        pk=services.sign(petition, {"name": "Ann", "email": "ann@example.org", "country": "GB"})
    )
    services.confirm(signature)
    caches["pages"].clear()  # PAGE_SECONDS later
    assert petition.confirmed_count() == 1
    assert re.search(r'id="count"[^>]*>.*?\b1\b', Client().get(url).content.decode(), re.S)


def test_a_staff_preview_of_a_draft_is_never_kept_for_the_public(make_petition, organiser_client, pages_kept):
    draft = make_petition(status=Petition.Status.DRAFT)
    url = reverse("petitions:detail", args=[draft.slug])
    assert organiser_client.get(url).status_code == 200
    assert not pages_kept
    assert Client().get(url).status_code == 404


def test_staff_never_get_the_kept_page(make_petition, organiser_client):
    petition = make_petition()
    url = reverse("petitions:detail", args=[petition.slug])
    Client().get(url)
    Petition.objects.filter(pk=petition.pk).update(title="A new title")
    assert "A new title" in organiser_client.get(url).content.decode()
    assert "A new title" not in Client().get(url).content.decode()  # the public's, for a few seconds


def test_each_language_has_its_own_page(make_petition):
    petition = make_petition()
    english = Client().get(reverse("petitions:detail", args=[petition.slug])).content.decode()
    russian = Client().get(f"/ru/petitions/{petition.slug}/").content.decode()
    assert '<html lang="en"' in english and '<html lang="ru"' in russian


def test_an_address_with_a_query_string_is_drawn_afresh(make_petition, pages_kept):
    petition = make_petition()
    Client().get(reverse("petitions:detail", args=[petition.slug]) + "?utm_source=telegram")
    assert not pages_kept


@pytest.mark.parametrize("page", ["home", "case", "appeal", "petitions", "appeals", "prisoners"])
def test_other_public_pages_are_kept_too(page, make_prisoner, make_appeal, django_assert_num_queries):
    url = {
        "home": "/",
        "case": lambda: reverse("prisoners:detail", args=[make_prisoner().slug]),
        "appeal": lambda: reverse("appeals:detail", args=[make_appeal().slug]),
        "petitions": "/petitions/",
        "appeals": "/appeals/",
        "prisoners": "/prisoners/",
    }[page]
    url = url() if callable(url) else url
    first = Client().get(url)
    assert first.status_code == 200
    with django_assert_num_queries(0):
        second = Client().get(url)
    assert second.status_code == 200
    assert pagecache.CSRF_PLACEHOLDER not in second.content.decode()
