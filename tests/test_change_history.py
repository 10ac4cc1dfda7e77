import pytest
from django.urls import reverse

from prisoners.models import Charge, Prisoner

pytestmark = pytest.mark.django_db


def change_form_data(prisoner, **changes):
    data = {
        "name_en": prisoner.name,
        "name_original": prisoner.name_original,
        "slug": prisoner.slug,
        "status": prisoner.status,
        "summary_en": prisoner.summary,
        "arrested_precision": "day",
        "sentenced_precision": "day",
        "expected_release_precision": "day",
        "released_precision": "day",
        "status_confirmed_precision": "day",
        "charges-TOTAL_FORMS": "0",
        "charges-INITIAL_FORMS": "0",
        "events-TOTAL_FORMS": "0",
        "events-INITIAL_FORMS": "0",
    }
    if prisoner.is_published:
        data["is_published"] = "on"
    if prisoner.held_at_latest_report:
        data["held_at_latest_report"] = "on"
    data.update(changes)
    return data


def test_an_organiser_edits_a_case_and_its_history_shows_what_and_who(organiser_client, organiser, make_prisoner):
    prisoner = make_prisoner(name="Vladimir Kozlov", summary="Leader of the Alga! party")
    url = reverse("admin:prisoners_prisoner_change", args=[prisoner.pk])
    response = organiser_client.post(url, change_form_data(prisoner, summary_en="Sentenced to seven and a half years"))
    assert response.status_code == 302, response.content.decode()[:3000]
    record = prisoner.history.latest()
    assert record.history_user == organiser
    assert record.history_type == "~"
    html = organiser_client.get(reverse("admin:prisoners_prisoner_history", args=[prisoner.pk])).content.decode()
    assert organiser.username in html
    assert "Sentenced to seven and a half years" in html
    assert "Leader of the Alga! party" in html


def test_charges_and_events_edited_inline_appear_on_the_cases_history(organiser_client, organiser, make_prisoner):
    prisoner = make_prisoner(name="Roza Tuletaeva")
    data = change_form_data(
        prisoner,
        **{
            "charges-TOTAL_FORMS": "1",
            "charges-0-article": "Article 241",
            "charges-0-description_en": "Organising mass disorder",
            "charges-0-position": "0",
        },
    )
    url = reverse("admin:prisoners_prisoner_change", args=[prisoner.pk])
    assert organiser_client.post(url, data).status_code == 302
    assert Charge.history.get().history_user == organiser
    html = organiser_client.get(reverse("admin:prisoners_prisoner_history", args=[prisoner.pk])).content.decode()
    assert "Article 241: Organising mass disorder" in html


def test_publishing_in_bulk_is_recorded_too(organiser_client, organiser, make_prisoner):
    prisoner = make_prisoner(is_published=False)
    organiser_client.post(
        reverse("admin:prisoners_prisoner_changelist"), {"action": "publish", "_selected_action": [prisoner.pk]}
    )
    record = Prisoner.history.filter(id=prisoner.pk).latest()
    assert record.is_published and record.history_user == organiser


def test_the_change_form_links_to_the_history(organiser_client, make_prisoner):
    prisoner = make_prisoner()
    html = organiser_client.get(reverse("admin:prisoners_prisoner_change", args=[prisoner.pk])).content.decode()
    assert reverse("admin:prisoners_prisoner_history", args=[prisoner.pk]) in html


def test_the_history_keeps_which_sources_a_case_cited(organiser_client, make_prisoner):
    from prisoners.models import Source

    prisoner = make_prisoner()
    source = Source.objects.create(title="Hands Off Roza Tuletaeva")
    url = reverse("admin:prisoners_prisoner_change", args=[prisoner.pk])
    assert organiser_client.post(url, change_form_data(prisoner, sources=[source.pk])).status_code == 302
    record = prisoner.history.latest()
    assert [entry.source for entry in record.sources.all()] == [source]


def test_places_of_detention_and_sources_have_a_history_too(organiser_client, place):
    place.postal_address = "Atyrau, colony UG-157/11, new address"
    place.save()
    url = reverse("admin:prisoners_placeofdetention_history", args=[place.pk])
    response = organiser_client.get(url)
    assert response.status_code == 200
    assert place.history.count() == 2
    assert "new address" in response.content.decode()


def test_appeals_and_petitions_keep_who_changed_what(organiser_client, organiser, make_appeal, make_petition):
    appeal = make_appeal(title="Free Natalia Sokolova")
    petition = make_petition(title="Reinstate Erlan Tabinov")
    # The appeal is closed in code as the admin's list_editable would, the petition through its form.
    appeal.status = "closed"
    appeal._history_user = organiser
    appeal.save()
    url = reverse("admin:petitions_petition_change", args=[petition.pk])
    form = organiser_client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if k in form.fields and v not in (None, [], "")}
    data.update({"status": "closed", "list_signers": "on"})
    response = organiser_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert petition.history.latest().history_user == organiser
    assert petition.history.latest().status == "closed"
    for name, obj in [("petitions_petition", petition), ("appeals_appeal", appeal)]:
        html = organiser_client.get(reverse(f"admin:{name}_history", args=[obj.pk])).content.decode()
        assert organiser.username in html, name


def test_signatures_keep_no_history():
    from petitions.models import Signature

    assert not hasattr(Signature, "history")
