import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from petitions import services
from petitions.models import Signature
from petitions.tokens import make_token

pytestmark = pytest.mark.django_db


def link(message, name):
    """The path of the confirm or withdraw link in a signature email."""
    match = re.search(rf"https?://[^/\s]+(/petitions/{name}/[^\s\"<]+)", message.body)
    assert match, message.body
    return match.group(1)


def test_a_petition_page_shows_the_text_the_count_and_a_form_with_a_privacy_notice(client, make_petition):
    petition = make_petition(goal=500, deadline=timezone.localdate() + datetime.timedelta(days=30))
    page = client.get(petition.get_absolute_url()).content.decode()
    assert petition.text in page and "KazMinerals plc, London" in page
    assert "0 signatures" in page and 'max="500"' in page
    assert 'name="email"' in page and 'name="public"' in page and 'name="wants_updates"' in page
    assert "What we keep, who sees it, for how long" in page
    # Both boxes start unticked: listing and updates are opt-in.
    assert not re.search(r'name="(public|wants_updates)"[^>]*checked', page)


def test_each_bad_field_gets_its_own_message_and_nothing_typed_is_lost(client, make_petition, sign_data, sign):
    petition = make_petition()
    response = sign(petition, sign_data(name="", email="not-an-address", country="XX", town="Almaty"))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors == {
        "name": ["Please give your name."],
        "email": ["This does not look like an email address. Please check it for typing mistakes."],
        "country": ["Please choose your country from the list."],
    }
    page = response.content.decode()
    assert 'value="not-an-address"' in page and 'value="Almaty"' in page
    assert Signature.objects.count() == 0


def test_signing_sends_a_confirmation_email_and_counts_nothing_yet(client, make_petition, sign_data, sign):
    petition = make_petition(title="Reinstate Erlan Tabinov")
    response = sign(petition, sign_data())
    assert response.status_code == 302
    assert response["Location"] == reverse("petitions:check_email", args=[petition.slug])
    assert "Check your email" in client.get(response["Location"]).content.decode()
    signature = Signature.objects.get()
    assert signature.status == Signature.Status.PENDING and signature.email == "aigul@example.org"
    assert petition.confirmed_count() == 0
    [message] = mail.outbox
    assert message.to == ["aigul@example.org"] and "Reinstate Erlan Tabinov" in message.subject
    html = message.alternatives[0][0]
    assert "/petitions/confirm/" in message.body and "/petitions/confirm/" in html
    assert "/petitions/withdraw/" in message.body and "/petitions/withdraw/" in html


def test_opening_the_link_does_not_confirm_only_the_button_does(client, make_petition, sign_data, sign):
    petition = make_petition()
    sign(petition, sign_data())
    confirm_path = link(mail.outbox[0], "confirm")
    page = client.get(confirm_path)  # what a mail scanner does
    assert page.status_code == 200 and "Confirm my signature" in page.content.decode()
    assert Signature.objects.get().status == Signature.Status.PENDING
    response = client.post(confirm_path)
    assert response.status_code == 302
    signature = Signature.objects.get()
    assert signature.status == Signature.Status.CONFIRMED and signature.confirmed_at
    assert petition.confirmed_count() == 1
    assert "1 signature" in client.get(petition.get_absolute_url()).content.decode()


def test_confirming_forgets_the_address_unless_the_signer_wants_updates(client, make_petition, sign_data, sign):
    petition = make_petition()
    sign(petition, sign_data(email="quiet@example.org"))
    sign(petition, sign_data(email="keen@example.org", wants_updates="on"))
    for message in mail.outbox:
        client.post(link(message, "confirm"))
    emails = dict(Signature.objects.values_list("name", "email"))
    kept = sorted(Signature.objects.values_list("email", flat=True))
    assert kept == ["", "keen@example.org"], emails
    assert all(Signature.objects.values_list("email_hash", flat=True))


def test_confirming_twice_counts_once_and_says_so(client, make_petition, sign_data, sign):
    petition = make_petition()
    sign(petition, sign_data())
    confirm_path = link(mail.outbox[0], "confirm")
    client.post(confirm_path)
    again = client.post(confirm_path, follow=True)
    assert again.status_code == 200 and "already confirmed" in again.content.decode()
    assert petition.confirmed_count() == 1
    assert "already confirmed" in client.get(confirm_path).content.decode()


def test_an_expired_or_damaged_link_explains_itself(client, make_petition, sign_data, settings, sign):
    petition = make_petition()
    sign(petition, sign_data())
    confirm_path = link(mail.outbox[0], "confirm")
    damaged = client.post(confirm_path[:-6] + "/")
    assert damaged.status_code == 400 and "does not work" in damaged.content.decode()
    settings.CONFIRM_LINK_DAYS = 0
    expired = client.post(confirm_path)
    assert expired.status_code == 410 and "expired" in expired.content.decode()
    assert Signature.objects.get().status == Signature.Status.PENDING


def test_a_confirm_link_cannot_be_used_to_withdraw(client, make_petition, sign_data, sign):
    petition = make_petition()
    sign(petition, sign_data())
    token = link(mail.outbox[0], "confirm").split("/")[3]
    assert client.post(reverse("petitions:withdraw", args=[token])).status_code == 400
    assert Signature.objects.count() == 1


def test_withdrawing_deletes_the_signature_and_its_count(client, make_petition, sign_data, sign):
    petition = make_petition()
    sign(petition, sign_data())
    client.post(link(mail.outbox[0], "confirm"))
    withdraw_path = link(mail.outbox[0], "withdraw")
    assert "Withdraw and delete my signature" in client.get(withdraw_path).content.decode()
    assert Signature.objects.count() == 1  # opening the link is not withdrawing
    response = client.post(withdraw_path)
    assert response.status_code == 200 and "withdrawn" in response.content.decode()
    assert Signature.objects.count() == 0 and petition.confirmed_count() == 0
    # A second press finds nothing and says the same.
    assert client.post(withdraw_path).status_code == 200


@pytest.mark.parametrize("how", ["closed", "deadline passed", "delivered"])
def test_a_petition_that_no_longer_takes_signatures_says_so_and_saves_nothing(
    client, make_petition, sign_data, how, sign
):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    fields = {
        "closed": {"status": "closed"},
        "deadline passed": {"deadline": yesterday},
        "delivered": {"status": "delivered", "delivered_on": yesterday, "delivered_where": "Cardinal Place, London"},
    }[how]
    petition = make_petition(**fields)
    page = client.get(petition.get_absolute_url()).content.decode()
    assert 'name="email"' not in page
    if how == "delivered":
        assert "This petition has been delivered" in page and "Cardinal Place, London" in page
    else:
        assert "closed" in page
    response = sign(petition, sign_data())
    assert response.status_code == 410
    assert Signature.objects.count() == 0 and not mail.outbox


def test_a_pending_signature_cannot_be_confirmed_once_the_petition_closed(client, make_petition, sign_data, sign):
    petition = make_petition()
    sign(petition, sign_data())
    petition.status = "closed"
    petition.save()
    assert client.get(link(mail.outbox[0], "confirm")).status_code == 410
    assert client.post(link(mail.outbox[0], "confirm")).status_code == 410
    assert petition.confirmed_count() == 0


def test_drafts_take_no_signatures(client, make_petition, sign_data, sign):
    petition = make_petition(status="draft")
    assert client.get(petition.get_absolute_url()).status_code == 404
    assert sign(petition, sign_data()).status_code == 404


def test_a_link_to_a_signature_that_is_gone_says_so(client, make_petition):
    petition = make_petition()
    signature = Signature.objects.create(petition=petition, name="x", email="x@example.org", email_hash="h")
    token = make_token(signature, "confirm")
    signature.delete()
    response = client.get(reverse("petitions:confirm", args=[token]))
    assert response.status_code == 404 and "no longer exists" in response.content.decode()


def test_the_page_takes_no_post_and_the_forms_address_opened_by_get_leads_to_the_page(client, make_petition):
    petition = make_petition()
    assert client.post(petition.get_absolute_url()).status_code == 405
    response = client.get(reverse("petitions:sign", args=[petition.slug]))
    assert response.status_code == 302 and response["Location"] == petition.get_absolute_url()


@pytest.mark.parametrize("how", ["closed", "deadline passed", "delivered"])
def test_the_services_themselves_refuse_a_petition_that_no_longer_takes_signatures(make_petition, how):
    # Whatever calls them (a view, the admin, a command), not only the signing pages.
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    fields = {"closed": {"status": "closed"}, "deadline passed": {"deadline": yesterday}, "delivered": {}}[how]
    petition = make_petition(**fields)
    pending = Signature.objects.create(petition=petition, name="Early", email="early@example.org", email_hash="e")
    if how == "delivered":
        services.record_delivery(petition, yesterday)
    data = {"name": "Aigul Example", "email": "aigul@example.org", "country": "GB"}

    with pytest.raises(services.PetitionClosed) as refused:
        services.sign(petition, data)
    assert refused.value.petition == petition
    with pytest.raises(services.PetitionClosed):
        services.confirm(pending)

    pending.refresh_from_db()
    assert pending.status == Signature.Status.PENDING and pending.email == "early@example.org"
    assert list(Signature.objects.values_list("name", flat=True)) == ["Early"]
    assert petition.confirmed_count() == 0 and not mail.outbox
