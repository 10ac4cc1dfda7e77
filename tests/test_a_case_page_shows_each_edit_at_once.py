"""A case page keeps its header, timeline and facts in the fragment cache, so a page drawn
fresh asks the database less; whatever an organiser edits (the case, one of its charges or
events, a source, the place where the person is held) is on the page at the next visit."""

import datetime
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from prisoners.models import CaseEvent, Charge, Source

pytestmark = pytest.mark.django_db


def page(client, prisoner, language="en"):
    with translation.override(language):
        response = client.get(prisoner.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def without_tokens(html):
    # What is the visitor's own: their CSRF token and the alert form's signed time.
    return re.sub(r'name="(csrfmiddlewaretoken|started)" value="[^"]+"', "", html)


@pytest.fixture
def case(make_prisoner, place):
    prisoner = make_prisoner(events=2, charges=1, place_of_detention=place)
    prisoner.sources.add(Source.objects.create(title="Report of the trial", publisher="Vlast.kz"))
    return prisoner


def test_a_case_page_drawn_again_asks_the_database_less(client, case):
    with CaptureQueriesContext(connection) as first:
        page(client, case)
    with CaptureQueriesContext(connection) as again:
        html = page(client, case)
    assert len(again.captured_queries) < len(first.captured_queries)
    assert without_tokens(html) == without_tokens(page(client, case))


def test_an_edited_event_shows_at_once(client, case):
    assert "Event 0" in page(client, case)
    event = case.events.get(text="Event 0")
    event.text = "The court heard the first witnesses."
    event.save()
    html = page(client, case)
    assert "The court heard the first witnesses." in html and "Event 0" not in html


def test_an_added_or_deleted_event_shows_at_once(client, case):
    page(client, case)
    event = CaseEvent.objects.create(prisoner=case, date=datetime.date(2013, 5, 1), kind="appeal", text="Appeal lost.")
    assert "Appeal lost." in page(client, case)
    event.delete()
    assert "Appeal lost." not in page(client, case)


def test_an_added_edited_or_deleted_charge_shows_at_once(client, case):
    page(client, case)
    charge = Charge.objects.create(prisoner=case, article="Article 174", description="Inciting social discord")
    assert "Inciting social discord" in page(client, case)
    charge.description = "Inciting social hatred"
    charge.save()
    assert "Inciting social hatred" in page(client, case)
    charge.delete()
    assert "Article 174" not in page(client, case)


def test_a_source_renamed_in_the_admin_shows_in_the_list_and_the_timeline(organiser_client, case):
    client = Client()  # a visitor, not the organiser (who would also read "changed successfully")
    source = case.sources.get()
    event = case.events.first()
    event.source = source
    event.save()
    assert page(client, case).count("Report of the trial") == 2
    response = organiser_client.post(
        reverse("admin:prisoners_source_change", args=[source.pk]),
        {"title": "Verdict in the Zhanaozen case", "publisher": "Vlast.kz", "url": "", "published_on": ""},
    )
    assert response.status_code == 302
    html = page(client, case)
    assert html.count("Verdict in the Zhanaozen case") == 2 and "Report of the trial" not in html


def test_a_source_linked_unlinked_or_deleted_shows_at_once(client, case):
    other = Source.objects.create(title="Letter from the colony")
    page(client, case)
    other.prisoners.add(case)  # from the source's side
    assert "Letter from the colony" in page(client, case)
    case.sources.remove(other)  # from the case's side
    assert "Letter from the colony" not in page(client, case)
    case.sources.get().delete()
    assert "Report of the trial" not in page(client, case)


def test_a_new_postal_address_of_the_place_shows_at_once(client, case, place):
    assert "Atyrau, colony UG-157/11" in page(client, case)
    place.postal_address = "060000, Atyrau, PO Box 11"
    place.save()
    html = page(client, case)
    assert "060000, Atyrau, PO Box 11" in html and "colony UG-157/11<" not in html


def test_years_held_are_counted_again_the_next_year(client, make_prisoner, monkeypatch):
    today = timezone.localdate()
    prisoner = make_prisoner(status="sentenced", arrested_on=today - datetime.timedelta(days=800))
    assert "more than 2 years" in page(client, prisoner)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: today + datetime.timedelta(days=366))
    assert "more than 3 years" in page(client, prisoner)


def test_each_language_keeps_its_own_case_page(client, case):
    assert '<h2 id="timeline">Timeline</h2>' in page(client, case)
    russian = page(client, case, "ru")
    assert '<h2 id="timeline">Хроника</h2>' in russian
    assert '<h2 id="timeline">Timeline</h2>' in page(client, case)
