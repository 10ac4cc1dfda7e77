"""A supporter tells the organisers that an address is wrong, or that their country has an
embassy the directory does not list, with the source they read. It waits in a queue in
the admin; nothing in the directory changes until an organiser accepts it and edits the
entry. The reporter's email, if given, is never shown publicly and goes once handled."""

import time

import pytest
from django.core import signing
from django.urls import reverse

from appeals.forms import STARTED_SALT
from appeals.models import DirectoryReport, Target

pytestmark = pytest.mark.django_db


@pytest.fixture
def london(make_embassy):
    return make_embassy("GB", name="Embassy in London", postal_address="125 Pall Mall\nLondon")


def started(seconds_ago=60):
    return signing.dumps(time.time() - seconds_ago, salt=STARTED_SALT)


def report(client, REMOTE_ADDR="127.0.0.1", **data):  # noqa: N803 - the WSGI name
    fields = {
        "kind": "wrong",
        "details": "The embassy moved to another street in 2025.",
        "source": "https://www.gov.kz/memleket/entities/mfa-london",
        "email": "",
        "website": "",
        "started": started(),
    }
    return client.post(reverse("appeals:report"), fields | data, REMOTE_ADDR=REMOTE_ADDR)


def test_the_directory_and_each_entry_invite_a_report(client, london):
    html = client.get(reverse("appeals:embassies")).content.decode()
    assert f'href="{reverse("appeals:report")}"' in html
    assert f"{reverse('appeals:report')}?target={london.pk}" in html


def test_a_country_with_no_entry_invites_a_report_of_a_missing_embassy(client, london):
    html = client.get(reverse("appeals:embassies"), {"country": "BE"}).content.decode()
    assert f"{reverse('appeals:report')}?kind=missing&amp;country=BE" in html


def test_the_report_page_works_without_javascript_and_prefills_the_entry(client, london):
    response = client.get(reverse("appeals:report"), {"target": london.pk})
    html = response.content.decode()
    assert response.status_code == 200
    assert '<form method="post"' in html and "<script" not in html.split("<form")[1].split("</form>")[0]
    assert f'<option value="{london.pk}" selected>' in html


def test_a_wrong_address_lands_in_the_queue_and_changes_nothing(client, london):
    response = report(client, target=london.pk, email="me@example.org")
    assert response.status_code == 302
    queued = DirectoryReport.objects.get()
    assert (queued.kind, queued.target, queued.status, queued.email) == ("wrong", london, "new", "me@example.org")
    london.refresh_from_db()
    assert london.postal_address == "125 Pall Mall\nLondon"


def test_a_missing_embassy_is_reported_with_its_country(client):
    response = report(client, kind="missing", country="BE", details="Avenue 1, Brussels")
    assert response.status_code == 302
    queued = DirectoryReport.objects.get()
    assert (queued.kind, queued.country.code, queued.target) == ("missing", "BE", None)
    assert not Target.objects.exists()


def test_a_report_without_a_source_is_refused_with_a_clear_message(client, london):
    response = report(client, target=london.pk, source="")
    assert response.status_code == 400
    assert "Please say where you read it" in response.content.decode()
    assert not DirectoryReport.objects.exists()


def test_a_wrong_address_report_must_name_the_entry(client, london):
    response = report(client, target="")
    assert response.status_code == 400
    assert "Please choose the entry that is wrong." in response.content.decode()


def test_the_honeypot_and_a_too_fast_form_are_thanked_but_not_queued(client, london):
    assert report(client, target=london.pk, website="http://spam.example").status_code == 302
    assert report(client, target=london.pk, started=started(seconds_ago=0)).status_code == 302
    assert not DirectoryReport.objects.exists()


def test_a_stale_or_forged_form_asks_to_send_it_again(client, london):
    response = report(client, target=london.pk, started="forged")
    assert response.status_code == 400
    assert "This form was open too long" in response.content.decode()


def test_one_network_address_cannot_flood_the_queue(client, london, settings):
    for _ in range(10):
        report(client, target=london.pk, REMOTE_ADDR="203.0.113.9")
    report(client, target=london.pk, REMOTE_ADDR="203.0.113.9")
    assert DirectoryReport.objects.count() == 10


def test_the_reporters_email_is_never_on_a_public_page(client, london):
    report(client, target=london.pk, email="secret-reporter@example.org")
    for url in (reverse("appeals:embassies"), reverse("appeals:report")):
        assert "secret-reporter" not in client.get(url).content.decode()


@pytest.mark.parametrize(
    "prefix, text", [("/ru", "Сообщите нам об адресе посольства"), ("/kk", "Елшілік мекенжайы туралы бізге хабарлаңыз")]
)
def test_the_report_page_speaks_russian_and_kazakh(client, london, prefix, text):
    assert text in client.get(f"{prefix}{reverse('appeals:report')}").content.decode()


# The organisers' queue -------------------------------------------------------------------


def test_organisers_see_the_queue_newest_first(organiser_client, client, london):
    report(client, target=london.pk, details="Moved in 2025.")
    html = organiser_client.get(reverse("admin:appeals_directoryreport_changelist")).content.decode()
    assert "Embassy in London" in html and "gov.kz" in html


def test_accepting_opens_the_entry_to_edit_and_erases_the_email(organiser_client, client, london):
    report(client, target=london.pk, email="me@example.org")
    queued = DirectoryReport.objects.get()
    url = reverse("admin:appeals_directoryreport_change", args=[queued.pk])
    assert "Accept and edit the entry" in organiser_client.get(url).content.decode()
    response = organiser_client.post(url, {"_accept": "1", "email": "me@example.org", "organiser_note": ""})
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:appeals_target_change", args=[london.pk])
    queued.refresh_from_db()
    assert (queued.status, queued.email) == ("accepted", "")
    assert queued.handled_on is not None


def test_accepting_a_missing_embassy_opens_a_new_entry_for_its_country(organiser_client, client):
    report(client, kind="missing", country="BE")
    queued = DirectoryReport.objects.get()
    response = organiser_client.post(
        reverse("admin:appeals_directoryreport_change", args=[queued.pk]), {"_accept": "1", "organiser_note": ""}
    )
    assert response["Location"] == reverse("admin:appeals_target_add") + "?kind=embassy&country=BE"


def test_the_bulk_actions_accept_or_reject_and_erase_the_emails(organiser_client, client, london):
    report(client, target=london.pk, email="a@example.org")
    report(client, target=london.pk, email="b@example.org")
    first, second = DirectoryReport.objects.order_by("id")
    url = reverse("admin:appeals_directoryreport_changelist")
    organiser_client.post(url, {"action": "reject", "_selected_action": [first.pk]})
    organiser_client.post(url, {"action": "accept", "_selected_action": [second.pk]})
    assert list(DirectoryReport.objects.order_by("id").values_list("status", "email")) == [
        ("rejected", ""),
        ("accepted", ""),
    ]


def test_an_editor_handles_reports_without_seeing_the_reporters_email(client, editor, london):
    from django.test import Client

    report(client, target=london.pk, email="secret-reporter@example.org")
    queued = DirectoryReport.objects.get()
    editor_client = Client()
    editor_client.force_login(editor)
    response = editor_client.get(reverse("admin:appeals_directoryreport_change", args=[queued.pk]))
    assert response.status_code == 200
    assert "secret-reporter" not in response.content.decode()
