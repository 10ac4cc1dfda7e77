import datetime
import re

import pytest
from django.urls import reverse

from prisoners.models import CaseEvent, Precision, Prisoner, Source, format_fuzzy_date

pytestmark = pytest.mark.django_db


def test_a_date_is_shown_only_as_precisely_as_the_sources_give_it():
    day = datetime.date(2014, 11, 1)
    assert format_fuzzy_date(day, Precision.DAY) == "1 November 2014"
    assert format_fuzzy_date(day, Precision.MONTH) == "November 2014"
    assert format_fuzzy_date(day, Precision.YEAR) == "2014"
    assert format_fuzzy_date(None, Precision.DAY) == ""


def test_a_prisoner_knows_its_url_and_name(make_prisoner):
    prisoner = make_prisoner(name="Roza Tuletaeva", slug="roza-tuletaeva")
    assert str(prisoner) == "Roza Tuletaeva"
    assert prisoner.get_absolute_url() == "/prisoners/roza-tuletaeva/"


def test_only_a_held_prisoner_with_a_risk_flag_is_urgent(make_prisoner):
    assert make_prisoner(status="sentenced", hunger_strike=True).is_urgent
    assert not make_prisoner(status="sentenced").is_urgent
    assert not make_prisoner(status="released", torture_alleged=True).is_urgent


def test_time_held_runs_to_release_or_to_today(make_prisoner):
    freed = make_prisoner(
        status="released", arrested_on=datetime.date(2012, 1, 1), released_on=datetime.date(2014, 11, 1)
    )
    assert freed.years_held() == 2
    held = make_prisoner(status="sentenced", arrested_on=datetime.date(2012, 1, 1))
    assert held.days_held(today=datetime.date(2013, 1, 1)) == 366
    assert make_prisoner(status="sentenced").days_held() is None


def test_the_list_shows_published_cases_with_urgent_ones_first(client, make_prisoner):
    make_prisoner(name="Aaron Calm", status="sentenced")
    make_prisoner(name="Zoe Urgent", status="sentenced", health_denied=True)
    make_prisoner(name="Hidden Draft", is_published=False)
    response = client.get(reverse("prisoners:list"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Hidden Draft" not in html
    assert html.index("Zoe Urgent") < html.index("Aaron Calm")
    assert "Medical care denied" in html


def test_the_list_filters_by_status(client, make_prisoner):
    make_prisoner(name="Still Held", status="sentenced")
    make_prisoner(name="Now Free", status="released")
    held = client.get(reverse("prisoners:list"), {"status": "held"}).content.decode()
    assert "Still Held" in held and "Now Free" not in held
    freed = client.get(reverse("prisoners:list"), {"status": "released"}).content.decode()
    assert "Now Free" in freed and "Still Held" not in freed
    everything = client.get(reverse("prisoners:list"), {"status": "<script>"}).content.decode()
    assert "Now Free" in everything and "<script>" not in everything


def test_a_case_page_shows_charges_sentence_address_timeline_and_sources(client, make_prisoner, place):
    source = Source.objects.create(title="Hands Off Roza Tuletaeva", url="https://example.org/roza")
    prisoner = make_prisoner(
        name="Roza Tuletaeva",
        name_original="Роза Тулетаева",
        status="sentenced",
        sentence="Seven years, reduced to five on appeal",
        place_of_detention=place,
        hunger_strike=True,
        arrested_on=datetime.date(2012, 1, 1),
        arrested_precision="month",
        charges=1,
    )
    prisoner.sources.add(source)
    CaseEvent.objects.create(
        prisoner=prisoner,
        date=datetime.date(2013, 4, 22),
        kind="hunger_strike",
        text="Began a hunger strike.",
        source=source,
    )
    html = client.get(prisoner.get_absolute_url()).content.decode()
    for expected in [
        "Роза Тулетаева",
        "Article 240",
        "Organising mass disorder",
        "Seven years, reduced to five on appeal",
        "Atyrau, colony UG-157/11",
        "22 April 2013",
        "Began a hunger strike.",
        "https://example.org/roza",
        "On hunger strike",
        "January 2012",
    ]:
        assert expected in html, expected
    assert "1 January 2012" not in html


def test_a_draft_case_is_not_public(client, make_prisoner):
    draft = make_prisoner(is_published=False)
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get("/prisoners/no-such-person/").status_code == 404


def test_the_home_page_leads_to_the_cases(client, make_prisoner):
    make_prisoner(name="Vadim Kuramshin", status="sentenced")
    make_prisoner(name="Freed Person", status="released")
    html = client.get(reverse("home")).content.decode()
    assert "Vadim Kuramshin" in html
    assert "Freed Person" not in html
    assert reverse("prisoners:list") in html


def test_pages_have_a_language_a_skip_link_and_no_third_party_assets(client, make_prisoner, settings):
    prisoner = make_prisoner()
    for url in [reverse("home"), reverse("prisoners:list"), prisoner.get_absolute_url()]:
        html = client.get(url).content.decode()
        assert '<html lang="en"' in html
        assert 'href="#main"' in html
        assert "cdn" not in html.lower()
        # Absolute links before the content are only this site's own pages in other
        # languages (hreflang alternates).
        head = html.split("<main")[0]
        assert 'src="http' not in html
        assert all(link.startswith(f"{settings.SITE_URL}/") for link in re.findall(r'href="(http[^"]*)"', head))


def test_prisoner_status_choices_cover_the_design():
    assert {choice for choice, _label in Prisoner.Status.choices} == {
        "detained",
        "on_trial",
        "sentenced",
        "released",
        "paroled",
        "deceased",
    }


def test_an_old_case_says_when_its_status_was_last_confirmed_instead_of_counting_years(client, make_prisoner):
    stale = make_prisoner(
        name="Old News",
        status="sentenced",
        arrested_on=datetime.date(2011, 12, 1),
        arrested_precision="month",
        status_confirmed_on=datetime.date(2014, 12, 8),
    )
    html = client.get(stale.get_absolute_url()).content.decode()
    assert "Held since December 2011" in html
    assert "last reported December 2014" in html
    assert "years)" not in html
    fresh = make_prisoner(status="sentenced", arrested_on=datetime.date(2011, 12, 1))
    assert "more than" in client.get(fresh.get_absolute_url()).content.decode()
