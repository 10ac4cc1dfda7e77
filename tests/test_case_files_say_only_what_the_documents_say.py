import datetime
import re

import pytest
from django.urls import reverse

from prisoners import demo
from prisoners.models import CaseEvent, Prisoner

pytestmark = pytest.mark.django_db

# The people the documents place in detention at their latest report (docs/sources.md).
HELD_AT_LATEST_REPORT = {
    "natalia-sokolova",
    "vladimir-kozlov",
    "vadim-kuramshin",
    "aron-atabek",
    "maksat-dosmagambetov",
}
NOT_BEHIND_BARS = {
    "kuanysh-sisenbaev": "Kuanysh Sisenbaev",  # community service
    "zhanbolat-mamay": "Zhanbolat Mamay",  # ten days' administrative detention in 2011
    "akzhanat-aminov": "Akzhanat Aminov",  # charged, awaiting trial; custody not stated
    "serik-sapargali": "Serik Sapargali",
    "natalia-azhigalieva": "Natalia Azhigalieva",
    "kairat-edilov": "Kairat Edilov",  # a defendant; custody not stated
    "roza-tuletaeva": "Roza Tuletaeva",
}


@pytest.fixture
def demo_cases():
    demo.load()


def behind_bars_section(client):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    html = response.content.decode()
    return html.split('id="held-now"')[1]


def test_it_lists_behind_bars_only_the_people_the_documents_place_in_detention_at_their_latest_report(
    client, demo_cases
):
    assert {p.slug for p in Prisoner.objects.all() if p.is_held} == HELD_AT_LATEST_REPORT
    assert set(Prisoner.objects.behind_bars().values_list("slug", flat=True)) == HELD_AT_LATEST_REPORT
    section = behind_bars_section(client)
    for name in NOT_BEHIND_BARS.values():
        assert name not in section


def test_it_shows_kuanysh_sisenbaev_as_sentenced_to_community_service_not_in_prison(client, demo_cases):
    response = client.get(reverse("prisoners:detail", args=["kuanysh-sisenbaev"]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Sentenced, not to prison" in html
    assert "200 hours’ community service" in html
    assert "In prison" not in html
    assert "as of August 2011 (the latest report we have)" in html


def test_it_says_since_when_a_status_is_unknown(client, demo_cases):
    html = client.get(reverse("prisoners:detail", args=["zhanbolat-mamay"])).content.decode()
    assert "Not known" in html and "since August 2011, the latest report we have" in html


def test_every_demo_case_carries_the_date_its_status_is_as_of(client, demo_cases):
    for prisoner in Prisoner.objects.all():
        assert prisoner.status_confirmed_on, prisoner.slug
        response = client.get(prisoner.get_absolute_url())
        assert response.status_code == 200
        assert "(the latest report we have)" in response.content.decode() or prisoner.status == "unknown"


def test_the_home_page_cards_say_as_of_when(client, demo_cases):
    section = behind_bars_section(client)
    assert "as of December 2011 (the latest report we have)" in section  # Natalia Sokolova
    assert "as of 2014 (the latest report we have)" in section  # Vladimir Kozlov, per Human Rights Watch


def test_someone_on_trial_whose_custody_is_not_reported_is_not_held(make_prisoner):
    assert not make_prisoner(status="on_trial", held_at_latest_report=False).is_held
    assert make_prisoner(status="on_trial").is_held
    assert not make_prisoner(status="charged").is_held
    assert not make_prisoner(status="non_custodial").is_held
    assert not make_prisoner(status="on_trial", held_at_latest_report=False, torture_alleged=True).is_urgent


def test_an_arrest_sorts_before_the_sentence_known_only_to_the_month(client, demo_cases):
    mamay = Prisoner.objects.get(slug="zhanbolat-mamay")
    assert [e.kind for e in mamay.events.all()] == ["arrest", "sentence"]
    html = client.get(mamay.get_absolute_url()).content.decode()
    timeline = html.split('id="timeline"')[1]
    assert timeline.index("16 August 2011") < timeline.index(">August 2011<")
    assert '<time datetime="2011-08" class="fw-semibold">August 2011</time>' in timeline
    assert "1 August 2011" not in timeline


def test_a_sentence_known_only_to_the_year_sorts_after_the_dated_events_it_followed(demo_cases):
    sisenbaev = Prisoner.objects.get(slug="kuanysh-sisenbaev")
    assert [(e.kind, e.date_display) for e in sisenbaev.events.all()] == [
        ("health", "5 June 2011"),
        ("sentence", "2011"),
    ]


def test_on_one_day_an_exact_date_sorts_before_a_month_or_year_placed_there(make_prisoner):
    prisoner = make_prisoner()
    day = datetime.date(2011, 8, 16)
    CaseEvent.objects.create(prisoner=prisoner, date=day, precision="year", kind="other", text="year")
    CaseEvent.objects.create(prisoner=prisoner, date=day, precision="month", kind="sentence", text="month")
    CaseEvent.objects.create(prisoner=prisoner, date=day, precision="day", kind="arrest", text="day")
    assert [e.text for e in prisoner.events.all()] == ["day", "month", "year"]


def test_roza_tuletaevas_torture_is_recorded_as_the_documents_report_it(demo_cases):
    roza = Prisoner.objects.get(slug="roza-tuletaeva")
    assert roza.torture_alleged and not roza.is_urgent  # released in November 2014


def test_report_dates_are_shown_as_reports_not_as_the_day_of_the_event(demo_cases):
    kozlov = Prisoner.objects.get(slug="vladimir-kozlov")
    assert not kozlov.events.filter(kind="sentence").exists()
    assert kozlov.events.get(date=datetime.date(2013, 4, 24)).kind == "report"


def test_no_timeline_shows_a_placeholder_first_of_january(client, demo_cases):
    for prisoner in Prisoner.objects.all():
        response = client.get(prisoner.get_absolute_url())
        assert response.status_code == 200, prisoner.slug
        assert not re.search(r">1 January \d{4}<", response.content.decode()), prisoner.slug
