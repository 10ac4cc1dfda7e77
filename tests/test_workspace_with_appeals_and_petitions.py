"""The workspace's panels, roles and previews on the appeals and petitions models."""

import datetime

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from campaign import dashboard

pytestmark = pytest.mark.django_db

BANNER = "Draft — not public."


model = apps.get_model


def make_petition(**fields):
    fields.setdefault("text", "We call for the release of the Zhanaozen oil workers.")
    fields.setdefault("addressed_to", "The Prosecutor General of Kazakhstan")
    return model("petitions.Petition").objects.create(**fields)


def test_the_chart_and_the_waiting_count_read_the_signatures(organiser_client):
    Signature = model("petitions.Signature")
    today = timezone.localdate()
    petition = make_petition(title="Free Roza", slug="free-roza", status="open")
    closed = make_petition(title="Old", slug="old", status="closed")
    now = timezone.now()
    for i in range(3):
        Signature.objects.create(
            petition=petition,
            name=f"Signer {i}",
            email=f"s{i}@example.org",
            email_hash=f"h{i}",
            status="confirmed",
            confirmed_at=now - datetime.timedelta(days=i),
        )
    Signature.objects.create(
        petition=closed, name="x", email="x@example.org", email_hash="hx", status="confirmed", confirmed_at=now
    )
    Signature.objects.create(petition=petition, name="p", email="p@example.org", email_hash="hp", status="pending")
    series = dashboard.signatures_per_day(today)
    assert [(label, sum(n for _day, n in points)) for label, points in series] == [("Free Roza", 3)]
    assert dashboard.signatures_waiting()["count"] == 1
    assert organiser_client.get(dashboard.signatures_waiting()["url"]).status_code == 200
    assert "<polyline" in organiser_client.get(reverse("admin:index")).content.decode()


def test_deadlines_of_open_petitions_and_active_appeals_are_coming_up():
    Appeal = model("appeals.Appeal")
    model("petitions.Petition")
    today = timezone.localdate()
    soon = today + datetime.timedelta(days=10)
    make_petition(title="Free Roza", slug="free-roza", status="open", deadline=soon)
    make_petition(title="Draft petition", slug="draft", status="draft", deadline=soon)
    Appeal.objects.create(title="Free Kozlov", slug="kozlov", summary="s", status="active", deadline=soon)
    Appeal.objects.create(title="Draft appeal", slug="draft", summary="s", status="draft", deadline=soon)
    kinds = {(str(entry.kind), entry.text) for entry in dashboard.upcoming_dates(today)}
    assert ("Petition deadline", "Free Roza") in kinds and ("Appeal deadline", "Free Kozlov") in kinds
    assert not any("Draft" in text for _kind, text in kinds)


def test_letters_are_counted_per_published_appeal():
    Appeal = model("appeals.Appeal")
    LetterSent = model("appeals.LetterSent")
    active = Appeal.objects.create(title="Free Kozlov", slug="kozlov", summary="s", status="active")
    draft = Appeal.objects.create(title="Draft", slug="draft", summary="s", status="draft")
    LetterSent.objects.bulk_create([LetterSent(appeal=active) for _ in range(4)] + [LetterSent(appeal=draft)])
    assert [(str(appeal), n) for appeal, n, _url in dashboard.letters_per_appeal()] == [("Free Kozlov", 4)]


def test_an_editor_edits_appeals_and_petitions_but_not_signatures(client, editor):
    model("appeals.Appeal")
    model("petitions.Signature")
    client.force_login(editor)
    for name in ["appeals_appeal", "appeals_target", "petitions_petition"]:
        assert client.get(reverse(f"admin:{name}_changelist")).status_code == 200, name
    for name in ["petitions_signature", "petitions_paperbatch"]:
        assert client.get(reverse(f"admin:{name}_changelist")).status_code == 403, name


@pytest.mark.parametrize("kind", ["appeal", "petition"])
def test_an_organiser_previews_a_draft_appeal_or_petition(organiser_client, kind):
    if kind == "appeal":
        draft = model("appeals.Appeal").objects.create(title="Draft appeal X", slug="dx", summary="s", status="draft")
        url = reverse("appeals:detail", args=[draft.slug])
    else:
        draft = make_petition(title="Draft petition X", slug="px", status="draft")
        url = reverse("petitions:detail", args=[draft.slug])
    assert Client().get(url).status_code == 404
    response = organiser_client.get(url)
    assert response.status_code == 200
    assert BANNER in response.content.decode()
    assert "no-store" in response["Cache-Control"]
