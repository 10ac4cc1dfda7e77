"""The mailto: link, parsed back with urllib.parse, gives exactly what was put in."""

import html
import re
from urllib.parse import unquote, urlsplit

import pytest
from django.urls import reverse

from appeals.letters import MAILTO_LIMIT, mailto
from lib.forms import without_invisible_characters

HOSTILE = [
    "Jane\r\nBcc: spy@example.org",
    "A & B ? C = D % E # F + G",
    "%0D%0ABcc:spy@example.org",
    "\"quoted\" 'single' `back`",
    "<script>alert(1)</script>",
    "\u202eevil\u202c RTL override",
    "Наталья Соколова, Жаңаөзен, ә ғ қ ң ө ұ ү һ і",
    "Solidarity ✊🏽 from 🇫🇷",
    "line one\nline two\rline three",
]


def parse_mailto(url):
    """Split a mailto: URL per RFC 6068: to (path), then &-separated hfname=hfvalue."""
    parts = urlsplit(url)
    assert parts.scheme == "mailto"
    to = [unquote(a) for a in parts.path.split(",") if a]
    headers = {}
    for pair in parts.query.split("&") if parts.query else []:
        name, _, value = pair.partition("=")
        assert name not in headers, f"header {name} appears twice"
        headers[name] = unquote(value)
    return to, headers


@pytest.mark.parametrize("hostile", HOSTILE)
def test_any_text_in_subject_or_body_round_trips_field_by_field(hostile):
    url = mailto(["info@kmg.kz"], ["editor@marxist.com"], "Protest " + hostile, "Dear Sirs,\n\n" + hostile)
    to, headers = parse_mailto(url)
    assert to == ["info@kmg.kz"]
    assert set(headers) == {"cc", "subject", "body"}
    assert headers["cc"] == "editor@marxist.com"
    assert headers["subject"] == " ".join(("Protest " + hostile).split())
    expected_body = ("Dear Sirs,\n\n" + hostile).replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\r\n")
    assert headers["body"] == expected_body
    # Nothing that could end a field or the link survives unencoded.
    for raw in ("\r", "\n", " ", '"', "<", ">", "#", "?"):
        assert raw not in urlsplit(url).query
    assert url.count("?") == 1 and url.count("&") == 2


def test_line_breaks_in_the_body_are_crlf_as_rfc_6068_asks():
    url = mailto(["a@example.org"], [], "S", "one\ntwo\r\nthree")
    assert "body=one%0D%0Atwo%0D%0Athree" in url


def test_several_recipients_and_copies_are_comma_separated():
    to, headers = parse_mailto(mailto(["a@example.org", "b@example.org"], ["c@example.org", "d@example.org"], "", ""))
    assert to == ["a@example.org", "b@example.org"]
    assert headers == {"cc": "c@example.org,d@example.org"}


def test_an_address_cannot_smuggle_a_header():
    to, headers = parse_mailto(
        mailto(["x@example.org?bcc=spy@example.org"], ["y@example.org&bcc=spy@example.org"], "", "")
    )
    assert to == ["x@example.org?bcc=spy@example.org"]
    assert set(headers) == {"cc"}


def _post_letter(client, appeal, **data):
    data = {"name": "Jane Doe", "organisation": "", "town": "", "country": "", "language": "en"} | data
    return client.post(reverse("appeals:letter", args=[appeal.slug]), data)


def _mailto_hrefs(page):
    return [html.unescape(href) for href in re.findall(r'href="(mailto:[^"]*)"', page)]


@pytest.mark.django_db
@pytest.mark.parametrize("hostile", [h for h in HOSTILE if "\r" not in h and "\n" not in h])
def test_hostile_sender_details_are_escaped_on_the_page_and_in_the_link(client, make_appeal, hostile):
    appeal = make_appeal(cc=["editor@marxist.com"])
    response = _post_letter(client, appeal, name=hostile[:100], organisation=hostile[:150], town="Aktau")
    page = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert" not in page
    # Direction overrides and zero-width characters are taken out of names (lib/forms.py).
    hostile = without_invisible_characters(hostile).strip()
    assert html.escape(hostile[:100], quote=True) in page or html.escape(hostile[:100], quote=False) in page
    # The button's link first; then copy-then-open's, with the addresses and subject only.
    letter_link, short_link = [h for h in _mailto_hrefs(page) if "body=" in h or "subject=" in h]
    assert "body" not in parse_mailto(short_link)[1]
    to, headers = parse_mailto(letter_link)
    assert to == ["info@kmg.kz"]
    assert set(headers) <= {"cc", "subject", "body"}
    assert headers["cc"] == "editor@marxist.com"
    assert headers["subject"] == "Protest: " + " ".join(hostile[:100].split())
    if "body" in headers:
        assert hostile[:100] in headers["body"]


@pytest.mark.django_db
def test_an_edited_letter_goes_into_the_link_as_edited(client, make_appeal):
    appeal = make_appeal()
    edited = "My own words & more?\nBcc: spy@example.org\n\n<b>Jane</b>"
    response = _post_letter(client, appeal, recipient="0", subject="My subject\r\nBcc: x@y.z", body=edited)
    [link] = [h for h in _mailto_hrefs(response.content.decode()) if "body=" in h]
    to, headers = parse_mailto(link)
    assert to == ["info@kmg.kz"]
    assert headers["subject"] == "My subject Bcc: x@y.z"
    assert headers["body"] == edited.replace("\n", "\r\n")
    assert set(headers) == {"subject", "body"}


@pytest.mark.django_db
def test_a_letter_too_long_for_a_link_says_so_and_the_link_keeps_only_addresses_and_subject(client, make_appeal):
    appeal = make_appeal(letter="{salutation}\n\n" + "Свободу политзаключённым! " * 130 + "\n\n{sender_name}")
    page = _post_letter(client, appeal).content.decode()
    assert "too long for an email link" in page
    links = [h for h in _mailto_hrefs(page) if "subject=" in h]
    assert links
    for link in links:
        to, headers = parse_mailto(link)
        assert to == ["info@kmg.kz"] and "body" not in headers
    assert len(mailto(["info@kmg.kz"], [], "x", "Свободу политзаключённым! " * 130)) > MAILTO_LIMIT
    # The full letter is still on the page, to copy, print or download.
    assert "Свободу политзаключённым!" in page


@pytest.mark.django_db
def test_a_short_letter_has_no_warning(client, make_appeal):
    page = _post_letter(client, make_appeal()).content.decode()
    assert '<details class="copy-then-open mt-3" hidden>' in page
