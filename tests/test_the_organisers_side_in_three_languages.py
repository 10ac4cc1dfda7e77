"""The organisers' screens in English, Russian and Kazakh: an appeal's demands that fit the
screen, a letter preview whose language links lead somewhere, a hand-over written in three
languages and a pack that reads right, and a hunger strike that updates its case."""

import datetime
import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from petitions import documents, services
from petitions.models import Petition
from prisoners.models import CaseEvent, Prisoner

pytestmark = pytest.mark.django_db


def pdf_text(content):
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def admin_form_data(response):
    """What the change form would send back untouched: its fields and inlines as they are."""
    data = {}

    def put(form):
        for name in form.fields:
            value = form[name].value()
            key = form.add_prefix(name)
            if isinstance(value, bool):
                if value:
                    data[key] = "on"
            elif isinstance(value, list | tuple):
                data[key] = [str(v) for v in value]
            elif isinstance(value, datetime.date):
                data[key] = value.isoformat()
            elif value is not None:
                data[key] = str(value) if not hasattr(value, "pk") else str(value.pk)

    put(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        put(formset.management_form)
        for form in formset.forms:
            put(form)
    return data


# --- the appeal's page fits the screen -----------------------------------------------------


def test_each_demands_three_languages_are_stacked_not_side_by_side_in_columns(organiser_client, make_appeal):
    appeal = make_appeal(demands=["Free Natalia Sokolova.", "Reinstate the sacked workers."])
    page = organiser_client.get(reverse("admin:appeals_appeal_change", args=[appeal.pk])).content.decode()
    group = page[page.index('id="demands-group"') :]
    group = group[: group.index('id="recipients-group"')]
    assert "<table" not in group  # a table puts the three languages in three columns
    assert "demands-stacked" in group
    for code in ("en", "ru", "kk"):
        assert f'name="demands-0-text_{code}"' in group
    assert group.index('name="demands-0-text_en"') < group.index('name="demands-0-text_ru"')
    assert 'name="demands-0-DELETE"' in group


# --- the letter preview's language links ------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "ru", "kk"])
def test_the_preview_links_to_itself_in_the_organisers_other_languages(organiser_client, make_appeal, language):
    appeal = make_appeal()
    prefix = "" if language == "en" else f"/{language}"
    url = prefix + reverse("admin:appeals_appeal_preview", args=[appeal.pk])
    page = organiser_client.get(url).content.decode()
    links = re.findall(r'<a href="([^"]*)" hreflang="(\w+)"', page)
    assert sorted(code for _href, code in links) == sorted({"en", "ru", "kk"} - {language})
    for href, _code in links:
        assert href.endswith(f"/admin/appeals/appeal/{appeal.pk}/preview/")
    assert "</a> / </a>" not in page and "> / / " not in page


# --- the hand-over, in three languages ----------------------------------------------------------


def test_the_hand_over_is_recorded_in_three_languages_and_each_page_reads_in_its_own(organiser_client, make_petition):
    petition = make_petition(title="Reinstate the sacked copper workers")
    form = organiser_client.get(reverse("admin:petitions_petition_delivery", args=[petition.pk])).content.decode()
    for field in ("delivered_where", "delivered_to", "delivery_note"):
        for code in ("en", "ru", "kk"):
            assert f'name="{field}_{code}"' in form
    response = organiser_client.post(
        reverse("admin:petitions_petition_delivery", args=[petition.pk]),
        {
            "delivered_on": "2026-12-03",
            "delivered_where_en": "KazMinerals head office, London",
            "delivered_where_ru": "главный офис KazMinerals, Лондон",
            "delivered_where_kk": "KazMinerals бас кеңсесі, Лондон",
            "delivered_to_en": "the company secretary",
            "delivered_to_ru": "секретарь компании",
            "delivered_to_kk": "компания хатшысы",
            "delivery_note_en": "Twelve trade unionists handed it over.",
            "delivery_note_ru": "Её передали двенадцать профсоюзных активистов.",
            "delivery_note_kk": "Оны он екі кәсіподақ белсендісі тапсырды.",
        },
    )
    assert response.status_code == 302
    petition.refresh_from_db()
    assert petition.status == Petition.Status.DELIVERED
    with translation.override("en"):
        url = petition.get_absolute_url()
    russian = Client().get("/ru" + url).content.decode()
    assert "(получатель: секретарь компании)" in russian
    assert "the company secretary" not in russian and "главный офис KazMinerals, Лондон" in russian
    kazakh = Client().get("/kk" + url).content.decode()
    assert "компания хатшысы" in kazakh and "the company secretary" not in kazakh
    english = Client().get(url).content.decode()
    assert "the company secretary" in english


def test_a_hand_over_recorded_in_english_only_still_shows_on_every_page(make_petition):
    petition = make_petition()
    services.record_delivery(petition, datetime.date(2026, 12, 3), where="London", to="the company secretary")
    petition.refresh_from_db()
    assert petition.delivered_to_en == "the company secretary" and not petition.delivered_to_ru
    with translation.override("ru"):
        assert petition.delivered_to == "the company secretary"  # the English, until translated


def test_the_russian_pack_ends_the_date_with_one_full_stop_and_cuts_its_footer_between_words(make_petition):
    title = (
        "Верните на работу уволенных рабочих медной промышленности KazMinerals и прекратите преследование "
        "профсоюзных активистов в Жезказгане, Балхаше и Актогае"
    )
    petition = make_petition(title_en="Reinstate the sacked copper workers", title_ru=title)
    services.record_delivery(petition, datetime.date(2026, 12, 3))
    with translation.override("ru"):
        text = pdf_text(documents.pack_pdf(Petition.objects.get(pk=petition.pk)))
    assert "Передана 3 декабря 2026 г." in text
    assert "г.." not in text
    footer = next(line for line in text.splitlines() if "страница 1 из" in line or "стр. 1 из" in line)
    shown = footer.split(" · ")[0]
    assert shown.endswith("…")
    # Every word before the ellipsis is a whole word of the title.
    assert title.startswith(shown.removesuffix("…")) and title[len(shown) - 1] in " ,"


# --- a hunger strike updates its case ------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "ru", "kk"])
def test_adding_a_hunger_strike_offers_to_flag_the_case_and_date_its_status(organiser_client, make_prisoner, language):
    prisoner = make_prisoner(
        name="Roza Tuletaeva",
        status="sentenced",
        status_confirmed_on=datetime.date(2014, 12, 1),
        status_confirmed_precision="month",
    )
    prefix = "" if language == "en" else f"/{language}"
    with translation.override("en"):
        change = prefix + reverse("admin:prisoners_prisoner_change", args=[prisoner.pk])
    data = admin_form_data(organiser_client.get(change))
    index = int(data["events-TOTAL_FORMS"])
    data["events-TOTAL_FORMS"] = str(index + 1)
    data |= {
        f"events-{index}-date": "2026-11-20",
        f"events-{index}-precision": "day",
        f"events-{index}-kind": "hunger_strike",
        f"events-{index}-text_en": "She began a hunger strike.",
    }
    response = organiser_client.post(change, data, follow=True)
    assert response.status_code == 200
    event = CaseEvent.objects.get(prisoner=prisoner, kind="hunger_strike")
    page = response.content.decode()
    with translation.override("en"):
        action = prefix + reverse("admin:prisoners_prisoner_flag_hunger_strike", args=[event.pk])
    assert f'action="{action}"' in page
    assert 'name="csrfmiddlewaretoken"' in page
    prisoner.refresh_from_db()
    assert not prisoner.hunger_strike  # nothing changes until the organiser says so

    # A GET (a prefetching browser, a link checker) changes nothing.
    assert organiser_client.get(action).status_code == 405
    done = organiser_client.post(action, follow=True)
    assert done.status_code == 200
    prisoner.refresh_from_db()
    assert prisoner.hunger_strike
    assert (prisoner.status_confirmed_on, prisoner.status_confirmed_precision) == (datetime.date(2026, 11, 20), "day")
    # Saved again, the case says as much as the event: no second offer.
    again = organiser_client.post(change, admin_form_data(organiser_client.get(change)), follow=True)
    assert action not in again.content.decode()


def test_an_older_hunger_strike_does_not_move_a_later_status_date_back(make_prisoner):
    from prisoners.services import flag_hunger_strike, hunger_strike_news

    prisoner = make_prisoner(status_confirmed_on=datetime.date(2026, 1, 1))
    event = CaseEvent.objects.create(prisoner=prisoner, date=datetime.date(2012, 4, 22), kind="hunger_strike", text="x")
    assert hunger_strike_news([event]) == event  # not flagged yet
    flag_hunger_strike(event)
    prisoner.refresh_from_db()
    assert prisoner.hunger_strike and prisoner.status_confirmed_on == datetime.date(2026, 1, 1)
    assert hunger_strike_news([CaseEvent.objects.get(pk=event.pk)]) is None


def test_only_a_hunger_strike_event_can_be_flagged_from(organiser_client, make_prisoner):
    prisoner = make_prisoner()
    trial = CaseEvent.objects.create(prisoner=prisoner, date=datetime.date(2012, 4, 22), kind="trial", text="x")
    response = organiser_client.post(reverse("admin:prisoners_prisoner_flag_hunger_strike", args=[trial.pk]))
    assert response.status_code == 404
    assert not Prisoner.objects.get(pk=prisoner.pk).hunger_strike


def test_the_flag_needs_an_organiser(client, make_prisoner):
    prisoner = make_prisoner()
    event = CaseEvent.objects.create(prisoner=prisoner, date=datetime.date(2012, 4, 22), kind="hunger_strike", text="x")
    response = client.post(reverse("admin:prisoners_prisoner_flag_hunger_strike", args=[event.pk]))
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert not Prisoner.objects.get(pk=prisoner.pk).hunger_strike


def test_a_russian_page_and_email_end_the_hand_over_date_with_one_full_stop(make_petition):
    from django.template.loader import render_to_string

    petition = make_petition()
    services.record_delivery(petition, datetime.date(2026, 12, 3))
    petition.refresh_from_db()
    with translation.override("ru"):
        page = render_to_string("petitions/_delivered.html", {"petition": petition})
        text = render_to_string("petitions/email/delivered.txt", {"petition": petition})
    assert "3 декабря 2026 г." in page and "г.." not in page
    assert "3 декабря 2026 г." in text and "г.." not in text
    with translation.override("en"):
        page = render_to_string("petitions/_delivered.html", {"petition": petition})
    assert "3 December 2026." in page
