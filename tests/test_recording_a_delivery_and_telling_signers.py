import datetime
import io
import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django_tasks import task_backends
from PIL import Image

from petitions import services, tasks
from petitions.models import PaperBatch, Petition, Signature

pytestmark = pytest.mark.django_db


def signed(petition, name, email, wants_updates=False, **fields):
    signature = Signature.objects.create(
        petition=petition,
        name=name,
        email=email,
        email_hash=services.email_fingerprint(email),
        wants_updates=wants_updates,
        **fields,
    )
    services.confirm(signature)
    return signature


@pytest.fixture
def petition(make_petition):
    petition = make_petition(title="Reinstate Berik Zhakiparov", addressed_to="KazMinerals plc, London")
    signed(petition, "Wants News", "news@example.org", wants_updates=True)
    signed(petition, "Also Wants News", "also@example.org", wants_updates=True)
    signed(petition, "No News", "quiet@example.org")
    # Still pending: not counted, never told.
    Signature.objects.create(
        petition=petition, name="Pending", email="pending@example.org", email_hash="p", wants_updates=True
    )
    batch = PaperBatch.objects.create(petition=petition, collected_where="Picket")
    services.add_paper_signatures(batch, [{"name": "Paper News", "email": "paper@example.org", "wants_updates": True}])
    return petition


def png():
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, "PNG")
    return SimpleUploadedFile("handover.png", buffer.getvalue(), "image/png")


def delivery(petition):
    return reverse("admin:petitions_petition_delivery", args=[petition.pk])


def record(client, petition, **extra):
    data = {
        "delivered_on": "2026-06-12",
        "delivered_where_en": "KazMinerals head office, London",
        "delivered_to_en": "the company secretary",
        "delivery_note_en": "Twelve trade unionists handed over 312 signatures.",
        **extra,
    }
    return client.post(delivery(petition), data)


def test_recording_the_hand_over_closes_the_petition_and_the_page_shows_it(
    client, organiser_member, petition, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(organiser_member)
    form = client.get(delivery(petition))
    assert form.status_code == 200
    assert "Tell the signers who asked for updates" in form.content.decode()
    assert "3 signers who asked for updates" in form.content.decode()

    response = record(client, petition, delivery_photo=png())
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:petitions_petition_change", args=[petition.pk])
    petition.refresh_from_db()
    assert petition.status == Petition.Status.DELIVERED
    assert petition.delivered_on == datetime.date(2026, 6, 12)
    assert (petition.delivered_where, petition.delivered_to) == (
        "KazMinerals head office, London",
        "the company secretary",
    )
    assert petition.delivery_photo.name.startswith("petitions/")
    assert petition.signers_told_at is None  # not asked to
    assert mail.outbox == []

    page = Client().get(petition.get_absolute_url()).content.decode()
    assert "This petition has been delivered." in page
    assert "12 June 2026" in page and "KazMinerals head office, London" in page
    assert "Twelve trade unionists handed over 312 signatures." in page
    assert petition.delivery_photo.url in page
    assert "Sign the petition" not in page


def test_a_delivered_petition_takes_no_signatures(client, organiser_member, petition, sign_data):
    client.force_login(organiser_member)
    record(client, petition)
    response = Client().post(reverse("petitions:sign", args=[petition.slug]), sign_data(email="late@example.org"))
    assert response.status_code == 410
    assert not Signature.objects.named("Aigul Example").exists()


def test_the_date_is_required(client, organiser_member, petition):
    client.force_login(organiser_member)
    response = record(client, petition, delivered_on="")
    assert response.status_code == 400
    petition.refresh_from_db()
    assert petition.status == Petition.Status.OPEN


def test_signers_who_asked_for_updates_get_one_email_each_once(
    client, organiser_member, petition, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://solidarity.example.org"
    client.force_login(organiser_member)
    with django_capture_on_commit_callbacks(execute=True):
        response = record(client, petition, tell_signers="on")
    assert response.status_code == 302
    assert sorted(m.to[0] for m in mail.outbox) == ["also@example.org", "news@example.org", "paper@example.org"]
    for message in mail.outbox:
        assert len(message.to) == 1 and not message.cc and not message.bcc
        assert message.subject == "Delivered: Reinstate Berik Zhakiparov"
        assert "has been handed over" in message.body
        assert "12 June 2026, KazMinerals head office, London to the company secretary" in message.body
        assert "https://solidarity.example.org/petitions/withdraw/" in message.body
        assert "https://solidarity.example.org/petitions/stop-updates/" in message.body
        assert message.extra_headers["List-Unsubscribe"].startswith("<https://solidarity.example.org/petitions/stop-")
        assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        html = message.alternatives[0][0]
        assert "stop-updates" in html and "withdraw" in html
    petition.refresh_from_db()
    assert petition.signers_told_at is not None

    # A second press, or the form sent again: nobody is told twice.
    mail.outbox.clear()
    page = client.get(delivery(petition)).content.decode()
    assert "Tell the signers who asked for updates" not in page
    assert "were told on" in page
    with django_capture_on_commit_callbacks(execute=True):
        record(client, petition, tell_signers="on")
    assert services.tell_signers_of_delivery(petition) is None
    assert mail.outbox == []


def test_the_link_in_the_news_stops_the_emails_and_keeps_the_signature(
    client, organiser_member, petition, django_capture_on_commit_callbacks
):
    client.force_login(organiser_member)
    with django_capture_on_commit_callbacks(execute=True):
        record(client, petition, tell_signers="on")
    message = next(m for m in mail.outbox if m.to == ["news@example.org"])
    link = re.search(r"http://\S+/petitions/stop-updates/\S+/", message.body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get(f"/{path}")
    assert page.status_code == 200
    assert "Send me no more emails" in page.content.decode()
    signature = Signature.objects.named("Wants News").get()
    assert signature.email  # opening the link changes nothing

    # The mail program's one-click POST carries no CSRF token (RFC 8058).
    response = visitor.post(f"/{path}", "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert "You will get no more emails" in response.content.decode()
    signature.refresh_from_db()
    assert (signature.email, signature.wants_updates, signature.status) == ("", False, "confirmed")
    assert petition.confirmed_count() == 4


def test_a_signer_who_stopped_the_emails_is_not_sent_the_news(petition, django_capture_on_commit_callbacks):
    signature = Signature.objects.named("Wants News").get()
    services.stop_updates(signature)
    services.record_delivery(petition, datetime.date(2026, 6, 12))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.tell_signers_of_delivery(petition) == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["also@example.org", "paper@example.org"]


def test_the_news_is_spread_out_behind_the_confirmation_links(petition, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    services.record_delivery(petition, datetime.date(2026, 6, 12))
    assert tasks.announce_delivery.call(petition.pk) == 3
    queued = [r for r in task_backends["default"].results if r.task.name == "send_delivery_news"]
    assert len(queued) == 3
    gaps = {(b.task.run_after - a.task.run_after).total_seconds() for a, b in zip(queued, queued[1:], strict=False)}
    assert gaps == {60 / tasks.DELIVERY_NEWS_PER_MINUTE}
    assert all(r.task.priority < tasks.send_confirmation.priority for r in queued)
    assert mail.outbox == []  # nothing sent until the worker reaches each one


def test_an_editor_may_record_the_hand_over_but_not_mail_the_signers(
    client, editor, petition, django_capture_on_commit_callbacks
):
    client.force_login(editor)
    page = client.get(delivery(petition)).content.decode()
    assert "Tell the signers" not in page
    with django_capture_on_commit_callbacks(execute=True):
        response = record(client, petition, tell_signers="on")
    assert response.status_code == 302
    petition.refresh_from_db()
    assert petition.status == Petition.Status.DELIVERED
    assert petition.signers_told_at is None
    assert mail.outbox == []


def test_a_visitor_cannot_record_a_hand_over(client, petition):
    response = record(client, petition)
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]
    petition.refresh_from_db()
    assert petition.status == Petition.Status.OPEN


def test_after_the_hand_over_a_pending_signature_can_no_longer_be_confirmed(petition):
    pending = Signature.objects.named("Pending").get()
    services.record_delivery(petition, datetime.date(2026, 6, 12))
    with pytest.raises(services.PetitionClosed):
        services.confirm(pending)
    pending.refresh_from_db()
    assert pending.status == Signature.Status.PENDING
    assert petition.confirmed_count() == 4


def test_the_delivery_and_the_news_are_saved_together_or_not_at_all(petition, monkeypatch):
    def broken(petition):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(services, "tell_signers_of_delivery", broken)
    with pytest.raises(RuntimeError):
        services.deliver(petition, datetime.date(2026, 6, 12), where="London", tell_signers=True)
    petition = Petition.objects.get(pk=petition.pk)
    assert petition.status == Petition.Status.OPEN and petition.delivered_on is None


def test_delivering_tells_the_signers_only_when_asked(petition, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert services.deliver(petition, datetime.date(2026, 6, 12)) is None
    assert petition.status == Petition.Status.DELIVERED and mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        assert services.deliver(petition, datetime.date(2026, 6, 12), tell_signers=True) == 3
    assert len(mail.outbox) == 3
