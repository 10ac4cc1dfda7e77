""" "Forget me everywhere": a public form takes an address and mails it a link; the link's
page has a button (a POST) that deletes every signature and update request made with the
address, on every petition, and says how many. Nothing before the click tells anyone
whether the address is known."""

import re

import pytest
from django.core import mail, signing
from django.core.cache import cache
from django.urls import reverse

from lib import crypto
from petitions import services, tasks
from petitions.forms import STARTED_SALT
from petitions.models import Signature
from petitions.tokens import make_forget_token

pytestmark = pytest.mark.django_db
FORGET = reverse("petitions:forget")


def form(**fields):
    return {"email": "aigul@example.org", "started": signing.dumps(0, salt=STARTED_SALT), **fields}


def ask(client, django_capture_on_commit_callbacks, **fields):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(FORGET, form(**fields))


def the_link(message):
    match = re.search(r"https?://[^/\s]+(/petitions/forget-me/[^\s\"<]+)", message.body)
    assert match, message.body
    return match.group(1)


def test_the_form_answers_the_same_for_a_known_and_an_unknown_address(
    client, make_petition, sign, sign_data, django_capture_on_commit_callbacks
):
    petition = make_petition()
    sign(petition, sign_data(email="known@example.org"))
    mail.outbox.clear()
    page = client.get(FORGET)
    assert page.status_code == 200 and 'name="email"' in page.content.decode()
    known = ask(client, django_capture_on_commit_callbacks, email="known@example.org")
    unknown = ask(client, django_capture_on_commit_callbacks, email="stranger@example.org")
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("petitions:forget_sent")
    # Each address gets its link, known or not: the mail says nothing about what is kept.
    assert [m.to for m in mail.outbox] == [["known@example.org"], ["stranger@example.org"]]
    assert "known@example.org" not in the_link(mail.outbox[0])


def test_the_request_is_one_task_for_the_worker_whatever_the_address(client, settings, make_petition):
    settings.TASKS_BACKEND = "database"
    queued = []
    original = services._schedule
    services._schedule = lambda task, *args: queued.append((task, args))
    try:
        client.post(FORGET, form(email="someone@example.org"))
    finally:
        services._schedule = original
    [(task, (sealed, _language))] = queued
    assert task is tasks.send_forget_link
    assert "someone" not in sealed and crypto.decrypt(sealed) == "someone@example.org"


def test_the_link_deletes_every_signature_and_update_request_under_the_address_and_says_how_many(
    client, make_petition, sign, sign_data, django_capture_on_commit_callbacks
):
    first, second, other = make_petition(), make_petition(), make_petition()
    sign(first, sign_data(email="Aigul@Example.org", wants_updates="on"))
    sign(second, sign_data(email="aigul+petitions@example.org"))  # the same mailbox
    sign(other, sign_data(email="someone.else@example.org"))
    for signature in Signature.objects.all():
        services.confirm(signature)
    assert first.confirmed_count() == 1
    mail.outbox.clear()
    ask(client, django_capture_on_commit_callbacks, email="aigul@example.org")
    link = the_link(mail.outbox[0])
    # Opening the link (a mail scanner does) deletes nothing.
    page = client.get(link)
    assert page.status_code == 200 and '<form method="post"' in page.content.decode()
    assert Signature.objects.count() == 3
    done = client.post(link).content.decode()
    assert "2 signatures" in done and "1 request for updates" in done
    assert list(Signature.objects.values_list("petition", flat=True)) == [other.pk]
    assert first.confirmed_count() == 0 and second.confirmed_count() == 0
    again = client.post(link).content.decode()
    assert "there was nothing to delete" in again


def test_other_apps_extend_what_is_forgotten(client, monkeypatch):
    seen = []

    def forget_alerts(address):
        seen.append(address)
        return [(1, "1 case alert subscription")]

    monkeypatch.setattr(services, "FORGETTERS", [*services.FORGETTERS, forget_alerts])
    done = client.post(reverse("petitions:forget_confirm", args=[make_forget_token("a@example.org")]))
    assert "1 case alert subscription" in done.content.decode()
    assert seen == ["a@example.org"]


# The signed token is made in the test, not when tests are collected: its timestamp would
# differ between the parallel workers' collections, which pytest-xdist refuses.
@pytest.mark.parametrize(
    "make_token",
    [lambda: "nonsense", lambda: "a" * 500, lambda: signing.dumps([1, 2], salt="petitions.forget-everywhere")],
    ids=["nonsense", "too-long", "signed-but-not-an-address"],
)
def test_a_bad_link_is_a_clear_4xx(client, make_token):
    token = make_token()
    response = client.post(reverse("petitions:forget_confirm", args=[token]))
    assert response.status_code == 400


def test_an_expired_link_says_so(client, settings):
    token = make_forget_token("a@example.org")
    settings.CONFIRM_LINK_DAYS = -1
    assert client.get(reverse("petitions:forget_confirm", args=[token])).status_code == 410


def test_bad_input_the_honeypot_and_the_rate_limit(client, settings, django_capture_on_commit_callbacks, make_petition):
    assert client.post(FORGET, form(email="not an address")).status_code == 400
    assert client.post(FORGET, {"email": "\x00" * 300}).status_code == 400
    trapped = ask(client, django_capture_on_commit_callbacks, website="http://spam.example")
    assert trapped.status_code == 302 and mail.outbox == []
    too_fast = ask(client, django_capture_on_commit_callbacks, started=signing.dumps(9e12, salt=STARTED_SALT))
    assert too_fast.status_code == 302 and mail.outbox == []
    stale = client.post(FORGET, form(started="0:forged"))
    assert stale.status_code == 400 and "open too long" in stale.content.decode()
    settings.FORGET_RATE_LIMIT = 1
    cache.clear()  # no counter left from the requests above
    assert ask(client, django_capture_on_commit_callbacks).status_code == 302
    limited = ask(client, django_capture_on_commit_callbacks)
    assert limited.status_code == 429 and "try again in an hour" in limited.content.decode()


def test_the_form_needs_its_csrf_token(db):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post(FORGET, form()).status_code == 403
