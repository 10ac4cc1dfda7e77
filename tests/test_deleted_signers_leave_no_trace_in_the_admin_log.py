"""Admin's action log outlives the rows it names: a deleted or withdrawn signer must not live
on in "Recent actions" or a paper batch's History."""

import datetime
import importlib
from types import SimpleNamespace

import pytest
from django.contrib.admin.models import CHANGE, DELETION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from petitions.models import PaperBatch, Signature

from .test_paper_signatures_and_the_csv_import import batch_fields, inline_data, signed_online

pytestmark = pytest.mark.django_db

NAMES = ["Berik Zhakiparov", "Jane Doe"]


def assert_no_names_in_the_log(client, *pages):
    logged = " ".join(f"{e.object_repr} {e.change_message} {e.get_change_message()}" for e in LogEntry.objects.all())
    assert LogEntry.objects.exists()  # the actions are logged, only without names
    for page in pages:
        client.get(page)  # shows, and so ends, the "deleted" message the organiser just got
        response = client.get(page)
        assert response.status_code == 200
        logged += response.content.decode()
    for name in NAMES:
        assert name not in logged


def test_keying_in_and_deleting_paper_rows_logs_no_names(client, organiser_member, make_petition):
    petition = make_petition()
    client.force_login(organiser_member)
    rows = [{"name": name, "country": "GB"} for name in NAMES]
    response = client.post(reverse("admin:petitions_paperbatch_add"), inline_data(batch_fields(petition), rows))
    assert response.status_code == 302
    batch = PaperBatch.objects.get()
    existing = [
        {"id": str(s.pk), "paper_batch": str(batch.pk), "name": s.name, "country": "GB", "DELETE": "on"}
        for s in batch.signatures.order_by("id")
    ]
    response = client.post(
        reverse("admin:petitions_paperbatch_change", args=[batch.pk]),
        inline_data(batch_fields(petition), [], existing=existing),
    )
    assert response.status_code == 302
    assert "Added signature “signature #" in LogEntry.objects.filter(action_flag=1).get().get_change_message()
    assert_no_names_in_the_log(
        client, reverse("admin:index"), reverse("admin:petitions_paperbatch_history", args=[batch.pk])
    )


def test_deleting_signatures_one_by_one_or_in_bulk_logs_no_names(client, organiser_member, make_petition):
    petition = make_petition()
    first, second = (signed_online(petition, name=name, email=f"{i}@example.org") for i, name in enumerate(NAMES))
    client.force_login(organiser_member)
    response = client.post(reverse("admin:petitions_signature_delete", args=[first.pk]), {"post": "yes"})
    assert response.status_code == 302
    response = client.post(
        reverse("admin:petitions_signature_changelist"),
        {"action": "delete_selected", "_selected_action": [second.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not Signature.objects.exists()
    assert LogEntry.objects.filter(action_flag=DELETION).count() == 2
    assert_no_names_in_the_log(client, reverse("admin:index"))


def test_the_migration_scrubs_names_already_in_the_log(organiser_member, make_petition):
    petition = make_petition()
    signature = signed_online(petition, name=NAMES[0])
    batch = PaperBatch.objects.create(
        petition=petition, collected_where="Leeds", collected_on=datetime.date(2026, 5, 1)
    )
    LogEntry.objects.create(
        user=organiser_member,
        content_type=ContentType.objects.get_for_model(Signature),
        object_id=str(signature.pk),
        object_repr=str(signature),
        action_flag=DELETION,
    )
    LogEntry.objects.create(
        user=organiser_member,
        content_type=ContentType.objects.get_for_model(PaperBatch),
        object_id=str(batch.pk),
        object_repr=str(batch),
        action_flag=CHANGE,
        change_message=f'[{{"added": {{"name": "signature", "object": "{NAMES[1]} · P"}}}}]',
    )
    migration = importlib.import_module("petitions.migrations.0004_no_signer_names_in_the_admin_log")
    from django.apps import apps
    from django.db import connection

    migration.scrub(apps, SimpleNamespace(connection=connection))
    logged = " ".join(f"{e.object_repr} {e.change_message}" for e in LogEntry.objects.all())
    assert NAMES[0] not in logged and NAMES[1] not in logged
    assert f"signature #{signature.pk}" in logged and '"name": "signature"' in logged
