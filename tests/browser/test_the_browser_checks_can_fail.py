"""The checks the other browser tests rely on find what they are meant to find."""

import pytest
from django.core.mail import EmailMultiAlternatives

from .helpers import axe_violations, describe_violations, links_in_email, load_page, parse_mailto

pytestmark = pytest.mark.browser


def test_axe_reports_an_image_without_alt_text_and_grey_on_grey_text(page):
    page.set_content(
        '<!DOCTYPE html><html lang="en"><head><title>Bad</title>'
        "<style>p { color: #aaa; background: #bbb; }</style></head>"
        '<body><main><h1>Bad page</h1><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">'
        "<p>Hard to read</p></main></body></html>"
    )
    found = {violation["id"] for violation in axe_violations(page)}
    assert {"image-alt", "color-contrast"} <= found
    assert "image-alt" in describe_violations(axe_violations(page))


def test_the_page_weight_counts_the_document_and_every_stylesheet(page, demo_content):
    load = load_page(page, "/")
    kinds = [kind for _url, _size, kind in load.transfers]
    assert kinds.count("document") == 1
    assert kinds.count("stylesheet") == 2
    assert all(size > 0 for _url, size, _kind in load.transfers)
    assert load.total_bytes == sum(size for _url, size, _kind in load.transfers)


def test_the_links_of_an_email_are_found_in_its_text_and_html_parts():
    message = EmailMultiAlternatives("Confirm", "Confirm: https://example.org/p/confirm/abc/\nThanks.")
    message.attach_alternative(
        '<a href="https://example.org/p/confirm/abc/">x</a> <a href="https://example.org/p/">p</a>', "text/html"
    )
    assert links_in_email(message) == ["https://example.org/p/confirm/abc/", "https://example.org/p/"]


def test_a_mailto_link_is_read_as_a_mail_program_reads_it():
    href = (
        "mailto:embassy@example.kz,office@example.kz?cc=copy%40example.org&subject=Free%20Roza%20Tuletaeva"
        "&body=Your%20Excellency%2C%0D%0A%0D%0AI%20write%20%26%20ask%3A%201+1."
    )
    mail = parse_mailto(href)
    assert mail["to"] == ["embassy@example.kz", "office@example.kz"]
    assert mail["cc"] == ["copy@example.org"]
    assert mail["subject"] == "Free Roza Tuletaeva"
    assert mail["body"] == "Your Excellency,\r\n\r\nI write & ask: 1+1."
