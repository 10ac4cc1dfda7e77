"""`make run` on another port (runserver 127.0.0.1:8001) with no SITE_URL set: the links the
site hands out (share links, the embed snippet, emails) follow the address the browser used.
A production site, or one whose SITE_URL is set, never takes its links from the Host header."""

import re

import pytest
from django.core import mail, signing
from django.test import Client
from django.urls import reverse

from petitions.forms import STARTED_SALT

pytestmark = pytest.mark.django_db


@pytest.fixture
def local(settings):
    settings.DEBUG = True
    settings.SITE_URL_FROM_REQUEST = True
    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost"]


def test_pages_link_to_the_port_the_browser_used(local, make_petition):
    petition = make_petition()
    page = Client().get(petition.get_absolute_url(), HTTP_HOST="127.0.0.1:8001").content.decode()
    assert "http://127.0.0.1:8001/petitions/" in page
    assert "127.0.0.1:8000" not in page


@pytest.mark.django_db(transaction=True)
def test_the_confirmation_email_links_to_that_port_too(local, make_petition):
    # As under make run: the signature commits inside the request, and its mail goes then.
    petition = make_petition()
    client = Client()
    response = client.post(
        reverse("petitions:sign", args=[petition.slug]),
        {
            "name": "Ann",
            "email": "ann@example.org",
            "country": "GB",
            "started": signing.dumps(0, salt=STARTED_SALT),
        },
        HTTP_HOST="localhost:8123",
    )
    assert response.status_code == 302
    links = re.findall(r"https?://[^\s/]+/", mail.outbox[-1].body)
    assert links and set(links) == {"http://localhost:8123/"}


def test_a_site_with_its_own_site_url_keeps_it(settings, make_petition):
    settings.DEBUG = True
    settings.SITE_URL_FROM_REQUEST = False
    settings.SITE_URL = "https://solidarity.example.org"
    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    page = Client().get(make_petition().get_absolute_url(), HTTP_HOST="127.0.0.1:8001").content.decode()
    assert "https://solidarity.example.org/petitions/" in page and "127.0.0.1:8001/petitions" not in page


def test_an_unknown_host_is_still_refused(local, make_petition):
    assert Client().get(make_petition().get_absolute_url(), HTTP_HOST="evil.example").status_code == 400
