"""Error pages are the site's own, and none of them reads the request body: a body Django
refused to parse must get a 400, not escape as a 500."""

import pytest
from django.db import OperationalError
from django.test import Client
from django.urls import reverse

from campaign import views

SITE = "Kazakhstan Solidarity"


@pytest.fixture
def strict_client():
    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    client.cookies["csrftoken"] = "a" * 32
    return client


@pytest.mark.parametrize("charset", ["utf-16", "latin-1"])
def test_a_form_posted_in_another_charset_gets_our_400_page(strict_client, make_appeal, make_petition, charset):
    for url in (
        reverse("appeals:letter", args=[make_appeal().slug]),
        reverse("petitions:sign", args=[make_petition().slug]),
    ):
        response = strict_client.generic(
            "POST",
            url,
            data="name=x".encode("utf-16"),
            content_type=f"application/x-www-form-urlencoded; charset={charset}",
            HTTP_X_CSRFTOKEN="a" * 32,
        )
        assert response.status_code == 400, url
        page = response.content.decode()
        assert SITE in page and "Something in that request was wrong" in page


def test_a_form_in_a_charset_nobody_knows_is_read_as_utf_8_and_refused_with_the_forms_message(
    strict_client, make_appeal
):
    response = strict_client.generic(
        "POST",
        reverse("appeals:letter", args=[make_appeal().slug]),
        data="name=x".encode("utf-16"),
        content_type="application/x-www-form-urlencoded; charset=no-such-charset",
        HTTP_X_CSRFTOKEN="a" * 32,
    )
    assert response.status_code == 400


def test_a_form_without_its_token_gets_our_page_saying_nothing_was_saved(make_appeal):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("appeals:letter", args=[make_appeal().slug]), {"name": "A"})
    assert response.status_code == 403
    assert "Please send the form again" in response.content.decode()


def test_an_unknown_address_gets_our_404_page(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert SITE in response.content.decode() and "Page not found" in response.content.decode()


def test_the_403_and_500_pages_are_in_the_site_design(rf, db):
    request = rf.get("/")
    request.user = None
    assert "Not allowed" in views.permission_denied(request).content.decode()
    response = views.server_error(request)
    assert response.status_code == 500
    assert SITE in response.content.decode() and "Something went wrong on our side" in response.content.decode()


def test_the_500_page_draws_without_the_database(rf, monkeypatch):
    def broken(*args, **kwargs):
        raise OperationalError("the database is down")

    monkeypatch.setattr("django.db.backends.base.base.BaseDatabaseWrapper.cursor", broken)
    assert views.server_error(rf.get("/")).status_code == 500
