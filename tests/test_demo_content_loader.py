import datetime
import json

import pytest
from django.core.management import call_command

from prisoners.demo import DATA
from prisoners.models import CaseEvent, Prisoner, Source

pytestmark = pytest.mark.django_db

CAMPAIGN_PRISONERS = [
    "roza-tuletaeva",
    "natalia-sokolova",
    "vladimir-kozlov",
    "vadim-kuramshin",
    "aron-atabek",
    "maksat-dosmagambetov",
    "naryn-zharylgasynov",
    "kanat-zhusipbaev",
    "akzhanat-aminov",
    "serik-sapargali",
]


def counts():
    return Prisoner.objects.count(), CaseEvent.objects.count(), Source.objects.count()


def test_the_loader_brings_in_every_prisoner_the_documents_name():
    call_command("load_demo")
    slugs = set(Prisoner.objects.published().values_list("slug", flat=True))
    assert set(CAMPAIGN_PRISONERS) <= slugs


def test_running_the_loader_twice_creates_nothing_twice():
    call_command("load_demo")
    first = counts()
    call_command("load_demo")
    assert counts() == first


def test_the_loader_never_undoes_an_organisers_edits(organiser):
    call_command("load_demo")
    roza = Prisoner.objects.get(slug="roza-tuletaeva")
    roza.summary = "Edited by an organiser"
    roza._history_user = organiser  # as the admin records it
    roza.save()
    roza.events.all().delete()
    call_command("load_demo")
    roza.refresh_from_db()
    assert roza.summary == "Edited by an organiser"
    assert not roza.events.exists()


def test_the_loader_brings_a_case_nobody_touched_up_to_date_with_the_file():
    call_command("load_demo")
    # A database made before a correction: the old, wrong status, saved by no one.
    sisenbaev = Prisoner.objects.get(slug="kuanysh-sisenbaev")
    sisenbaev.status = "sentenced"
    sisenbaev.held_at_latest_report = True
    sisenbaev.save()
    sisenbaev.events.all().delete()
    call_command("load_demo")
    sisenbaev.refresh_from_db()
    assert (sisenbaev.status, sisenbaev.held_at_latest_report) == ("non_custodial", False)
    assert sisenbaev.events.count() == 2
    history = sisenbaev.history.count()
    call_command("load_demo")
    assert sisenbaev.history.count() == history  # nothing changed, nothing saved


def test_roza_tuletaevas_case_carries_the_documents_facts():
    call_command("load_demo")
    roza = Prisoner.objects.get(slug="roza-tuletaeva")
    assert roza.status == Prisoner.Status.RELEASED
    assert "seven" in roza.sentence.lower() and "five" in roza.sentence.lower()
    assert roza.released_on == datetime.date(2014, 11, 1) and roza.released_precision == "month"
    assert roza.released_display == "November 2014"
    assert "Atyrau" in roza.place_of_detention.town
    assert roza.charges.filter(description__icontains="mass disorder").exists()
    hunger_strike = roza.events.get(kind="hunger_strike")
    assert hunger_strike.date == datetime.date(2013, 4, 22)
    assert hunger_strike.source is not None


def test_every_fact_in_the_demo_file_names_a_source_that_exists():
    data = json.loads(DATA.read_text(encoding="utf-8"))
    keys = {source["key"] for source in data["sources"]}
    for prisoner in data["prisoners"]:
        assert prisoner["sources"], prisoner["slug"]
        assert set(prisoner["sources"]) <= keys, prisoner["slug"]
        for event in prisoner["events"]:
            assert event["source"] in keys, (prisoner["slug"], event["text"])
