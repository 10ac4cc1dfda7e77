"""The letter a supporter gets back is drawn once every few seconds per appeal, language and
shape of letters, with slots that each sender's details are put into, escaped, per request
(appeals/views.py, lib/pagecache.py). What is kept is the appeal's public content:
nothing a sender typed, and no one's CSRF token."""

import base64
import pickle
import re
import time

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import resolve, reverse
from django.utils import translation

from appeals import views
from appeals.forms import SentForm
from appeals.letters import MAILTO_LIMIT
from appeals.models import Appeal
from lib import pagecache

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ANN = {"name": "Ann Alpha", "organisation": "Alpha Union", "town": "Aberdeen", "country": "GB", "language": "en"}
BOB = {"name": "Bob Beta", "organisation": "Beta Branch", "town": "Bordeaux", "country": "FR", "language": "en"}
# What a sender might type to break out of a slot, an attribute or the mailto link.
HOSTILE = {
    "name": "<b>\"Zed\" & 'Zoe'</b> " + pagecache.slot("body-0"),
    "organisation": pagecache.CSRF_PLACEHOLDER + " &amp; Co",
    "town": "Leeds {sender_name} %0D%0Abcc=spy@example.org",
    "country": "CI",
    "language": "en",
}


@pytest.fixture(autouse=True)
def kept(monkeypatch, pages_written):
    monkeypatch.setattr("lib.pagecache.PAGE_SECONDS", 30)
    return pages_written


def post(client, appeal, data, prefix=""):
    return client.post(prefix + reverse("appeals:letter", args=[appeal.slug]), data)


def kept_pages(pages_written):
    """The letter pages kept (drawn with slots), as the pages cache was given them."""
    return [value for value in pages_written.values() if isinstance(value, str) and pagecache.SLOT in value]


def everything_kept(pages_written):
    """Every cache's content, as bytes: the pages cache, the kept appeal data, the shared cache."""
    blobs = [pickle.dumps(value) for value in pages_written.values()]
    blobs += [pickle.dumps(value) for value in pagecache.kept_values()]
    with connection.cursor() as cursor:
        cursor.execute("SELECT value FROM django_cache")
        blobs += [base64.b64decode(value) for (value,) in cursor.fetchall()]
    return b"\n".join(blobs)


def test_two_senders_get_their_own_letters_and_never_each_others(make_appeal, django_assert_num_queries):
    appeal = make_appeal()
    ann = post(Client(), appeal, ANN).content.decode()
    with django_assert_num_queries(0):  # the appeal and the page were kept
        bob = post(Client(), appeal, BOB).content.decode()
    assert "We, Ann Alpha, Alpha Union, protest." in ann and "Aberdeen, United Kingdom" in ann
    assert "We, Bob Beta, Beta Branch, protest." in bob and "Bordeaux, France" in bob
    for word in ("Ann", "Alpha", "Aberdeen"):
        assert word not in bob
    for word in ("Bob", "Beta", "Bordeaux"):
        assert word not in ann
    assert '<option value="FR" selected>' in bob and '<option value="GB" selected>' not in bob


def test_nothing_a_sender_typed_is_kept_anywhere(make_appeal, make_embassy, kept):
    make_embassy("FR")
    for appeal in (make_appeal(), make_appeal(goes_to_embassy=True)):
        for data in (ANN, BOB, HOSTILE):
            assert post(Client(), appeal, data).status_code == 200
    kept = everything_kept(kept)
    assert pagecache.SLOT.encode() in kept  # the pages are kept, with slots
    for data in (ANN, BOB):
        for field in ("name", "organisation", "town"):
            assert data[field].encode() not in kept
    assert b"Zoe" not in kept and b"bcc=spy@example.org" not in kept


def test_the_kept_page_has_no_ones_csrf_token_and_each_sender_gets_their_own(make_appeal, kept):
    appeal = make_appeal()
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    tokens = []
    for client in (first, second):
        client.get(appeal.get_absolute_url())  # the CSRF cookie, as a browser has it from the form
        data = ANN | {"csrfmiddlewaretoken": client.cookies["csrftoken"].value}
        page = post(client, appeal, data).content.decode()
        tokens.append(set(TOKEN.findall(page)))
    assert len(tokens[0]) == len(tokens[1]) == 1 and tokens[0] != tokens[1]
    [kept_page] = kept_pages(kept)
    assert pagecache.CSRF_PLACEHOLDER in kept_page
    for token in tokens[0] | tokens[1]:
        assert token not in kept_page
    # Each token goes with its own visitor's cookie: both can say they sent it.
    for client, token in zip((first, second), tokens, strict=True):
        sent = {"csrfmiddlewaretoken": token.pop(), "channel": "email", "country": "GB"}
        assert client.post(reverse("appeals:sent", args=[appeal.slug]), sent).status_code == 302


def reference_page(appeal, data):
    """The page drawn straight from the template with this sender's own letters, as the view
    drew it before it kept anything."""
    path = reverse("appeals:letter", args=[appeal.slug])
    request = RequestFactory().post(path, data)
    request.resolver_match = resolve(path)
    request.LANGUAGE_CODE = translation.get_language()
    appeal = views._get_appeal(appeal.slug)
    form, letter_set, edited = views._letters_from_post(request, appeal)
    context = {
        "appeal": appeal,
        "form": form,
        "letter_set": letter_set,
        "edited": edited,
        "sent_form": SentForm(),
        "sent_country": SentForm(initial={"country": form.cleaned_data.get("country", "")})["country"],
        "mailto_limit": MAILTO_LIMIT,
        "country_code": form.cleaned_data.get("country", ""),
    }
    return render_to_string("appeals/letter.html", context, request)


def same_page(html):
    return re.sub(r"\s+", " ", TOKEN.sub('name="csrfmiddlewaretoken" value="TOKEN"', html))


@pytest.mark.parametrize(
    "data",
    [
        ANN,
        HOSTILE,
        {"name": "Jane", "country": ""},
        BOB | {"recipient": "1", "subject": 'My <own> "subject"', "body": "Dear all,\r\n\r\n& more"},
        BOB | {"recipient": "0", "subject": "Too long for a link", "body": "Free them & " * 200},
    ],
    ids=["plain", "hostile", "no-country", "edited", "too-long"],
)
def test_the_filled_in_page_is_the_page_drawn_for_that_sender(make_appeal, make_embassy, data):
    make_embassy("FR", name="Ambassade du Kazakhstan", salutation="Excellence,")
    appeal = make_appeal(goes_to_embassy=True, cc=["copy@example.org"])
    post(Client(), appeal, ANN)  # someone else's letters drew the kept page
    for _ in range(2):  # drawn, then kept
        response = post(Client(), appeal, data)
        assert response.status_code == 200
        assert same_page(response.content.decode()) == same_page(reference_page(appeal, data))


def test_each_language_has_its_own_kept_page(make_appeal):
    appeal = make_appeal()
    english = post(Client(), appeal, ANN).content.decode()
    russian = post(Client(), appeal, BOB, prefix="/ru").content.decode()
    assert '<html lang="en"' in english and "Your letter is ready" in english
    assert '<html lang="ru"' in russian and "Your letter is ready" not in russian
    assert "Bob Beta" in russian


def test_a_changed_appeal_shows_within_the_seconds_the_page_is_kept(make_appeal, monkeypatch):
    appeal = make_appeal(title="The first title")
    assert "The first title" in post(Client(), appeal, ANN).content.decode()
    appeal.title = "The corrected title"
    appeal.save()
    appeal.letters.update(body="{salutation}\n\nA corrected letter from {sender_name}.")
    assert "The first title" in post(Client(), appeal, BOB).content.decode()  # still kept
    later = time.monotonic() + pagecache.PAGE_SECONDS + 1
    monkeypatch.setattr("lib.pagecache.time.monotonic", lambda: later)
    page = post(Client(), appeal, BOB).content.decode()
    assert "The corrected title" in page and "The first title" not in page
    assert "A corrected letter from Bob Beta." in page


def test_a_draft_appeal_is_never_kept_and_takes_no_letters(make_appeal, organiser_client, kept):
    draft = make_appeal(status=Appeal.Status.DRAFT, title="Secret draft")
    assert post(Client(), draft, ANN).status_code == 404
    assert post(organiser_client, draft, ANN).status_code == 404  # staff preview the page, not the letters
    assert not pagecache.kept_values() and b"Secret draft" not in everything_kept(kept)


def test_staff_get_a_page_drawn_for_them_alone(make_appeal, organiser_client, kept):
    appeal = make_appeal()
    page = post(organiser_client, appeal, ANN).content.decode()
    assert "We, Ann Alpha, Alpha Union, protest." in page
    assert not kept_pages(kept)


def test_form_errors_still_show_the_error_summary_and_nothing_is_kept(make_appeal):
    appeal = make_appeal()
    post(Client(), appeal, ANN)
    response = post(Client(), appeal, ANN | {"name": "  "})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="error-summary"' in page and "This field is required." in page
    assert "Ann Alpha" not in page
    response = post(Client(), appeal, ANN | {"recipient": "7", "subject": "S", "body": "B"})
    assert response.status_code == 400 and "That recipient is not on this appeal." in response.content.decode()
