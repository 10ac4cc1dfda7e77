"""An appeal page keeps its header, demands and recipients in the fragment cache, so a page
drawn fresh asks the database less; whatever an organiser edits (the appeal, a demand, its
letter, a recipient, a directory entry and its sources, a prisoner it is about) is on the page
at the next visit."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from appeals.models import Demand, LetterText, Recipient, Source, Target

pytestmark = pytest.mark.django_db


def page(client, appeal, language="en"):
    with translation.override(language):
        response = client.get(appeal.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def without_tokens(html):
    # What is the visitor's own: their CSRF token.
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


@pytest.fixture
def appeal(make_appeal):
    return make_appeal(demands=["Release Natalia Sokolova."], cc=["copy@example.org"])


def test_an_appeal_page_drawn_again_asks_the_database_less(client, appeal):
    with CaptureQueriesContext(connection) as first:
        page(client, appeal)
    with CaptureQueriesContext(connection) as again:
        html = page(client, appeal)
    assert len(again.captured_queries) < len(first.captured_queries)
    assert without_tokens(html) == without_tokens(page(client, appeal))


def test_a_closed_appeal_says_so_at_once(client, appeal):
    assert "This appeal is closed." not in page(client, appeal)
    appeal.status = appeal.Status.CLOSED
    appeal.save()
    assert "This appeal is closed." in page(client, appeal)


def test_an_added_edited_or_deleted_demand_shows_at_once(client, appeal):
    page(client, appeal)
    demand = Demand.objects.create(appeal=appeal, text="Drop the charges against the lawyers.", position=1)
    assert "Drop the charges against the lawyers." in page(client, appeal)
    demand.text = "Drop every charge against the lawyers."
    demand.save()
    assert "Drop every charge against the lawyers." in page(client, appeal)
    demand.delete()
    assert "against the lawyers" not in page(client, appeal)


def test_an_appeal_without_its_letter_loses_its_write_button_at_once(client, appeal):
    assert 'href="#write"' in page(client, appeal)
    LetterText.objects.filter(appeal=appeal).get().delete()
    assert 'href="#write"' not in page(client, appeal)


def test_a_new_address_of_a_recipient_in_the_directory_shows_at_once(client, appeal):
    assert "Kabanbye-batur 19" in page(client, appeal)
    target = Target.objects.get(recipients__appeal=appeal, recipients__role="to")
    target.postal_address = "Dinmukhamed Kunaev 8\nAstana 010000"
    target.save()
    html = page(client, appeal)
    assert "Dinmukhamed Kunaev 8" in html and "Kabanbye-batur 19" not in html


def test_a_source_read_for_a_recipient_shows_at_once(client, appeal):
    target = Target.objects.get(recipients__appeal=appeal, recipients__role="to")
    source = {"target": target, "read_on": datetime.date(2026, 11, 1), "published": "2026"}
    Source.objects.create(url="https://kmg.kz/en/contacts", publisher="KazMunayGaz", **source)
    assert 'data-independent="1"' in page(client, appeal)
    second = Source.objects.create(url="https://example.org/kmg", publisher="A business directory", **source)
    assert 'data-independent="2"' in page(client, appeal)
    second.delete()
    assert 'data-independent="1"' in page(client, appeal)


def test_an_added_or_removed_recipient_shows_at_once(client, appeal):
    page(client, appeal)
    target = Target.objects.create(kind="other", name="Second copy", email="second@example.org")
    recipient = Recipient.objects.create(appeal=appeal, target=target, role="cc", position=1)
    assert "second@example.org" in page(client, appeal)
    recipient.delete()
    assert "second@example.org" not in page(client, appeal)


def test_a_prisoner_renamed_linked_or_unpublished_shows_at_once(client, appeal, make_prisoner):
    prisoner = make_prisoner(name="Roza Tuletaeva")
    page(client, appeal)
    prisoner.appeals.add(appeal)  # from the prisoner's side
    assert "Roza Tuletaeva" in page(client, appeal)
    prisoner.name = "Roza Tuletayeva"
    prisoner.save()
    assert "Roza Tuletayeva" in page(client, appeal)
    prisoner.is_published = False
    prisoner.save()
    assert "Roza Tuletayeva" not in page(client, appeal)


def test_each_language_keeps_its_own_appeal_page(client, appeal):
    assert '<h2 id="demands">The demands</h2>' in page(client, appeal)
    assert '<h2 id="demands">The demands</h2>' not in page(client, appeal, "ru")
    assert '<h2 id="demands">The demands</h2>' in page(client, appeal)
