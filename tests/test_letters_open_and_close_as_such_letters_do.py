"""Each kind of recipient gets the salutation and closing its letters take, in each language."""

import datetime
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from appeals.letters import Sender, render_letter
from appeals.models import Appeal, LetterText, Target

TODAY = datetime.date(2026, 12, 3)
DEMO = Path(__file__).resolve().parent.parent / "appeals" / "demo"

# (kind, form of address) -> language -> (first line, closing line)
EXPECTED = {
    ("head_of_state", "man"): {
        "en": ("Dear Mr President,", "Yours sincerely,"),
        "ru": ("Уважаемый господин Президент!", "С глубоким уважением,"),
        "kk": ("Құрметті Президент мырза!", "Терең құрметпен,"),
    },
    ("head_of_state", "woman"): {
        "en": ("Dear Madam President,", "Yours sincerely,"),
        "ru": ("Уважаемая госпожа Президент!", "С глубоким уважением,"),
        "kk": ("Құрметті Президент ханым!", "Терең құрметпен,"),
    },
    ("head_of_state", ""): {
        "en": ("Your Excellency,", "Yours sincerely,"),
        "ru": ("Ваше превосходительство!", "С глубоким уважением,"),
        "kk": ("Құрметті Президент мырза/ханым!", "Терең құрметпен,"),
    },
    ("embassy", ""): {
        "en": ("Your Excellency,", "Yours faithfully,"),
        "ru": ("Ваше превосходительство!", "С глубоким уважением,"),
        "kk": ("Аса құрметті Елші мырза/ханым!", "Терең құрметпен,"),
    },
    ("embassy", "woman"): {
        "en": ("Your Excellency,", "Yours faithfully,"),
        "ru": ("Ваше превосходительство!", "С глубоким уважением,"),
        "kk": ("Аса құрметті Елші ханым!", "Терең құрметпен,"),
    },
    ("minister", "man"): {
        "en": ("Dear Minister,", "Yours sincerely,"),
        "ru": ("Уважаемый господин министр!", "С уважением,"),
        "kk": ("Құрметті Министр мырза!", "Құрметпен,"),
    },
    ("minister", ""): {
        "en": ("Dear Minister,", "Yours sincerely,"),
        "ru": ("Уважаемый(-ая) господин (госпожа) министр!", "С уважением,"),
        "kk": ("Құрметті Министр мырза/ханым!", "Құрметпен,"),
    },
    ("chief_executive", "woman"): {
        "en": ("Dear Chief Executive,", "Yours sincerely,"),
        "ru": ("Уважаемая госпожа генеральный директор!", "С уважением,"),
        "kk": ("Құрметті Бас директор ханым!", "Құрметпен,"),
    },
    ("chief_executive", ""): {
        "en": ("Dear Chief Executive,", "Yours sincerely,"),
        "ru": ("Уважаемый(-ая) господин (госпожа) генеральный директор!", "С уважением,"),
        "kk": ("Құрметті Бас директор мырза/ханым!", "Құрметпен,"),
    },
}
ORGANISATION = {
    "en": ("Dear Sir or Madam,", "Yours faithfully,"),
    "ru": ("Уважаемые дамы и господа!", "С уважением,"),
    "kk": ("Құрметті ханымдар мен мырзалар!", "Құрметпен,"),
}
for organisation_kind in ("government", "company", "consulate", "professional_body", "other"):
    EXPECTED[(organisation_kind, "")] = ORGANISATION


def demo_letter(language, slug="free-vadim-kuramshin"):
    """The demo appeal's model letter in `language`, as the demo file has it."""
    if language == "en":
        item = next(a for a in json.loads((DEMO / "appeals.json").read_text())["appeals"] if a["slug"] == slug)
        letter = item["letters"][0]
    else:
        letter = json.loads((DEMO / f"appeals.{language}.json").read_text())["appeals"][slug]["letter"]
    return LetterText(language=language, subject=letter["subject"], body=letter["body"])


@pytest.mark.parametrize("language", ["en", "ru", "kk"])
@pytest.mark.parametrize(("kind", "form"), list(EXPECTED))
def test_the_model_letter_opens_and_closes_as_letters_to_that_recipient_do(kind, form, language):
    target = Target(kind=kind, form_of_address=form, name="Someone")
    letter = render_letter(demo_letter(language), ["Free him."], Sender("Jane Doe"), target, today=TODAY)
    lines = letter.body.split("\n")
    first, closing = EXPECTED[(kind, form)][language]
    assert lines[0] == first
    # The closing, then the sender's name; the date last, as the model letter places it.
    assert lines[-3:] == [closing, "Jane Doe", letter.body.split("\n")[-1]]
    assert lines[-1] == render_letter(LetterText(language=language, body="{date}"), [], Sender("x"), today=TODAY).body
    if language != "en":
        assert first.endswith("!")


@pytest.mark.parametrize("language", ["en", "ru", "kk"])
def test_a_letter_to_no_one_named_opens_as_to_an_organisation(language):
    letter = render_letter(demo_letter(language), [], Sender("Jane Doe"), None, today=TODAY)
    first, closing = ORGANISATION[language]
    assert letter.body.split("\n")[0] == first
    assert closing + "\nJane Doe" in letter.body


def test_an_organisers_own_salutation_wins_in_its_language_and_a_blank_one_falls_back_to_the_kinds():
    target = Target(kind="head_of_state", form_of_address="man", name="Kassym-Jomart Tokayev")
    target.salutation_en = "Excellency,"
    target.closing_ru = "С уважением,"
    english = render_letter(demo_letter("en"), [], Sender("Jane"), target, today=TODAY)
    russian = render_letter(demo_letter("ru"), [], Sender("Jane"), target, today=TODAY)
    assert english.body.startswith("Excellency,\n") and "Yours sincerely,\nJane" in english.body
    # Not the English text: a Russian letter with no Russian salutation takes the kind's own.
    assert russian.body.startswith("Уважаемый господин Президент!\n")
    assert "\nС уважением,\nJane" in russian.body


def test_a_model_letter_without_the_closing_placeholder_is_left_as_written():
    text = LetterText(language="en", subject="S", body="{salutation}\n\nText.\n\nBest wishes,\n{sender_name}")
    letter = render_letter(text, [], Sender("Jane"), Target(kind="minister", name="x"), today=TODAY)
    assert letter.body == "Dear Minister,\n\nText.\n\nBest wishes,\nJane"


def test_the_demo_targets_are_of_the_right_kind_and_the_embassies_take_the_kinds_wording(db, client):
    call_command("load_demo", verbosity=0)
    call_command("load_embassies", verbosity=0)
    president = Target.objects.get(key="nazarbayev")
    assert (president.kind, president.form_of_address) == ("head_of_state", "man")
    assert Target.objects.get(key="kazmunaygaz").kind == "company"
    assert Target.objects.get(key="bar-council").kind == "professional_body"
    embassies = Target.objects.filter(kind__in=["embassy", "consulate"])
    assert embassies.count() == 32
    # The directory gives no wording of its own: the kind's, in each language, with its «!».
    assert not embassies.exclude(salutation_en="", salutation_ru="", salutation_kk="").exists()
    appeal = Appeal.objects.get(slug="free-vadim-kuramshin")
    data = {"name": "Ivan Petrov", "country": "GB", "language": "ru"}
    page = client.post(reverse("appeals:letter", args=[appeal.slug]), data).content.decode()
    assert "Ваше превосходительство!\n" in page
    assert "С глубоким уважением,\nIvan Petrov" in page
    oil_workers = Appeal.objects.get(slug="oil-workers-model-letter-of-protest")
    data["language"] = "kk"
    page = client.post(reverse("appeals:letter", args=[oil_workers.slug]), data).content.decode()
    assert "Құрметті Президент мырза!\n" in page  # Nazarbayev, whose form is known
    assert "Аса құрметті Елші мырза/ханым!\n" in page  # the embassy, whose ambassador changes
    assert "Құрметті ханымдар мен мырзалар!\n" in page  # KazMunayGaz, written to as a company


def test_the_organiser_sees_the_forms_side_by_side_and_the_defaults_for_the_kind(db, organiser_client):
    target = Target.objects.create(kind="minister", form_of_address="woman", name="Minister of Justice")
    with translation.override("en"):
        page = organiser_client.get(reverse("admin:appeals_target_change", args=[target.pk])).content.decode()
    for field in ("salutation_en", "salutation_ru", "salutation_kk", "closing_en", "closing_ru", "closing_kk"):
        assert f'name="{field}"' in page
    assert 'name="form_of_address"' in page
    assert "Уважаемая госпожа министр!" in page and "Құрметті Министр ханым!" in page
    assert "Dear Minister, … Yours sincerely," in page


def test_a_new_target_form_says_where_the_defaults_will_show(db, organiser_client):
    page = organiser_client.get(reverse("admin:appeals_target_add"))
    assert page.status_code == 200
    assert "Save the entry to see the defaults for its kind." in page.content.decode()
    assert '<option value="minister">Minister</option>' in page.content.decode()
