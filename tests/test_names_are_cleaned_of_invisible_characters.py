import pytest
from django.urls import reverse

from appeals.forms import SenderForm
from lib.forms import without_invisible_characters

pytestmark = pytest.mark.django_db

RLO, PDF, ZWSP, ZWJ, LRI, PDI, BOM = "\u202e", "\u202c", "\u200b", "\u200d", "\u2066", "\u2069", "\ufeff"


def test_it_strips_direction_overrides_isolates_and_zero_width_characters():
    assert without_invisible_characters(f"Evil {RLO}modgniK detinU{PDF}") == "Evil modgniK detinU"
    assert without_invisible_characters(f"{LRI}Jane{PDI}{ZWSP} Doe{BOM}{ZWJ}\u200e\u200f\u061c\u2060") == "Jane Doe"


def test_it_keeps_names_in_any_script_as_typed():
    for name in ["Жанболат Мамай", "Жаңаөзен", "José Ñúñez", "محمد"]:
        assert without_invisible_characters(name) == name


def test_it_cleans_the_name_organisation_and_town_of_a_letter_sender():
    form = SenderForm(
        {"name": f"{RLO}Jane Doe", "organisation": f"Unite{ZWSP}", "town": f"{LRI}Leeds{PDI}", "country": ""},
        languages=[("en", "English")],
    )
    assert form.is_valid(), form.errors
    assert (form.cleaned_data["name"], form.cleaned_data["organisation"], form.cleaned_data["town"]) == (
        "Jane Doe",
        "Unite",
        "Leeds",
    )


def test_it_refuses_a_name_of_nothing_but_invisible_characters_with_a_message():
    form = SenderForm({"name": f"{ZWSP}{RLO}{BOM} ", "country": ""}, languages=[("en", "English")])
    assert not form.is_valid()
    assert "only invisible characters" in str(form.errors["name"])


def test_an_organisation_of_only_invisible_characters_becomes_empty_not_an_error():
    form = SenderForm({"name": "Jane", "organisation": ZWSP * 3, "country": ""}, languages=[("en", "English")])
    assert form.is_valid(), form.errors
    assert form.cleaned_data["organisation"] == ""


def test_a_letter_from_an_invisible_name_is_refused_on_the_page(client, make_appeal):
    appeal = make_appeal()
    response = client.post(reverse("appeals:letter", args=[appeal.slug]), {"name": ZWSP + RLO, "language": "en"})
    assert response.status_code == 400
    assert "only invisible characters" in response.content.decode()
