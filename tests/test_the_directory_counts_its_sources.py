"""Each embassy entry says how many independent sources its address rests on, and how
recent the newest is: to organisers in the admin, to supporters in plain words wherever
the address is shown, in three languages."""

import datetime
import json
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from appeals import directory
from appeals.models import Source, Target

pytestmark = pytest.mark.django_db


@pytest.fixture
def shipped():
    call_command("load_embassies")


def items():
    return json.loads(directory.DATA.read_text(encoding="utf-8"))


def independent(item, covers="address"):
    return len(
        {
            (s.get("origin") or s["publisher"]).strip().casefold()
            for s in item["sources"]
            if s.get("covers", "address") == covers and not s.get("disagrees")
        }
    )


def post_letter(client, appeal, country, prefix=""):
    return client.post(
        f"{prefix}{reverse('appeals:letter', args=[appeal.slug])}",
        {"name": "Jane Doe", "country": country, "language": "en"},
    )


# The data file ---------------------------------------------------------------------------


def test_every_entry_has_at_least_one_source_with_the_day_it_was_read():
    for item in items():
        assert item["sources"], item["key"]
        for source in item["sources"]:
            assert source["url"].startswith(("http://", "https://")), item["key"]
            assert source["publisher"], item["key"]
            datetime.date.fromisoformat(source["read_on"])
            assert re.fullmatch(r"(\d{4}(-\d{2}(-\d{2})?)?)?", source["published"]), item["key"]
            assert source.get("covers", "address") in {"address", "accreditation"}


def test_the_entrys_own_source_is_among_its_sources():
    for item in items():
        assert item["source_url"] in {s["url"] for s in item["sources"]}, item["key"]


def test_an_entry_served_from_abroad_cites_what_its_accreditation_rests_on():
    for item in items():
        if item["based_in"]:
            assert independent(item, "accreditation") >= 1, item["key"]


def test_loading_stores_each_entrys_sources_once(shipped):
    london = Target.objects.get(key="embassy-gb-london")
    assert london.sources.count() == 4
    call_command("load_embassies")
    assert london.sources.count() == 4
    assert Source.objects.count() == sum(len(item["sources"]) for item in items())


def test_a_source_an_organiser_added_is_kept_when_the_directory_is_loaded_again(shipped):
    rome = Target.objects.get(key="embassy-it-rome")
    Source.objects.create(target=rome, url="https://example.org/rome", publisher="Someone", read_on="2026-12-01")
    call_command("load_embassies")
    assert rome.sources.filter(url="https://example.org/rome").exists()


# What supporters see ---------------------------------------------------------------------


def shown_count(html, css="address-sources"):
    match = re.search(rf'class="[^"]*{css}[^"]*" data-independent="(\d+)"', html)
    return int(match[1]) if match else None


def test_the_count_shown_for_every_entry_matches_its_independent_sources(client, shipped):
    for item in items():
        html = client.get(reverse("appeals:embassies"), {"country": item["country"]}).content.decode()
        entries = [chunk for chunk in html.split('<div class="case-facts') if "address-sources" in chunk]
        counts = {shown_count(chunk) for chunk in entries}
        assert independent(item) in counts, item["key"]


def test_an_address_with_two_independent_sources_says_so_with_the_newest_date(client, shipped):
    html = client.get(reverse("appeals:embassies"), {"country": "US"}).content.decode()
    assert "Checked against 2 independent sources, the newest from January 2020." in html


def test_an_old_single_source_says_so_and_asks_to_be_told(client, shipped):
    html = client.get(reverse("appeals:embassies"), {"country": "PL"}).content.decode()
    assert "One source only, from 2003." in html
    assert "tell us if it is wrong</a>" in html
    warsaw = Target.objects.get(key="embassy-pl-warsaw")
    assert f"{reverse('appeals:report')}?target={warsaw.pk}" in html


def test_an_undated_single_source_says_undated(client, shipped):
    html = client.get(reverse("appeals:embassies"), {"country": "NO"}).content.decode()
    assert "One source only, undated." in html


def test_a_conflicting_source_is_not_counted_and_the_page_warns(client, shipped):
    html = client.get(reverse("appeals:embassies"), {"country": "ES"}).content.decode()
    assert "One source only, from January 2017." in html
    assert "Another source gives a different address" in html


def test_an_accreditation_resting_on_one_source_says_so(client, shipped):
    html = client.get(reverse("appeals:embassies"), {"country": "IS"}).content.decode()
    assert "That it serves Iceland rests on one source only, undated." in html
    assert shown_count(html, "accreditation-sources") == 1


def test_the_letter_page_says_the_same_where_the_recipient_is_shown(client, shipped, make_appeal):
    appeal = make_appeal(goes_to_embassy=True)
    html = post_letter(client, appeal, "US").content.decode()
    assert "1401 16th Street NW" in html and "washington@mfa.kz" in html
    assert "Checked against 2 independent sources, the newest from January 2020." in html


def test_an_entry_made_before_sources_were_recorded_rests_on_its_source_link(client, make_embassy):
    make_embassy("FR", source_url="https://example.org/paris", checked_on=datetime.date(2026, 1, 5))
    html = client.get(reverse("appeals:embassies"), {"country": "FR"}).content.decode()
    assert "One source only, undated." in html


@pytest.mark.parametrize(
    "prefix, two, one",
    [
        ("/ru", "Сверено с 2 независимыми источниками", "Только один источник, 2003."),
        ("/kk", "2 тәуелсіз дереккөзбен салыстырылды", "Тек бір дереккөз, 2003."),
    ],
)
def test_supporters_read_it_in_russian_and_kazakh(client, shipped, prefix, two, one):
    url = reverse("appeals:embassies")
    assert two in client.get(f"{prefix}{url}", {"country": "US"}).content.decode()
    assert one in client.get(f"{prefix}{url}", {"country": "PL"}).content.decode()


# What organisers see ---------------------------------------------------------------------


def test_organisers_see_each_entrys_independent_sources_and_newest_date(organiser_client, shipped):
    html = organiser_client.get(reverse("admin:appeals_target_changelist"), {"country__exact": "US"}).content.decode()
    assert "independent sources" in html
    assert '<span class="target-fresh">2 (2020-01-22)</span>' in html


def test_organisers_can_filter_the_entries_on_one_source_only(organiser_client, shipped):
    url = reverse("admin:appeals_target_changelist")
    one = organiser_client.get(url, {"sources": "one"}).content.decode()
    two = organiser_client.get(url, {"sources": "two"}).content.decode()
    assert "Embassy of the Republic of Kazakhstan in the Republic of Poland" in one
    assert "Embassy of the Republic of Kazakhstan in the Republic of Poland" not in two
    assert "Embassy of the Republic of Kazakhstan in the United States" in two
    conflict = organiser_client.get(url, {"sources": "conflict"}).content.decode()
    assert "Embassy of the Republic of Kazakhstan in Spain" in conflict


def test_an_organiser_adds_a_source_on_the_entrys_page(organiser_client, shipped):
    warsaw = Target.objects.get(key="embassy-pl-warsaw")
    html = organiser_client.get(reverse("admin:appeals_target_change", args=[warsaw.pk])).content.decode()
    assert 'name="sources-TOTAL_FORMS"' in html
