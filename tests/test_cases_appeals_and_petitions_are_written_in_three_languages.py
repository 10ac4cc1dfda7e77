"""Case files, appeals and petitions written per language in the admin, side by side, shown
in the page's language with English as the fallback, with their history kept in every
language; and the demo content in all three (docs/translation.md)."""

import json
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from appeals.models import Appeal
from petitions.models import Petition
from prisoners.models import Prisoner

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
DEMO_FILES = [
    ROOT / "prisoners/demo/prisoners.json",
    ROOT / "appeals/demo/appeals.json",
    ROOT / "petitions/demo/petitions.json",
]
SAYS_IT_IS_A_TRANSLATION = {"ru": "Перевод с английского.", "kk": "Ағылшын тілінен аударылған."}


def test_a_russian_page_shows_the_russian_text_and_an_untranslated_one_in_english_marked_so(client, make_prisoner):
    prisoner = make_prisoner(
        name="Roza Tuletaeva",
        name_ru="Роза Тулетаева",
        summary="Oil workers' strike activist.",
        biography="Mother of three.",
    )
    html = client.get(f"/ru/prisoners/{prisoner.slug}/").content.decode()
    assert re.search(r"<h1[^>]*>Роза Тулетаева</h1>", html)
    assert '<h1 class="mb-1">Роза Тулетаева' in html  # in the page's language: no lang of its own
    assert 'lang="en">Oil workers&#x27; strike activist.<' in html
    assert "показаны на английском" in html
    # Kazakh has no name yet: the English one, marked as English.
    kazakh = client.get(f"/kk/prisoners/{prisoner.slug}/").content.decode()
    assert re.search(r'<h1 class="mb-1" lang="en">Roza Tuletaeva</h1>', kazakh)


def test_a_page_whose_texts_are_all_translated_has_no_note_and_says_it_is_a_translation(client, make_prisoner):
    source_texts = {"name": "Роза Тулетаева", "summary": "Активистка забастовки нефтяников."}
    prisoner = make_prisoner(
        name="Roza Tuletaeva",
        summary="Oil workers' strike activist.",
        **{f"{k}_ru": v for k, v in source_texts.items()},
    )
    prisoner.sources.create(title="Campaign Kazakhstan", url="https://example.org/")
    html = client.get(f"/ru/prisoners/{prisoner.slug}/").content.decode()
    assert "untranslated-note" not in html
    assert "Активистка забастовки нефтяников." in html
    assert "Перевод с английского." in html
    english = client.get(f"/prisoners/{prisoner.slug}/").content.decode()
    assert "translation-note" not in english
    assert "Oil workers&#x27; strike activist." in english


def test_appeals_and_petitions_follow_the_page_language_too(client, make_appeal, make_petition):
    appeal = make_appeal(title="Free Vadim Kuramshin", title_kk="Вадим Курамшинге бостандық")
    petition = make_petition(title="Reinstate the sacked oil workers", title_ru="Восстановить уволенных нефтяников")
    assert "Вадим Курамшинге бостандық" in client.get(f"/kk/appeals/{appeal.slug}/").content.decode()
    assert "Восстановить уволенных нефтяников" in client.get(f"/ru/petitions/{petition.slug}/").content.decode()
    assert "Free Vadim Kuramshin" in client.get(f"/ru/appeals/{appeal.slug}/").content.decode()


def test_the_admin_puts_each_texts_languages_side_by_side(organiser_client, make_prisoner):
    prisoner = make_prisoner()
    html = organiser_client.get(reverse("admin:prisoners_prisoner_change", args=[prisoner.pk])).content.decode()
    # One line (Django's admin draws a tuple of fields side by side) per translated text.
    line = re.search(r'<div class="form-row[^"]*field-summary_en field-summary_ru field-summary_kk', html)
    assert line, "summary's three languages are not on one line"
    assert 'name="biography_kk"' in html
    assert "admin-translations" in html


def test_an_organiser_writes_a_translation_and_the_history_keeps_it(organiser_client, organiser, make_prisoner):
    from .test_change_history import change_form_data

    prisoner = make_prisoner(name="Vladimir Kozlov", summary="Leader of the Alga! party")
    url = reverse("admin:prisoners_prisoner_change", args=[prisoner.pk])
    response = organiser_client.post(url, change_form_data(prisoner, summary_ru="Лидер партии «Алга!»"))
    assert response.status_code == 302, response.content.decode()[:3000]
    prisoner.refresh_from_db()
    assert prisoner.summary_ru == "Лидер партии «Алга!»"
    assert prisoner.summary_en == "Leader of the Alga! party"
    record = prisoner.history.latest()
    assert record.history_user == organiser
    assert record.summary_ru == "Лидер партии «Алга!»"
    assert record.prev_record.summary_ru in (None, "")
    changed = {change.field for change in record.diff_against(record.prev_record).changes}
    assert "summary_ru" in changed


def test_the_admin_finds_a_case_by_its_name_in_any_language(organiser_client, make_prisoner):
    make_prisoner(name="Roza Tuletaeva", name_ru="Роза Тулетаева")
    url = reverse("admin:prisoners_prisoner_changelist")
    assert "Roza Tuletaeva" in organiser_client.get(url, {"q": "Тулетаева"}).content.decode()
    # On the Russian admin the list shows the Russian name, found by the English one.
    assert "Роза Тулетаева" in organiser_client.get("/ru" + url, {"q": "Tuletaeva"}).content.decode()


@pytest.mark.parametrize("path", DEMO_FILES, ids=lambda p: p.name)
@pytest.mark.parametrize("language", ["ru", "kk"])
def test_each_demo_file_has_a_complete_translation_in_the_same_shape(path, language):
    english = json.loads(path.read_text(encoding="utf-8"))
    translated = json.loads(path.with_name(f"{path.stem}.{language}.json").read_text(encoding="utf-8"))
    for section, items in translated.items():
        by_key = {item.get("slug") or item.get("key"): item for item in english[section]}
        assert set(items) <= set(by_key), f"{section}: {set(items) - set(by_key)} not in the English file"
        for key, texts in items.items():
            for name, value in texts.items():
                original = by_key[key]["letters"][0] if name == "letter" else by_key[key].get(name)
                if isinstance(value, list):
                    assert len(value) == len(original), f"{section}/{key}/{name}: not item for item"
                if name == "letter":
                    braced = re.compile(r"\{\w+\}")
                    assert sorted(braced.findall(value["body"])) == sorted(braced.findall(original["body"])), key
    for section in ("prisoners", "appeals", "petitions"):
        if section in english:
            missing = {item["slug"] for item in english[section]} - set(translated.get(section, {}))
            assert not missing, f"not translated into {language}: {missing}"
            for item in english[section]:
                note = translated[section][item["slug"]].get("source_note")
                if item.get("source_note"):
                    assert note and note.startswith(SAYS_IT_IS_A_TRANSLATION[language]), item["slug"]


def test_the_demo_shows_every_case_appeal_and_petition_in_russian_and_kazakh_with_letters_in_each():
    call_command("load_demo", verbosity=0)
    for language in ("ru", "kk"):
        for model, field in ((Prisoner, "summary"), (Appeal, "title"), (Petition, "text")):
            untranslated = [str(obj.pk) for obj in model.objects.all() if not getattr(obj, f"{field}_{language}")]
            assert not untranslated, f"{model.__name__} without {language}: {untranslated}"
        for appeal in Appeal.objects.prefetch_related("letters"):
            assert {"en", language} <= {letter.language for letter in appeal.letters.all()}, appeal.slug


def test_a_letter_can_be_written_in_a_language_other_than_the_pages(client):
    call_command("load_demo", verbosity=0)
    appeal = Appeal.objects.get(slug="free-vadim-kuramshin")
    letter_ru = appeal.letters.get(language="ru")
    data = {"name": "Ivan Petrov", "country": "RU", "town": "Moscow", "language": "ru"}
    english_page = client.post(f"/appeals/{appeal.slug}/letter/", data)
    assert english_page.status_code == 200
    html = english_page.content.decode()
    assert '<html lang="en"' in html
    assert letter_ru.subject in html
    data["language"] = "en"
    russian_page = client.post(f"/ru/appeals/{appeal.slug}/letter/", data).content.decode()
    assert '<html lang="ru"' in russian_page
    assert appeal.letters.get(language="en").subject in russian_page


def test_an_english_title_inside_a_russian_text_carries_its_own_language():
    from django.template import Context, Template

    template = Template("{% load content_language %}{{ note|marks_english }}")
    note = "Перевод с английского. «Roza Tuletaeva starts hunger strike» («Роза Тулетаева <объявила> голодовку»)"
    with translation.override("ru"):
        html = template.render(Context({"note": note}))
    assert '«<span lang="en">Roza Tuletaeva starts hunger strike</span>»' in html
    assert "&lt;объявила&gt;" in html  # still escaped
    with translation.override("en"):
        assert template.render(Context({"note": "A <b>title</b>"})) == "A &lt;b&gt;title&lt;/b&gt;"


def test_a_russian_letter_to_the_london_embassy_opens_in_russian(client):
    call_command("load_demo", verbosity=0)
    call_command("load_embassies", verbosity=0)
    appeal = Appeal.objects.get(slug="free-vadim-kuramshin")
    data = {"name": "Ivan Petrov", "country": "GB", "town": "London", "language": "ru"}
    html = client.post(f"/appeals/{appeal.slug}/letter/", data).content.decode()
    assert "Ваше превосходительство" in html
    assert "Your Excellency" not in html
    # The directory on a Russian page names the embassy in Russian.
    directory = client.get("/ru/appeals/embassies/").content.decode()
    assert "Посольство Республики Казахстан в Великобритании" in directory
    data["language"] = "en"
    english = client.post(f"/ru/appeals/{appeal.slug}/letter/", data).content.decode()
    assert "Your Excellency" in english


def test_the_demands_in_a_letter_are_in_the_letters_language_not_the_pages(client):
    call_command("load_demo", verbosity=0)
    appeal = Appeal.objects.get(slug="free-vadim-kuramshin")
    demand = appeal.demands.first()
    data = {"name": "Ivan Petrov", "country": "RU", "town": "Moscow", "language": "en"}
    english_letter_on_a_russian_page = client.post(f"/ru/appeals/{appeal.slug}/letter/", data).content.decode()
    letter = re.search(r"<textarea[^>]*>(.*?)</textarea>", english_letter_on_a_russian_page, re.S).group(1)
    assert demand.text_en in letter
    assert demand.text_ru not in letter


def test_a_downloaded_russian_letter_names_the_embassy_in_russian(client):
    call_command("load_demo", verbosity=0)
    call_command("load_embassies", verbosity=0)
    appeal = Appeal.objects.get(slug="free-vadim-kuramshin")
    data = {"name": "Ivan Petrov", "country": "GB", "language": "ru", "recipient": "0"}
    data |= {"subject": "Свободу Вадиму Курамшину", "body": "Текст письма"}
    text = client.post(reverse("appeals:letter_txt", args=[appeal.slug]), data).content.decode()
    assert text.startswith("Посольство Республики Казахстан в Великобритании")
    assert "125 Pall Mall" in text
