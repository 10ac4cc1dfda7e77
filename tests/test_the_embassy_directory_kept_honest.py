import datetime
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from appeals import directory
from appeals.models import Target

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 29)


@pytest.fixture
def shipped():
    call_command("load_embassies")


def post_letter(client, appeal, country):
    return client.post(
        reverse("appeals:letter", args=[appeal.slug]),
        {"name": "Jane Doe", "organisation": "", "town": "", "country": country, "language": "en"},
    )


# The data file ---------------------------------------------------------------------------


def test_every_shipped_entry_has_a_source_anyone_can_open_and_the_day_it_was_read():
    items = json.loads(directory.DATA.read_text(encoding="utf-8"))
    assert items == directory.entries()  # nothing in the file is left out by the loader's checks
    for item in items:
        assert item["source_url"].startswith(("http://", "https://")), item["key"]
        assert "github-search-index" not in item["source_url"]
        datetime.date.fromisoformat(item["read_on"])


def test_every_shipped_postal_address_ends_with_a_country_line():
    from django_countries import countries

    for item in directory.entries():
        last_line = item["postal_address"].splitlines()[-1]
        based = item["based_in"] or item["country"]
        assert last_line in {str(countries.name(based)), "United States", "Russia", "Czech Republic"}, item["key"]


def test_the_moscow_phone_is_left_blank_because_the_sources_disagree():
    moscow = next(item for item in directory.entries() if item["key"] == "embassy-ru-moscow")
    assert moscow["phone"] == "" and "disagree" in moscow["notes"]


def test_it_ships_at_least_the_countries_the_research_found(shipped):
    countries = set(Target.objects.filter(kind__in=["embassy", "consulate"]).values_list("country", flat=True))
    assert {"GB", "DE", "RU", "IT", "ES", "CZ", "US", "BG", "LV", "PL", "NO", "UA", "IE", "UZ"} <= countries
    assert {"KR", "IN", "IS", "AD", "MT", "SM", "BD", "BT", "LK", "MV"} <= countries
    assert {"FR", "MC", "FI", "PK", "GE", "PT"} <= countries
    assert len(countries) >= 30


def test_every_entry_served_from_abroad_uses_an_address_shipped_for_its_own_country():
    items = directory.entries()
    own = {item["country"]: item["postal_address"] for item in items if not item["based_in"]}
    for item in items:
        if item["based_in"]:
            assert item["postal_address"] == own[item["based_in"]], item["key"]
            assert "Accreditation" in item["notes"] and "http" in item["notes"], item["key"]


# Loading ---------------------------------------------------------------------------------


def test_loading_twice_creates_nothing_twice(shipped):
    count = Target.objects.count()
    assert directory.load() == (0, 0, 0)
    call_command("load_embassies")
    assert Target.objects.count() == count


def test_loading_never_overwrites_an_organisers_edit(shipped, organiser_client):
    london = Target.objects.get(key="embassy-gb-london")
    response = organiser_client.post(reverse("admin:appeals_target_mark_checked", args=[london.pk]))
    assert response.status_code == 302
    london.refresh_from_db()
    london.email = "edited@example.org"
    london._history_user = london.history.first().history_user
    london.save()
    assert directory.edited_by_someone(london)
    call_command("load_embassies")
    london.refresh_from_db()
    assert london.email == "edited@example.org"


def test_loading_follows_the_data_file_for_entries_nobody_edited(shipped, tmp_path):
    items = json.loads(directory.DATA.read_text(encoding="utf-8"))
    rome = next(item for item in items if item["key"] == "embassy-it-rome")
    rome["phone"] = "+39 06 00 00 00"
    rome["read_on"] = "2027-01-05"
    path = tmp_path / "embassies.json"
    path.write_text(json.dumps(items), encoding="utf-8")
    assert directory.load(path)[1] == 1
    target = Target.objects.get(key="embassy-it-rome")
    assert (target.phone, target.checked_on) == ("+39 06 00 00 00", datetime.date(2027, 1, 5))


def test_loading_does_not_bring_back_an_entry_an_organiser_deleted(shipped, organiser_client):
    prague = Target.objects.get(key="embassy-cz-prague")
    response = organiser_client.post(reverse("admin:appeals_target_delete", args=[prague.pk]), {"post": "yes"})
    assert response.status_code == 302
    call_command("load_embassies")
    assert not Target.objects.filter(key="embassy-cz-prague").exists()


def test_an_entry_from_an_index_number_only_is_never_loaded(tmp_path):
    path = tmp_path / "embassies.json"
    path.write_text(
        json.dumps(
            [
                {
                    "key": "embassy-fr-paris",
                    "kind": "embassy",
                    "country": "FR",
                    "name": "Embassy",
                    "source_url": "github-search-index-file:42515397923",
                    "read_on": "2026-11-29",
                }
            ]
        ),
        encoding="utf-8",
    )
    assert directory.load(path) == (0, 0, 0)
    assert not Target.objects.exists()


def test_the_image_and_make_run_load_the_directory():
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    assert "manage.py load_embassies" in (root / "docker" / "entrypoint.sh").read_text()
    assert "manage.py load_embassies" in (root / "Makefile").read_text()


# What supporters see ---------------------------------------------------------------------


def test_the_directory_says_when_and_where_each_address_was_checked(client, shipped):
    response = client.get(reverse("appeals:embassies"), {"country": "GB"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "125 Pall Mall" in html
    assert "Address checked on 29 November 2026, from" in html
    assert 'href="https://diplomatmagazine.com/heads-of-mission/middle-east-asia/kazakhstan/"' in html


@pytest.mark.parametrize(
    "country, street",
    [
        ("GB", "125 Pall Mall"),
        ("DE", "Nordendstraße 14-17"),
        ("RU", "Chistoprudny bulvar 3A"),
        ("IT", "Via Cassia 471"),
        ("KR", "53, Jangmun-ro"),
        ("IN", "61, Poorvi Marg"),
        ("FR", "59 rue Pierre Charron"),
        ("FI", "Hopeasalmentie 4"),
        ("PK", "House 11, Street 45, Sector F-8/1"),
        ("GE", "Lvov St. 77"),
        ("PT", "Rua Pêro da Covilhã 20"),
    ],
)
def test_a_letter_from_this_country_goes_to_a_real_embassy_address(client, shipped, make_appeal, country, street):
    appeal = make_appeal(goes_to_embassy=True)
    response = post_letter(client, appeal, country)
    html = response.content.decode()
    assert response.status_code == 200
    assert street in html
    assert "Address checked on" in html


def test_a_letter_from_germany_goes_to_the_embassy_not_also_the_consulate(client, shipped, make_appeal):
    appeal = make_appeal(goes_to_embassy=True, to=[])
    html = post_letter(client, appeal, "DE").content.decode()
    assert "Nordendstraße" in html and "Beethovenstraße" not in html


def test_where_there_is_only_a_consulate_the_letter_goes_there(client, shipped, make_appeal):
    appeal = make_appeal(goes_to_embassy=True, to=[])
    html = post_letter(client, appeal, "UZ").content.decode()
    assert "52A Yalantush Bahodir Street" in html


def test_where_kazakhstan_has_no_embassy_the_letter_goes_to_the_one_accredited_and_says_so(
    client, shipped, make_appeal
):
    appeal = make_appeal(goes_to_embassy=True)
    response = post_letter(client, appeal, "IE")
    html = response.content.decode()
    assert response.status_code == 200
    assert "125 Pall Mall" in html
    assert "Kazakhstan has no embassy in Ireland; its embassy in United Kingdom is accredited to Ireland." in html


@pytest.mark.parametrize(
    "country, street, name, base",
    [
        ("IS", "125 Pall Mall", "Iceland", "United Kingdom"),
        ("MT", "Via Cassia 471", "Malta", "Italy"),
        ("LK", "61, Poorvi Marg", "Sri Lanka", "India"),
        ("MC", "59 rue Pierre Charron", "Monaco", "France"),
    ],
)
def test_more_countries_served_from_a_neighbours_embassy_say_so(
    client, shipped, make_appeal, country, street, name, base
):
    appeal = make_appeal(goes_to_embassy=True)
    html = post_letter(client, appeal, country).content.decode()
    assert street in html
    assert f"Kazakhstan has no embassy in {name}; its embassy in {base} is accredited to {name}." in html


def test_a_country_without_any_entry_says_so_rather_than_guessing(client, shipped, make_appeal):
    appeal = make_appeal(goes_to_embassy=True)
    response = post_letter(client, appeal, "BE")
    html = response.content.decode()
    assert response.status_code == 200
    # No embassy is guessed: the letter goes to the foreign ministry in Astana, and says why.
    assert "Our directory has no Kazakhstan embassy for Belgium" in html
    assert "Embassy of the Republic of Kazakhstan in" not in html


# What organisers see ---------------------------------------------------------------------


def test_organisers_see_each_entrys_age_and_can_filter_those_not_checked_in_12_months(organiser_client, make_embassy):
    make_embassy("FR", name="Old entry", checked_on=datetime.date(2020, 1, 1))
    make_embassy("DE", name="Fresh entry", checked_on=datetime.date.today())
    make_embassy("IT", name="Never checked")
    url = reverse("admin:appeals_target_changelist")
    response = organiser_client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "2020-01-01" in html and "months ago" in html and "never" in html
    response = organiser_client.get(url, {"checked": "stale"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Old entry" in html and "Never checked" in html and "Fresh entry" not in html


def test_one_click_marks_an_entry_checked_today(organiser_client, make_embassy):
    old = make_embassy("FR", name="Old entry", checked_on=datetime.date(2020, 1, 1))
    changelist = organiser_client.get(reverse("admin:appeals_target_changelist")).content.decode()
    button = reverse("admin:appeals_target_mark_checked", args=[old.pk])
    assert f'formaction="{button}"' in changelist
    response = organiser_client.post(button)
    assert response.status_code == 302
    old.refresh_from_db()
    assert old.checked_on == datetime.date.today()
    assert old.history.first().history_user is not None


def test_marking_checked_refuses_a_get(organiser_client, make_embassy):
    old = make_embassy("FR", checked_on=datetime.date(2020, 1, 1))
    response = organiser_client.get(reverse("admin:appeals_target_mark_checked", args=[old.pk]))
    assert response.status_code == 405
    old.refresh_from_db()
    assert old.checked_on == datetime.date(2020, 1, 1)


def test_the_bulk_action_marks_the_selected_entries_checked(organiser_client, make_embassy):
    a = make_embassy("FR", checked_on=datetime.date(2020, 1, 1))
    b = make_embassy("DE")
    response = organiser_client.post(
        reverse("admin:appeals_target_changelist"),
        {"action": "mark_checked_today", "_selected_action": [a.pk, b.pk]},
    )
    assert response.status_code == 302
    assert set(Target.objects.values_list("checked_on", flat=True)) == {datetime.date.today()}


def test_the_dashboard_reminds_organisers_of_entries_not_checked_in_12_months(organiser_client, make_embassy):
    make_embassy("FR", name="Old entry", checked_on=datetime.date(2020, 1, 1))
    make_embassy("DE", name="Fresh entry", checked_on=datetime.date.today())
    response = organiser_client.get(reverse("admin:index"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Embassy addresses not checked in 12 months" in html
    panel = html.split('id="panel-addresses"')[1].split("</section>")[0]
    assert "Old entry" in panel and "Fresh entry" not in panel
    assert "?checked=stale" in panel


def test_the_csv_import_takes_the_source_the_check_date_and_the_accreditation(organiser_client):
    from appeals.services import import_embassies

    text = (
        "country,name,based_in,postal_address,source_url,checked_on\n"
        'DK,Embassy in Sweden,SE,"Street 1\nStockholm\nSweden",https://example.org/page,2026-10-01\n'
    )
    (created, updated, unchanged), _rows = import_embassies(text)
    assert created == 1
    target = Target.objects.get()
    assert (target.based_in.code, target.source_url, target.checked_on) == (
        "SE",
        "https://example.org/page",
        datetime.date(2026, 10, 1),
    )
    assert target.is_accredited_from_abroad


# Sources, one by one (tests/test_the_directory_counts_its_sources.py has the rest) ---------


def test_every_entry_has_at_least_one_source_with_the_day_it_was_read():
    for item in directory.entries():
        assert item["sources"], item["key"]
        assert all(datetime.date.fromisoformat(source["read_on"]) for source in item["sources"]), item["key"]


def test_the_count_shown_matches_the_independent_sources_of_each_entry(client, shipped):
    import re

    for item in directory.entries():
        origins = {
            (s.get("origin") or s["publisher"]).casefold()
            for s in item["sources"]
            if s.get("covers", "address") == "address" and not s.get("disagrees")
        }
        html = client.get(reverse("appeals:embassies"), {"country": item["country"]}).content.decode()
        shown = {int(n) for n in re.findall(r'address-sources" data-independent="(\d+)"', html)}
        assert len(origins) in shown, item["key"]


def test_washington_has_the_email_the_embassys_own_site_gives():
    washington = next(item for item in directory.entries() if item["key"] == "embassy-us-washington")
    assert washington["email"] == "washington@mfa.kz"
    assert any("trevianxyz/abai" in source["url"] for source in washington["sources"])


def test_kyivs_street_gives_its_name_since_2018_beside_the_old_one():
    kyiv = next(item for item in directory.entries() if item["key"] == "embassy-ua-kyiv")
    assert kyiv["postal_address"].startswith("Yuriia Illienka St. (formerly Melnikova St.), 26")
    assert "11 October 2018" in kyiv["notes"]
