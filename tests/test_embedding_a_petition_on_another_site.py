"""The embedded petition (/petitions/<slug>/embed/): any site may frame it, and only it;
it sets no cookie; signing through it follows the full page's confirmation, traps, rate
limit and privacy."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from petitions import services
from petitions.models import Signature

pytestmark = pytest.mark.django_db


def policy(response):
    return dict((directive.split(" ", 1) + [""])[:2] for directive in response["Content-Security-Policy"].split("; "))


@pytest.fixture
def embed_sign(client, django_capture_on_commit_callbacks):
    """POST the embed's form as a browser inside another site's frame would: no cookie, no
    CSRF token (the client enforces CSRF checks, as a real browser's request meets them)."""
    framed = Client(enforce_csrf_checks=True)

    def post(petition, data, language=""):
        url = reverse("petitions:embed_sign", args=[petition.slug])
        with django_capture_on_commit_callbacks(execute=True):
            return framed.post(f"/{language}{url}" if language else url, data)

    return post


def test_the_embed_shows_the_title_the_count_the_progress_and_a_compact_form(client, make_petition):
    petition = make_petition(goal=200)
    response = client.get(reverse("petitions:embed", args=[petition.slug]))
    assert response.status_code == 200
    page = response.content.decode()
    assert petition.title in page and "0 signatures" in page and 'max="200"' in page
    for field in ("name", "email", "country", "organisation", "public", "wants_updates", "website", "started"):
        assert f'name="{field}"' in page, field
    assert f'action="/petitions/{petition.slug}/embed/sign/"' in page
    assert "What we keep, who sees it, for how long" in page
    # Links to our own pages open in a new tab, not inside the host's page.
    assert f'href="http://127.0.0.1:8000{petition.get_absolute_url()}" target="_blank" rel="noopener"' in page


def test_any_site_may_frame_the_embed_and_no_other_page(client, make_petition):
    petition = make_petition()
    embed = client.get(reverse("petitions:embed", args=[petition.slug]))
    assert embed.status_code == 200
    assert policy(embed)["frame-ancestors"] == "*"
    assert "X-Frame-Options" not in embed
    # The rest of the policy is the site's: nothing inline, nothing from elsewhere.
    assert policy(embed)["script-src"] == "'self'" and policy(embed)["style-src"] == "'self'"
    assert policy(embed)["form-action"] == "'self'"
    for url in (petition.get_absolute_url(), reverse("petitions:check_email", args=[petition.slug]), "/"):
        response = client.get(url)
        assert response.status_code == 200
        assert policy(response)["frame-ancestors"] == "'none'", url
        assert response["X-Frame-Options"] == "DENY", url


def test_the_embed_sets_no_cookie_when_shown_or_signed_through(client, make_petition, sign_data, embed_sign):
    petition = make_petition()
    shown = client.get(reverse("petitions:embed", args=[petition.slug]))
    assert shown.status_code == 200
    assert not shown.cookies
    assert "csrfmiddlewaretoken" not in shown.content.decode()
    signed = embed_sign(petition, sign_data())
    assert signed.status_code == 302
    assert not signed.cookies
    thanks = client.get(signed["Location"])
    assert thanks.status_code == 200
    assert not thanks.cookies
    assert policy(thanks)["frame-ancestors"] == "*"


def test_signing_through_the_embed_needs_the_emailed_confirmation_like_the_full_page(
    client, make_petition, sign_data, embed_sign
):
    petition = make_petition()
    response = embed_sign(petition, sign_data(town=None, comment=None))
    assert response.status_code == 302
    assert response["Location"] == reverse("petitions:embed_check_email", args=[petition.slug])
    signature = Signature.objects.get()
    assert signature.status == Signature.Status.PENDING
    assert petition.confirmed_count() == 0
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["aigul@example.org"]
    assert "Check your email" in client.get(response["Location"]).content.decode()


def test_signing_through_the_russian_embed_mails_in_russian(make_petition, sign_data, embed_sign):
    petition = make_petition()
    response = embed_sign(petition, sign_data(), language="ru")
    assert response.status_code == 302
    assert response["Location"].startswith("/ru/")
    assert Signature.objects.get().language == "ru"
    assert "/ru/petitions/confirm/" in mail.outbox[0].body


def test_signing_twice_through_the_embed_counts_once_and_says_nothing_new(make_petition, sign_data, embed_sign):
    petition = make_petition()
    first = embed_sign(petition, sign_data())
    second = embed_sign(petition, sign_data(email="Aigul@Example.org"))
    assert (first.status_code, first["Location"]) == (second.status_code, second["Location"])
    assert Signature.objects.count() == 1


def test_the_embeds_traps_and_rate_limit_are_the_full_pages(settings, make_petition, sign_data, embed_sign):
    petition = make_petition()
    trapped = embed_sign(petition, sign_data(website="http://spam.example"))
    assert trapped.status_code == 302  # software gets the usual answer...
    assert not Signature.objects.exists()  # ...and nothing is saved
    forged = embed_sign(petition, sign_data(started="0:forged"))
    assert forged.status_code == 400
    assert "open too long" in forged.content.decode()
    assert not Signature.objects.exists()
    settings.SIGN_RATE_LIMIT = 3  # the two attempts above count too, as on the full page
    embed_sign(petition, sign_data(email="one@example.org"))
    limited = embed_sign(petition, sign_data(email="two@example.org", name="Kept Name"))
    assert limited.status_code == 429
    assert "Kept Name" in limited.content.decode()
    assert Signature.objects.count() == 1


def test_a_bad_field_is_marked_inside_the_frame_and_nothing_is_saved(make_petition, sign_data, embed_sign):
    petition = make_petition()
    response = embed_sign(petition, sign_data(email="not-an-address", name=""))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Please give your name." in page
    assert re.search(r'<input[^>]*name="name"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*name="name"', page)
    assert 'id="id_name_error"' in page  # what aria-describedby points at exists
    assert policy(response)["frame-ancestors"] == "*"
    assert not Signature.objects.exists()


def test_the_embed_of_a_closed_petition_takes_no_signature(make_petition, sign_data, embed_sign, client):
    petition = make_petition(status="closed")
    shown = client.get(reverse("petitions:embed", args=[petition.slug]))
    assert shown.status_code == 200
    assert 'name="email"' not in shown.content.decode()
    assert "This petition is closed." in shown.content.decode()
    response = embed_sign(petition, sign_data())
    assert response.status_code == 410
    assert not Signature.objects.exists()


def test_the_button_only_embed_links_to_the_full_page(client, make_petition):
    petition = make_petition()
    response = client.get(reverse("petitions:embed", args=[petition.slug]), {"form": "0"})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="email"' not in page
    assert f"{petition.get_absolute_url()}#sign" in page


def test_drafts_have_no_embed(client, make_petition):
    petition = make_petition(status="draft")
    assert client.get(reverse("petitions:embed", args=[petition.slug])).status_code == 404


def test_the_embed_shows_no_signer_and_no_address(client, make_petition, sign_data, embed_sign):
    petition = make_petition()
    embed_sign(petition, sign_data(email="secret-signer@example.org", name="Secret Signer"))
    signature = Signature.objects.get()
    services.confirm(signature)
    response = client.get(reverse("petitions:embed", args=[petition.slug]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "1 signature" in page
    assert "secret-signer" not in page and "Secret Signer" not in page


def test_the_petition_page_offers_the_snippet_in_its_own_language(client, make_petition):
    petition = make_petition(title='The "oil workers" petition')
    response = client.get(f"/ru{petition.get_absolute_url()}")
    assert response.status_code == 200
    page = response.content.decode()
    snippet = re.search(r'<textarea id="embed-code"[^>]*>(.*?)</textarea>', page, re.S).group(1)
    # Escaped for the textarea, and within the code the title is escaped for its attribute.
    assert snippet.startswith("&lt;iframe src=&quot;http://127.0.0.1:8000/ru/petitions/")
    assert "/embed/&quot;" in snippet
    assert "title=&quot;The &amp;quot;oil workers&amp;quot; petition&quot;" in snippet


def test_the_embed_is_light(client, make_petition):
    petition = make_petition(goal=100)
    response = client.get(reverse("petitions:embed", args=[petition.slug]))
    assert response.status_code == 200
    # Under 30 KB with its stylesheet, before compression (tests/browser weighs it on the wire).
    stylesheet = (client.get("/static/css/embed.css"),)
    assert len(response.content) + sum(len(b"".join(r.streaming_content)) for r in stylesheet) < 30 * 1024
    assert "bootstrap" not in response.content.decode()
    assert "<script" not in response.content.decode()
