"""Every case page offers "Email me when there is news about <name>": an address, confirmed
by a POST from the mailed link, in the page's language, with the signing form's limits and
traps, never saying whether an address is subscribed. When an Organiser adds a timeline event
that matters, the admin offers to alert the subscribers, who get the event with its source
and the open appeals and petitions, one email a day at most."""

import datetime
import re

import pytest
from django.core import mail, signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from news import services
from news.models import CaseAlert, Subscriber
from petitions import services as signing_services
from petitions.forms import STARTED_SALT
from prisoners.models import CaseEvent, Source

pytestmark = pytest.mark.django_db

SITE = "https://solidarity.example"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def prisoner(make_prisoner):
    return make_prisoner(name="Roza Tuletaeva", name_ru="Роза Тулетаева", name_kk="Роза Тулетаева", slug="roza")


def form(**fields):
    values = {"email": "friend@example.org", "started": signing.dumps(0, salt=STARTED_SALT)}
    values.update(fields)
    return values


def ask(client, prisoner, language="", django_capture_on_commit_callbacks=None, **fields):
    with translation.override("en"):
        url = reverse("news:subscribe", args=[prisoner.slug])
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(f"{language}{url}", form(**fields))


def link_in(message, name):
    return re.search(rf"{SITE}(/\S*/news/{name}/\S+/|/news/{name}/\S+/)", message.body).group(1)


def subscribed(prisoner, email="sub@example.org", language=""):
    return Subscriber.objects.create(
        prisoner=prisoner,
        email=email,
        email_hash=signing_services.email_fingerprint(email),
        language=language,
        confirmed_at=timezone.now() - datetime.timedelta(days=3),
    )


# --- the form on every case page ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("", "Email me when there is news about Roza Tuletaeva"),
        ("/ru", "Сообщать мне новости о деле: Роза Тулетаева"),
        ("/kk", "Роза Тулетаева туралы жаңалық болғанда маған хабарлаңыз"),
    ],
)
def test_every_case_page_offers_alerts_in_its_language(client, prisoner, language, words):
    with translation.override("en"):
        url = prisoner.get_absolute_url()
    html = client.get(f"{language}{url}").content.decode()
    assert words in html
    assert 'name="email"' in html and 'name="website"' in html and 'name="started"' in html
    assert 'action="' + language + "/news/alerts/roza/" in html


def test_asking_mails_a_link_in_the_pages_language_that_confirms_only_by_a_post(
    client, prisoner, django_capture_on_commit_callbacks
):
    response = ask(client, prisoner, "/ru", django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert response["Location"] == "/ru/news/alerts/roza/check-your-email/"
    assert "Роза Тулетаева" in client.get(response["Location"]).content.decode()
    subscriber = Subscriber.objects.get()
    assert subscriber.confirmed_at is None and subscriber.language == "ru"
    assert subscriber.email_hash == signing_services.email_fingerprint("friend@example.org")
    (message,) = mail.outbox
    assert message.to == ["friend@example.org"]
    assert message.subject == "Пожалуйста, подтвердите: новости о деле Роза Тулетаева"
    confirm = link_in(message, "confirm")
    assert confirm.startswith("/ru/")

    page = client.get(confirm)
    assert page.status_code == 200 and 'method="post"' in page.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.confirmed_at is None  # a mail scanner opening the link confirms nothing
    done = client.post(confirm)
    assert done.status_code == 302
    subscriber.refresh_from_db()
    assert subscriber.confirmed_at is not None


def test_asking_again_never_says_whether_an_address_is_subscribed(client, prisoner, django_capture_on_commit_callbacks):
    subscribed(prisoner, "known@example.org")
    known = ask(client, prisoner, "", django_capture_on_commit_callbacks, email="known@example.org")
    new = ask(client, prisoner, "", django_capture_on_commit_callbacks, email="new@example.org")
    assert (known.status_code, known["Location"]) == (new.status_code, new["Location"])
    assert Subscriber.objects.filter(prisoner=prisoner).count() == 2
    sent = {message.to[0]: message for message in mail.outbox}
    # Only the mailbox's owner learns that it was subscribed already.
    assert "already" in sent["known@example.org"].subject.lower()
    assert "confirm" in sent["new@example.org"].subject.lower()
    # Asked again at once: nothing more is mailed (at most one mail every few minutes).
    ask(client, prisoner, "", django_capture_on_commit_callbacks, email="New@Example.org")
    assert len(mail.outbox) == 2
    assert Subscriber.objects.filter(prisoner=prisoner).count() == 2


def test_software_filling_the_trap_or_too_fast_subscribes_nobody(
    client, prisoner, django_capture_on_commit_callbacks, settings
):
    trapped = ask(client, prisoner, "", django_capture_on_commit_callbacks, website="http://spam.example")
    fast = ask(
        client,
        prisoner,
        "",
        django_capture_on_commit_callbacks,
        email="fast@example.org",
        started=signing.dumps(__import__("time").time(), salt=STARTED_SALT),
    )
    assert trapped.status_code == fast.status_code == 302
    assert not Subscriber.objects.exists() and not mail.outbox


def test_a_bad_address_gets_a_clear_message_and_a_4xx(client, prisoner, django_capture_on_commit_callbacks):
    response = ask(client, prisoner, "/kk", django_capture_on_commit_callbacks, email="not an address")
    assert response.status_code == 400
    assert "электрондық" in response.content.decode().lower()
    assert not Subscriber.objects.exists()
    assert client.post("/news/alerts/nobody/", form()).status_code == 404
    assert client.get("/news/alerts/roza/").status_code == 302  # a GET goes back to the case


def test_asking_is_rate_limited_like_signing(client, prisoner, django_capture_on_commit_callbacks, settings):
    from django.core.cache import cache

    cache.clear()
    settings.SIGN_RATE_LIMIT = 2
    for n in range(2):
        assert (
            ask(client, prisoner, "", django_capture_on_commit_callbacks, email=f"a{n}@example.org").status_code == 302
        )
    refused = ask(client, prisoner, "", django_capture_on_commit_callbacks, email="a9@example.org")
    assert refused.status_code == 429
    assert not Subscriber.objects.filter(email_hash=signing_services.email_fingerprint("a9@example.org")).exists()


def test_a_broken_or_forged_link_is_a_4xx(client):
    assert client.get("/news/confirm/garbage/").status_code == 400
    assert client.post("/news/stop/garbage/").status_code == 400
    forged = signing.dumps([1, "x\x00", "confirm"], salt="news.subscriber")
    assert client.get(f"/news/confirm/{forged}/").status_code == 400


# --- stopping ---------------------------------------------------------------------------------------


def test_stopping_in_one_click_deletes_the_subscriber_address_and_all(prisoner):
    subscriber = subscribed(prisoner, language="ru")
    from news.tokens import make_token

    url = f"/ru/news/stop/{make_token(subscriber, 'unsubscribe')}/"
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(url)
    assert page.status_code == 200 and 'method="post"' in page.content.decode()
    assert Subscriber.objects.filter(pk=subscriber.pk).exists()
    response = browser.post(url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert not Subscriber.objects.filter(pk=subscriber.pk).exists()
    assert browser.post(url).status_code == 200  # pressed twice: still fine


def test_a_subscriber_never_confirmed_is_purged_like_a_signer(prisoner, settings):
    waiting = Subscriber.objects.create(
        prisoner=prisoner,
        email="w@example.org",
        email_hash="w",
        created_at=timezone.now() - datetime.timedelta(days=20),
    )
    kept = subscribed(prisoner)
    assert services.purge_unconfirmed_subscribers(14) == 1
    assert not Subscriber.objects.filter(pk=waiting.pk).exists()
    assert Subscriber.objects.filter(pk=kept.pk).exists()


# --- the admin offers, the subscribers get a digest ---------------------------------------------------


def add_event(client, prisoner, kind="trial", text="The appeal court heard the case."):
    return client.post(
        reverse("admin:prisoners_caseevent_add"),
        {
            "prisoner": prisoner.pk,
            "date": "2026-12-01",
            "precision": "day",
            "kind": kind,
            "text_en": text,
            "text_ru": "",
            "text_kk": "",
            "source_url": "https://example.org/report",
        },
        follow=True,
    )


def test_adding_an_event_that_matters_offers_to_alert_the_subscribers(client, organiser_member, prisoner):
    client.force_login(organiser_member)
    response = add_event(client, prisoner, kind="transfer")
    event = CaseEvent.objects.get()
    assert reverse("admin:news_casealert_queue", args=[event.pk]) in response.content.decode()
    statement = add_event(client, prisoner, kind="statement", text="A statement.")
    later = CaseEvent.objects.get(kind="statement")
    assert reverse("admin:news_casealert_queue", args=[later.pk]) not in statement.content.decode()


def test_editors_get_no_offer_and_cannot_alert(client, editor, prisoner):
    client.force_login(editor)
    response = add_event(client, prisoner)
    event = CaseEvent.objects.get()
    assert reverse("admin:news_casealert_queue", args=[event.pk]) not in response.content.decode()
    assert client.post(reverse("admin:news_casealert_queue", args=[event.pk])).status_code == 403
    assert not CaseAlert.objects.exists()


def test_the_alert_gives_the_event_its_source_and_the_action_to_take_now(
    client, organiser_member, prisoner, make_appeal, make_petition, django_capture_on_commit_callbacks
):
    appeal = make_appeal(title="Free Roza Tuletaeva", title_ru="Свободу Розе Тулетаевой")
    appeal.prisoners.add(prisoner)
    closed = make_appeal(title="An old appeal", status="closed")
    closed.prisoners.add(prisoner)
    petition = make_petition(title="Release the Zhanaozen prisoners")
    petition.prisoners.add(prisoner)
    subscribed(prisoner, "en@example.org")
    subscribed(prisoner, "ru@example.org", language="ru")
    source = Source.objects.create(title="Amnesty International urgent action", url="https://example.org/ua")
    event = CaseEvent.objects.create(
        prisoner=prisoner,
        date=datetime.date(2026, 12, 1),
        kind="hunger_strike",
        text_en="She began a hunger strike.",
        text_ru="Она объявила голодовку.",
        source=source,
    )
    client.force_login(organiser_member)
    page = client.get(reverse("admin:news_casealert_queue", args=[event.pk]))
    assert page.status_code == 200 and "2 people asked for news of this case" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:news_casealert_queue", args=[event.pk]))
    assert response.status_code == 302
    sent = {message.to[0]: message for message in mail.outbox}
    assert set(sent) == {"en@example.org", "ru@example.org"}
    english = sent["en@example.org"]
    assert "Roza Tuletaeva" in english.subject
    assert "She began a hunger strike." in english.body
    assert "Amnesty International urgent action" in english.body and "https://example.org/ua" in english.body
    assert "Free Roza Tuletaeva" in english.body and "Release the Zhanaozen prisoners" in english.body
    assert "An old appeal" not in english.body
    assert english.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert english.extra_headers["List-Unsubscribe"].startswith(f"<{SITE}/news/stop/")
    assert "<img" not in english.alternatives[0][0]
    russian = sent["ru@example.org"]
    assert russian.subject == "Новости о деле: Роза Тулетаева"
    assert "Что можно сделать сейчас:" in russian.body
    assert "Она объявила голодовку." in russian.body and "Свободу Розе Тулетаевой" in russian.body
    assert "/ru/appeals/" in russian.body
    # Pressed again: nobody is alerted twice.
    client.post(reverse("admin:news_casealert_queue", args=[event.pk]))
    assert len(mail.outbox) == 2 and CaseAlert.objects.count() == 1


def test_one_email_a_day_at_most_whatever_the_number_of_events(prisoner, organiser, django_capture_on_commit_callbacks):
    subscribed(prisoner)
    events = [
        CaseEvent.objects.create(prisoner=prisoner, date=datetime.date(2026, 12, day), kind=kind, text_en=text)
        for day, kind, text in [
            (1, "trial", "The trial opened."),
            (2, "sentence", "Five years."),
            (3, "transfer", "Moved."),
        ]
    ]
    with django_capture_on_commit_callbacks(execute=True):
        services.queue_alert(events[0], organiser)
    assert len(mail.outbox) == 1 and "The trial opened." in mail.outbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        services.queue_alert(events[1], organiser)
        services.queue_alert(events[2], organiser)
    assert len(mail.outbox) == 1  # the day is not over: the two wait
    # What the email worker does every minute: nothing before the day is over...
    with django_capture_on_commit_callbacks(execute=True):
        assert services.queue_due_digests(now=timezone.now() + datetime.timedelta(hours=23)) == 0
    # ...then one digest with both.
    with django_capture_on_commit_callbacks(execute=True):
        assert services.queue_due_digests(now=timezone.now() + datetime.timedelta(days=1, minutes=1)) == 1
    assert len(mail.outbox) == 2
    digest = mail.outbox[1].body
    assert "Five years." in digest and "Moved." in digest and "The trial opened." not in digest


def test_a_new_subscriber_gets_no_alert_queued_before_they_confirmed(prisoner, organiser):
    event = CaseEvent.objects.create(prisoner=prisoner, date=datetime.date(2026, 12, 1), kind="trial", text_en="x")
    services.queue_alert(event, organiser, now=timezone.now() - datetime.timedelta(days=5))
    subscribed(prisoner)  # confirmed three days ago
    assert services.queue_due_digests() == 0


def test_the_worker_queues_the_digests_that_waited(prisoner, organiser, monkeypatch):
    from petitions.management.commands import email_worker

    calls = []
    monkeypatch.setattr(email_worker, "queue_due_digests", lambda: calls.append(1) or 0)
    monkeypatch.setattr(email_worker, "DIGEST_SECONDS", 0)

    class Stop:
        def __init__(self):
            self.n = 0

        def wait(self, seconds):
            self.n += 1
            return self.n > 2

    email_worker._queue_due_digests(Stop())
    assert len(calls) == 2


def test_no_subscriber_address_on_the_case_page_or_feed(client, prisoner):
    subscribed(prisoner, "secret-subscriber@example.org")
    with translation.override("en"):
        urls = [prisoner.get_absolute_url(), reverse("prisoners:prisoner_feed", args=[prisoner.slug])]
    for language in ("", "/ru", "/kk"):
        for url in urls:
            assert "secret-subscriber" not in client.get(f"{language}{url}").content.decode()


def test_the_organisers_lists_show_subscribers_by_fingerprint_and_alerts(client, organiser_member, prisoner):
    subscriber = subscribed(prisoner, "findme@example.org")
    event = CaseEvent.objects.create(prisoner=prisoner, date=datetime.date(2026, 12, 1), kind="trial", text_en="x")
    services.queue_alert(event, organiser_member)
    client.force_login(organiser_member)
    for name in ("news_subscriber_changelist", "news_casealert_changelist", "news_update_changelist"):
        assert client.get(reverse(f"admin:{name}")).status_code == 200
    found = client.get(reverse("admin:news_subscriber_changelist") + "?q=FindMe@Example.org").content.decode()
    assert f"subscriber #{subscriber.pk}" in found
    assert "findme@example.org" not in found
    assert reverse("admin:news_subscriber_add") not in found


def test_editors_see_no_subscriber(client, editor, prisoner):
    subscribed(prisoner)
    client.force_login(editor)
    assert client.get(reverse("admin:news_subscriber_changelist")).status_code == 403
