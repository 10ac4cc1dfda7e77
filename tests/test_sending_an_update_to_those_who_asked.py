"""An Organiser writes an update for a petition, an appeal or a case in three languages,
previews it, sends a test to themselves, then sends it: to every confirmed signer who asked
for updates (online and on paper), each in their language, through the email worker, behind
the confirmation links; with the reason, a one-click way to stop (RFC 8058) and no
tracking; at most once a week without a reason; recorded; and published on the page and in
its feed."""

import datetime
import re
import xml.etree.ElementTree as ET

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from news import mail as news_mail
from news import services, tasks
from news.models import Subscriber, Update, UpdateSend
from petitions import services as signing
from petitions import tasks as petition_tasks
from petitions.models import PaperBatch, Signature

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITE = "https://solidarity.example"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE
    settings.UPDATE_EMAILS_PER_MINUTE = 60


def signed(petition, name, email, wants_updates=True, language="", confirm=True):
    signature = Signature.objects.create(
        petition=petition,
        name=name,
        email=email,
        email_hash=signing.email_fingerprint(email),
        wants_updates=wants_updates,
        language=language,
    )
    if confirm:
        signing.confirm(signature)
    return signature


@pytest.fixture
def petition(make_petition):
    petition = make_petition(title="Reinstate Berik Zhakiparov", title_ru="Восстановить Берика Жакипарова")
    signed(petition, "English Signer", "en@example.org")
    signed(petition, "Русский подписант", "ru@example.org", language="ru")
    signed(petition, "Қазақ", "kk@example.org", language="kk")
    signed(petition, "No News", "quiet@example.org", wants_updates=False)
    signed(petition, "Pending", "pending@example.org", confirm=False)
    batch = PaperBatch.objects.create(petition=petition, collected_where="Picket", language="ru")
    signing.add_paper_signatures(batch, [{"name": "Paper News", "email": "paper@example.org", "wants_updates": True}])
    return petition


def write(about, **texts):
    texts.setdefault("subject_en", "The hearing is on Monday")
    texts.setdefault("text_en", "Come to the court at 10.\n\nBring a placard.")
    return Update.objects.create(**{about._meta.model_name: about}, **texts)


def send_through_the_worker(update, user, reason="", **kwargs):
    """Send, and run the queued tasks as the worker would (TASKS_BACKEND=immediate in the tests)."""
    return services.send_update(update, user, reason=reason, **kwargs)


def run_on_commit(django_capture_on_commit_callbacks, function, *args, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        return function(*args, **kwargs)


def by_address(outbox):
    return {message.to[0]: message for message in outbox}


# --- writing, previewing, testing, sending in the admin -------------------------------------


def test_an_organiser_writes_an_update_side_by_side_in_three_languages(client, organiser_member, petition):
    client.force_login(organiser_member)
    form = client.get(reverse("admin:news_update_add") + f"?petition={petition.pk}")
    assert form.status_code == 200
    html = form.content.decode()
    for name in ("subject_en", "subject_ru", "subject_kk", "text_en", "text_ru", "text_kk"):
        assert f'name="{name}"' in html
    response = client.post(
        reverse("admin:news_update_add"),
        {
            "petition": petition.pk,
            "subject_en": "Handed over",
            "subject_ru": "Передано",
            "subject_kk": "",
            "text_en": "We handed it over.",
            "text_ru": "Мы передали её.",
            "text_kk": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    update = Update.objects.get()
    assert update.created_by == organiser_member and update.sent_at is None
    assert update.subject_ru == "Передано"


def test_an_update_is_about_exactly_one_thing(client, organiser_member, petition, make_appeal):
    client.force_login(organiser_member)
    response = client.post(
        reverse("admin:news_update_add"),
        {"petition": petition.pk, "appeal": make_appeal().pk, "subject_en": "x", "text_en": "y"},
    )
    assert response.status_code == 200
    assert "Choose one petition, one appeal or one case" in response.content.decode()
    assert not Update.objects.exists()


def test_the_preview_shows_each_language_as_its_reader_gets_it(client, organiser_member, petition):
    update = write(petition, subject_ru="Слушание в понедельник", text_ru="Приходите в суд к 10.")
    client.force_login(organiser_member)
    html = client.get(reverse("admin:news_update_preview", args=[update.pk])).content.decode()
    assert "Слушание в понедельник" in html and "Приходите в суд к 10." in html
    assert "The hearing is on Monday" in html
    # Kazakh is not written: its reader gets the English text, and is told so in Kazakh.
    assert "not translated" in html
    assert "List-Unsubscribe-Post: List-Unsubscribe=One-Click" in html
    assert "Восстановить Берика Жакипарова" in html  # the reason, in Russian, names the petition in Russian
    assert not mail.outbox


def test_a_test_goes_to_the_organisers_own_address_in_each_language(client, organiser_member, petition):
    update = write(petition, subject_ru="Слушание", text_ru="Текст")
    client.force_login(organiser_member)
    response = client.post(reverse("admin:news_update_test", args=[update.pk]))
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [[organiser_member.email]] * 3
    assert all(m.subject.startswith("[") for m in mail.outbox)
    assert {m.subject.split("] ", 1)[1] for m in mail.outbox} == {"The hearing is on Monday", "Слушание"}
    update.refresh_from_db()
    assert update.sent_at is None and not UpdateSend.objects.exists()


def test_sending_asks_for_confirmation_then_sends_to_every_signer_who_asked(
    client, organiser_member, petition, django_capture_on_commit_callbacks
):
    update = write(
        petition,
        subject_ru="Слушание в понедельник",
        text_ru="Приходите в суд к 10.",
        subject_kk="Сот отырысы дүйсенбіде",
        text_kk="Сағат 10-да сотқа келіңіздер.",
    )
    client.force_login(organiser_member)
    page = client.get(reverse("admin:news_update_send", args=[update.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Yes, send it to 4 people" in html  # confirmed, asked, with an address: online and paper
    assert not mail.outbox

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:news_update_send", args=[update.pk]))
    assert response.status_code == 302
    sent = by_address(mail.outbox)
    assert set(sent) == {"en@example.org", "ru@example.org", "kk@example.org", "paper@example.org"}
    assert sent["ru@example.org"].subject == "Слушание в понедельник"
    assert sent["paper@example.org"].subject == "Слушание в понедельник"  # the sheet was in Russian
    assert sent["kk@example.org"].subject == "Сот отырысы дүйсенбіде"
    assert sent["en@example.org"].subject == "The hearing is on Monday"
    assert "Hello English Signer," in sent["en@example.org"].body

    record = UpdateSend.objects.get()
    assert record.sent_by == organiser_member
    assert record.recipients == {"en": 1, "ru": 2, "kk": 1}
    assert record.total == 4 and record.delivered == 4
    update.refresh_from_db()
    assert update.sent_at is not None

    # The history shows it.
    history = client.get(reverse("admin:news_updatesend_changelist")).content.decode()
    assert "The hearing is on Monday" in history and "organiser2" in history
    change = client.get(reverse("admin:news_update_change", args=[update.pk])).content.decode()
    assert "Russian: 2" in change


def test_a_missing_translation_goes_in_english_and_says_so(petition, organiser, django_capture_on_commit_callbacks):
    update = write(petition, subject_ru="Слушание", text_ru="")  # half a translation is none
    run_on_commit(django_capture_on_commit_callbacks, services.send_update, update, organiser)
    sent = by_address(mail.outbox)
    russian = sent["ru@example.org"]
    assert russian.subject == "The hearing is on Monday"
    assert "Come to the court at 10." in russian.body
    assert "на английском" in russian.body.lower() or "английском" in russian.body
    kazakh = sent["kk@example.org"]
    assert "ағылшын" in kazakh.body.lower()
    assert "not been translated" not in sent["en@example.org"].body


def test_every_update_email_says_why_and_stops_in_one_click(petition, organiser, django_capture_on_commit_callbacks):
    update = write(petition)
    run_on_commit(django_capture_on_commit_callbacks, services.send_update, update, organiser)
    for message in mail.outbox:
        link = message.extra_headers["List-Unsubscribe"]
        assert re.fullmatch(r"<https://solidarity\.example/[^>]+>", link)
        assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert link[1:-1] in message.body
        html = message.alternatives[0][0]
        assert link[1:-1] in html
    english = by_address(mail.outbox)["en@example.org"]
    assert "you signed “Reinstate Berik Zhakiparov” and asked for updates" in english.body
    russian = by_address(mail.outbox)["ru@example.org"]
    assert "Восстановить Берика Жакипарова" in russian.body and "подписали" in russian.body


def test_no_tracking_no_image_and_no_rewritten_link(petition, organiser, django_capture_on_commit_callbacks):
    update = write(petition, text_en="Read the court's ruling at https://example.org/ruling.")
    run_on_commit(django_capture_on_commit_callbacks, services.send_update, update, organiser)
    for message in mail.outbox:
        html = message.alternatives[0][0]
        assert "<img" not in html.lower()
        for href in re.findall(r'href="([^"]+)"', html):
            # Our own pages, or the organiser's link exactly as written: never through us.
            assert href.startswith(SITE + "/") or href == "https://example.org/ruling", href
        assert 'href="https://example.org/ruling"' in html
        assert "https://example.org/ruling." in message.body  # as written, not through us


def test_the_one_click_post_unsubscribes_without_a_csrf_token(petition, organiser, django_capture_on_commit_callbacks):
    update = write(petition)
    run_on_commit(django_capture_on_commit_callbacks, services.send_update, update, organiser)
    message = by_address(mail.outbox)["ru@example.org"]
    url = message.extra_headers["List-Unsubscribe"][1:-1].removeprefix(SITE)
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(url)
    assert page.status_code == 200 and 'method="post"' in page.content.decode()
    assert Signature.objects.get(
        email_hash=signing.email_fingerprint("ru@example.org")
    ).wants_updates  # a GET changes nothing
    # What a mail program sends (RFC 8058): a POST with this body and no cookie or token.
    response = browser.post(url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    signature = Signature.objects.get(email_hash=signing.email_fingerprint("ru@example.org"))
    assert not signature.wants_updates and signature.email == ""
    assert signature.status == Signature.Status.CONFIRMED  # the signature stays


def test_whoever_stopped_before_their_batch_ran_is_skipped(petition, organiser, settings):
    update = write(petition)
    send = services.send_update(update, organiser)  # the fan-out waits for a commit that never comes
    stopped = Signature.objects.get(email_hash=signing.email_fingerprint("kk@example.org"))
    Signature.objects.filter(pk=stopped.pk).update(wants_updates=False, email="")
    tasks.fan_out_update.call(send.pk)
    assert "kk@example.org" not in by_address(mail.outbox)
    assert len(mail.outbox) == 3


# --- who may send, and how often --------------------------------------------------------------


def test_editors_may_write_but_never_send(client, editor, petition):
    update = write(petition)
    client.force_login(editor)
    assert client.get(reverse("admin:news_update_change", args=[update.pk])).status_code == 200
    change = client.get(reverse("admin:news_update_change", args=[update.pk])).content.decode()
    assert reverse("admin:news_update_send", args=[update.pk]) not in change
    assert client.get(reverse("admin:news_update_send", args=[update.pk])).status_code == 403
    assert client.post(reverse("admin:news_update_send", args=[update.pk])).status_code == 403
    assert client.post(reverse("admin:news_update_test", args=[update.pk])).status_code == 403
    assert not editor.has_perm("news.send_update")
    assert not mail.outbox and not UpdateSend.objects.exists()


def test_an_update_goes_out_once(petition, organiser, django_capture_on_commit_callbacks):
    update = write(petition)
    run_on_commit(django_capture_on_commit_callbacks, services.send_update, update, organiser)
    with pytest.raises(services.AlreadySent):
        services.send_update(update, organiser)
    assert UpdateSend.objects.count() == 1


def test_a_second_update_in_a_week_needs_a_reason(
    client, organiser_member, petition, django_capture_on_commit_callbacks
):
    first = write(petition)
    services.send_update(first, organiser_member, now=timezone.now() - datetime.timedelta(days=6))
    second = write(petition, subject_en="Sentence quashed")
    client.force_login(organiser_member)
    page = client.get(reverse("admin:news_update_send", args=[second.pk])).content.decode()
    assert "At most one a week" in page and 'name="reason"' in page
    refused = client.post(reverse("admin:news_update_send", args=[second.pk]), {"reason": "  "})
    assert refused.status_code == 400
    with pytest.raises(services.TooSoon):
        services.send_update(second, organiser_member)
    second.refresh_from_db()
    assert second.sent_at is None

    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(
            reverse("admin:news_update_send", args=[second.pk]), {"reason": "The court freed him today."}
        )
    assert sent.status_code == 302
    assert UpdateSend.objects.get(update=second).reason == "The court freed him today."


def test_a_week_later_no_reason_is_needed(petition, organiser, make_petition):
    services.send_update(write(petition), organiser, now=timezone.now() - datetime.timedelta(days=8))
    assert services.needs_reason(write(petition)) is None
    # Another petition's update is no reason to wait.
    services.send_update(write(make_petition()), organiser)
    assert services.needs_reason(write(petition)) is None


# --- the queue: confirmations first ---------------------------------------------------------------


@pytest.fixture
def queue_in_database(settings):
    settings.TASKS_BACKEND = "database"
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # a signal resets the backends


def test_a_large_send_never_delays_a_confirmation_link(make_petition, organiser, queue_in_database, settings):
    settings.UPDATE_EMAILS_PER_MINUTE = 0  # every batch ready at once: the worst case
    petition = make_petition()
    Signature.objects.bulk_create(
        Signature(
            petition=petition,
            name=f"Signer {n}",
            email=f"s{n}@example.org",
            email_hash=f"hash-{n}",
            wants_updates=True,
            status=Signature.Status.CONFIRMED,
            nonce=f"n{n}",
        )
        for n in range(260)
    )
    send = services.send_update(write(petition), organiser)
    tasks.fan_out_update.call(send.pk)  # what the worker does with the queued fan-out
    batches = DBTaskResult.objects.filter(task_path="news.tasks.send_update_batch")
    assert batches.count() == 6  # 50 a batch
    # A new signer's link, queued after the whole send.
    newcomer = signed(petition, "Newcomer", "new@example.org", confirm=False)
    petition_tasks.send_confirmation.enqueue(newcomer.pk)
    first = DBTaskResult.objects.ready().first()  # the worker takes the ready task of highest priority
    assert first.task_path == "petitions.tasks.send_confirmation"
    assert all(batch.priority < first.priority for batch in batches)


def test_batches_are_spaced_at_the_send_rate(make_petition, organiser, queue_in_database, settings):
    settings.UPDATE_EMAILS_PER_MINUTE = 100
    petition = make_petition()
    Signature.objects.bulk_create(
        Signature(
            petition=petition,
            name=f"Signer {n}",
            email=f"s{n}@example.org",
            email_hash=f"hash-{n}",
            wants_updates=True,
            status=Signature.Status.CONFIRMED,
            nonce=f"n{n}",
        )
        for n in range(200)
    )
    send = services.send_update(write(petition), organiser)
    tasks.fan_out_update.call(send.pk)
    times = sorted(
        DBTaskResult.objects.filter(task_path="news.tasks.send_update_batch").values_list("run_after", flat=True)
    )
    assert len(times) == 4
    gaps = {round((later - earlier).total_seconds()) for earlier, later in zip(times, times[1:], strict=False)}
    assert gaps == {30}  # 50 emails at 100 a minute
    assert DBTaskResult.objects.ready().filter(task_path="news.tasks.send_update_batch").count() == 1


# --- appeals and cases -----------------------------------------------------------------------------


def test_an_appeals_update_goes_to_its_petitions_signers_once_per_address(
    make_petition, make_appeal, organiser, django_capture_on_commit_callbacks
):
    appeal = make_appeal(title="Free Roza Tuletaeva")
    one, two, elsewhere = make_petition(title="First"), make_petition(title="Second"), make_petition()
    one.appeals.add(appeal)
    two.appeals.add(appeal)
    signed(one, "Both", "both@example.org")
    signed(two, "Both", "both@example.org")
    signed(two, "Only Two", "two@example.org", language="ru")
    signed(elsewhere, "Elsewhere", "elsewhere@example.org")
    update = write(appeal)
    assert len(news_mail.recipients(update)) == 2
    run_on_commit(django_capture_on_commit_callbacks, services.send_update, update, organiser)
    sent = by_address(mail.outbox)
    assert set(sent) == {"both@example.org", "two@example.org"}
    assert "a petition of the appeal “Free Roza Tuletaeva”" in sent["both@example.org"].body


def test_a_cases_update_goes_to_its_confirmed_subscribers(make_prisoner, organiser, django_capture_on_commit_callbacks):
    prisoner = make_prisoner(name="Roza Tuletaeva")
    Subscriber.objects.create(
        prisoner=prisoner, email="sub@example.org", email_hash="a", language="kk", confirmed_at=timezone.now()
    )
    Subscriber.objects.create(prisoner=prisoner, email="waiting@example.org", email_hash="b")
    update = write(prisoner, subject_kk="Жаңалық", text_kk="Мәтін")
    run_on_commit(django_capture_on_commit_callbacks, services.send_update, update, organiser)
    assert [m.to for m in mail.outbox] == [["sub@example.org"]]
    message = mail.outbox[0]
    assert message.subject == "Жаңалық"
    assert "List-Unsubscribe" in message.extra_headers
    assert "Roza Tuletaeva" in message.body


# --- published on the page and in its feed ------------------------------------------------------


def test_a_sent_update_is_in_the_news_of_its_page_and_feed_and_a_draft_is_not(
    client, petition, make_appeal, make_prisoner, organiser
):
    appeal, prisoner = make_appeal(), make_prisoner(events=1)
    for about in (petition, appeal, prisoner):
        draft = write(about, subject_en="Not yet sent")
        sent = write(about, subject_en=f"Sent about {about}")
        services.send_update(sent, organiser, reason="test")
        page = client.get(about.get_absolute_url()).content.decode()
        assert f"Sent about {about}" in page and f'id="update-{sent.pk}"' in page
        assert "Not yet sent" not in page
        feed_url = {
            petition: reverse("petitions:news_feed", args=[petition.slug]),
            appeal: reverse("appeals:news_feed", args=[appeal.slug]),
            prisoner: reverse("prisoners:prisoner_feed", args=[prisoner.slug]),
        }[about]
        assert f'href="{feed_url}"' in page
        response = client.get(feed_url)
        assert response.status_code == 200
        root = ET.fromstring(response.content)
        titles = [entry.findtext(f"{ATOM}title") for entry in root.findall(f"{ATOM}entry")]
        assert f"Sent about {about}" in titles and "Not yet sent" not in titles
        for element in [root, *root.findall(f"{ATOM}entry")]:
            for name in ("id", "title", "updated"):
                assert len(element.findall(f"{ATOM}{name}")) == 1
            datetime.datetime.fromisoformat(element.findtext(f"{ATOM}updated")).utcoffset()
        assert draft.pk


def test_the_news_is_in_the_pages_language(client, petition, organiser):
    services.send_update(write(petition, subject_ru="Новость", text_ru="Текст новости"), organiser)
    url = petition.get_absolute_url()
    page = client.get(f"/ru{url}").content.decode()
    assert "Новость" in page and "Текст новости" in page
    kazakh = client.get(f"/kk{url}").content.decode()
    assert "The hearing is on Monday" in kazakh  # English, marked as such on the page
    assert 'lang="en"' in kazakh


def test_no_address_appears_on_any_page_or_feed(client, petition, organiser, make_prisoner):
    prisoner = make_prisoner()
    Subscriber.objects.create(
        prisoner=prisoner, email="hidden-sub@example.org", email_hash="h", confirmed_at=timezone.now()
    )
    services.send_update(write(petition), organiser)
    services.send_update(write(prisoner), organiser)
    urls = [
        petition.get_absolute_url(),
        reverse("petitions:news_feed", args=[petition.slug]),
        reverse("petitions:feed"),
        prisoner.get_absolute_url(),
        reverse("prisoners:prisoner_feed", args=[prisoner.slug]),
        reverse("prisoners:feed"),
    ]
    for language in ("", "/ru", "/kk"):
        for url in urls:
            body = client.get(f"{language}{url}").content.decode()
            assert "@example.org" not in body, url


def test_each_petition_appeal_and_case_in_the_admin_leads_to_writing_its_update(
    client, organiser_member, petition, make_appeal, make_prisoner
):
    client.force_login(organiser_member)
    for about in (petition, make_appeal(), make_prisoner()):
        name = about._meta.model_name
        page = client.get(reverse(f"admin:{about._meta.app_label}_{name}_change", args=[about.pk])).content.decode()
        link = f"{reverse('admin:news_update_add')}?{name}={about.pk}"
        assert link in page
        form = client.get(link).content.decode()
        assert f'<option value="{about.pk}" selected' in form
