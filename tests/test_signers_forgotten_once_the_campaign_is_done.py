"""A petition closed or delivered PERSONAL_DATA_RETENTION_DAYS ago has its signers'
personal details deleted by the daily purge: the counts by country, the hand-over record
and its digest stay, and a signer who asked for updates keeps only their encrypted address
until they stop."""

import datetime
import io
import itertools

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from petitions import services
from petitions.models import Petition, Signature

pytestmark = pytest.mark.django_db
_numbers = itertools.count()


def signed(petition, name, confirm=True, **fields):
    number = next(_numbers)
    email = fields.pop("email", f"forgotten{number}@example.org")
    signature = Signature.objects.create(
        petition=petition,
        name=name,
        email=email,
        email_hash=services.email_fingerprint(email),
        country=fields.pop("country", "KZ"),
        town="Zhanaozen",
        organisation="Oil workers",
        comment="Free them",
        public=True,
        nonce=f"f{number}",
        **fields,
    )
    if confirm:
        services.confirm(signature)
    return signature


def purge(**options):
    out = io.StringIO()
    call_command("purge_signatures", stdout=out, **options)
    return out.getvalue()


def test_closing_a_petition_starts_the_count_and_reopening_it_stops_it(make_petition):
    petition = make_petition()
    assert petition.finished_on is None and petition.forget_signers_on() is None
    petition.status = Petition.Status.CLOSED
    petition.save()
    assert petition.finished_on == timezone.localdate()
    assert petition.forget_signers_on() == timezone.localdate() + datetime.timedelta(days=90)
    petition.status = Petition.Status.OPEN
    petition.save()
    assert petition.finished_on is None


def test_the_purge_forgets_a_petition_finished_long_enough_ago_and_keeps_the_rest(make_petition, settings):
    settings.PERSONAL_DATA_RETENTION_DAYS = 90
    petition = make_petition(title="Delivered long ago")
    named = signed(petition, "Named Signer")
    news = signed(petition, "Wants News", wants_updates=True, email="news@example.org")
    waiting = signed(petition, "Never Confirmed", confirm=False)
    services.record_delivery(petition, datetime.date(2026, 1, 10), where="Embassy of Kazakhstan, London")
    digest = Petition.objects.get(pk=petition.pk).handover_digest
    recent = make_petition(title="Delivered last week")
    kept = signed(recent, "Still Kept")
    services.record_delivery(recent, timezone.localdate())
    open_one = signed(make_petition(), "Open Petition Signer")

    Petition.objects.filter(pk=petition.pk).update(finished_on=timezone.localdate() - datetime.timedelta(days=90))
    assert "of 1 petition(s)" in purge()

    petition.refresh_from_db()
    assert petition.signers_forgotten_on == timezone.localdate()
    assert petition.confirmed_count() == 2 and petition.count_by_country() == {"KZ": 2}
    assert petition.handover_digest == digest and petition.delivered_where == "Embassy of Kazakhstan, London"
    assert not Signature.objects.filter(pk=waiting.pk).exists()
    for signature in Signature.objects.filter(petition=petition):
        assert (signature.name, signature.town, signature.organisation, signature.comment) == ("", "", "", "")
        assert not signature.public and signature.name_hash == ""
        assert signature.handover_hash  # their row's hash stays: it proves nothing about who
    named.refresh_from_db()
    assert named.email == "" and named.email_hash is None
    news.refresh_from_db()
    assert news.email == "news@example.org" and news.email_hash  # until they stop
    services.stop_updates(news)
    news.refresh_from_db()
    assert news.email == "" and news.email_hash is None
    for other in (kept, open_one):
        other.refresh_from_db()
        assert other.name and other.town == "Zhanaozen"
    # The public page still shows the counts and the digest, and names nobody.
    page = Client().get(petition.get_absolute_url()).content.decode()
    assert digest in page and "Named Signer" not in page


def test_the_purge_runs_once_per_petition(make_petition):
    petition = make_petition()
    signed(petition, "Once")
    petition.status = Petition.Status.CLOSED
    petition.save()
    Petition.objects.filter(pk=petition.pk).update(finished_on=timezone.localdate() - datetime.timedelta(days=200))
    assert "of 1 petition(s)" in purge()
    assert "of 0 petition(s)" in purge()


def test_the_petitions_admin_page_says_when_its_signers_will_be_forgotten(client, organiser_member, make_petition):
    petition = make_petition()
    client.force_login(organiser_member)
    url = reverse("admin:petitions_petition_change", args=[petition.pk])
    assert "Kept while the petition is open" in client.get(url).content.decode()
    petition.status = Petition.Status.CLOSED
    petition.save()
    when = timezone.localdate() + datetime.timedelta(days=90)
    page = client.get(url).content.decode()
    assert "The daily purge deletes its signers" in page and str(when.year) in page
    Petition.objects.filter(pk=petition.pk).update(signers_forgotten_on=timezone.localdate())
    assert "Deleted on" in client.get(url).content.decode()
