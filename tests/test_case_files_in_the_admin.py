import pytest
from django.urls import reverse

from prisoners.models import CaseEvent, PlaceOfDetention, Prisoner, Source

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", [Prisoner, PlaceOfDetention, Source, CaseEvent])
def test_an_organiser_sees_the_changelist_and_add_form(organiser_client, make_prisoner, model):
    make_prisoner(events=2)
    meta = model._meta
    assert organiser_client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")).status_code == 200
    assert organiser_client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_add")).status_code == 200


def test_the_prisoner_changelist_searches_both_scripts_and_filters_by_risk(organiser_client, make_prisoner):
    make_prisoner(name="Roza Tuletaeva", name_original="Роза Тулетаева", hunger_strike=True)
    make_prisoner(name="Vadim Kuramshin")
    url = reverse("admin:prisoners_prisoner_changelist")
    html = organiser_client.get(url, {"q": "Тулетаева"}).content.decode()
    assert "Roza Tuletaeva" in html and "Vadim Kuramshin" not in html
    html = organiser_client.get(url, {"risk": "any"}).content.decode()
    assert "Roza Tuletaeva" in html and "Vadim Kuramshin" not in html


def test_an_organiser_adds_a_prisoner_with_a_charge_and_a_timeline_event(organiser_client):
    data = {
        "name_en": "Natalia Sokolova",
        "name_original": "",
        "slug": "natalia-sokolova",
        "status": "sentenced",
        "summary_en": "Lawyer of the oil workers' union",
        "arrested_precision": "day",
        "sentenced_precision": "day",
        "expected_release_precision": "day",
        "released_precision": "month",
        "status_confirmed_precision": "day",
        "held_at_latest_report": "on",
        "charges-TOTAL_FORMS": "1",
        "charges-INITIAL_FORMS": "0",
        "charges-0-article": "Article 164",
        "charges-0-description_en": "Inciting social discord",
        "charges-0-position": "0",
        "events-TOTAL_FORMS": "1",
        "events-INITIAL_FORMS": "0",
        "events-0-date": "2011-09-02",
        "events-0-precision": "day",
        "events-0-kind": "arrest",
        "events-0-text_en": "Arrested.",
    }
    response = organiser_client.post(reverse("admin:prisoners_prisoner_add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    prisoner = Prisoner.objects.get(slug="natalia-sokolova")
    assert prisoner.charges.get().article == "Article 164"
    assert prisoner.events.get().kind == "arrest"
    assert not prisoner.is_published


def test_an_organiser_edits_a_case_and_can_view_it_on_site(organiser_client, make_prisoner):
    prisoner = make_prisoner(events=3, charges=1)
    response = organiser_client.get(reverse("admin:prisoners_prisoner_change", args=[prisoner.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "View on site" in html
    shortcut = organiser_client.get(reverse("admin:view_on_site", args=[_content_type_id(prisoner), prisoner.pk]))
    assert shortcut["Location"].endswith(prisoner.get_absolute_url())


def _content_type_id(obj):
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(obj).pk


def test_bulk_publish_and_unpublish(organiser_client, make_prisoner):
    prisoner = make_prisoner(is_published=False)
    url = reverse("admin:prisoners_prisoner_changelist")
    organiser_client.post(url, {"action": "publish", "_selected_action": [prisoner.pk]})
    prisoner.refresh_from_db()
    assert prisoner.is_published
    organiser_client.post(url, {"action": "unpublish", "_selected_action": [prisoner.pk]})
    prisoner.refresh_from_db()
    assert not prisoner.is_published


def test_anonymous_visitors_are_sent_to_the_login(client):
    response = client.get(reverse("admin:prisoners_prisoner_changelist"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]
