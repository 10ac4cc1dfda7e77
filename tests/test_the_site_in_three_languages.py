"""English at the root, Russian under /ru/, Kazakh under /kk/; a first visit follows the
browser's language; the switcher, hreflang and <html lang>; letters, emails and the
admin in the right language (docs/translation.md)."""

import re

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from django.utils import translation

from petitions import services
from petitions.models import Petition, Signature

pytestmark = pytest.mark.django_db

RUSSIAN_BROWSER = {"HTTP_ACCEPT_LANGUAGE": "ru-RU,ru;q=0.9,en;q=0.8", "HTTP_ACCEPT": "text/html,*/*;q=0.8"}


def html_lang(response):
    return re.search(r'<html lang="([^"]+)"', response.content.decode()).group(1)


def test_each_language_has_its_own_addresses_and_says_which_it_is(client, make_prisoner):
    prisoner = make_prisoner(slug="roza-tuletaeva")
    for prefix, language, heading in [
        ("", "en", "Prisoners"),
        ("/ru", "ru", "Заключённые"),
        ("/kk", "kk", "Тұтқындар"),
    ]:
        response = client.get(f"{prefix}/prisoners/")
        assert response.status_code == 200
        assert html_lang(response) == language
        assert heading in response.content.decode()
        assert client.get(f"{prefix}/prisoners/{prisoner.slug}/").status_code == 200
    with translation.override("kk"):
        assert prisoner.get_absolute_url() == "/kk/prisoners/roza-tuletaeva/"


def test_old_english_addresses_keep_working_for_a_browser_with_no_preference(client, make_prisoner):
    make_prisoner(slug="roza-tuletaeva")
    response = client.get("/prisoners/roza-tuletaeva/")
    assert response.status_code == 200
    assert html_lang(response) == "en"


def test_a_first_visit_from_a_russian_browser_opens_the_russian_page(client, make_prisoner):
    make_prisoner(slug="roza-tuletaeva")
    response = client.get("/prisoners/roza-tuletaeva/?x=1", **RUSSIAN_BROWSER)
    assert response.status_code == 302
    assert response["Location"] == "/ru/prisoners/roza-tuletaeva/?x=1"
    assert {"Accept-Language", "Cookie"} <= {v.strip() for v in response["Vary"].split(",")}
    kazakh = client.get("/", HTTP_ACCEPT_LANGUAGE="kk,ru;q=0.5")
    assert kazakh["Location"] == "/kk/"


def test_only_page_loads_are_redirected(client, make_petition):
    petition = make_petition()
    # Another site's script fetching the count gets the count, whatever its reader's language.
    response = client.get(f"/petitions/{petition.slug}/count.json", HTTP_ACCEPT_LANGUAGE="ru", HTTP_ACCEPT="*/*")
    assert response.status_code == 200
    assert client.get("/healthz", **RUSSIAN_BROWSER).status_code == 200
    assert client.post("/prisoners/", **RUSSIAN_BROWSER).status_code != 302


def test_a_russian_page_does_not_vary_on_the_browsers_language(client):
    response = client.get("/ru/prisoners/", **RUSSIAN_BROWSER)
    assert response.status_code == 200
    assert "Accept-Language" not in response.get("Vary", "")
    assert response["Content-Language"] == "ru"
    assert not response.cookies


def test_choosing_english_is_remembered_for_the_browser_session_only_when_it_must_be(client):
    response = client.get("/en/prisoners/?status=released", **RUSSIAN_BROWSER)
    assert response.status_code == 302
    assert response["Location"] == "/prisoners/?status=released"
    cookie = response.cookies["django_language"]
    assert cookie.value == "en"
    assert not cookie["max-age"] and not cookie["expires"]  # gone when the browser closes
    assert cookie["httponly"] and cookie["samesite"] == "Lax"

    # The cookie now keeps the English pages English.
    response = client.get("/prisoners/", **RUSSIAN_BROWSER)
    assert response.status_code == 200
    assert html_lang(response) == "en"
    # An address in Russian still opens in Russian.
    assert html_lang(client.get("/ru/prisoners/", **RUSSIAN_BROWSER)) == "ru"

    # A browser that asks for English anyway gets no cookie at all.
    client.cookies.clear()
    response = client.get("/en/prisoners/", HTTP_ACCEPT_LANGUAGE="en-GB,en")
    assert response["Location"] == "/prisoners/"
    assert not response.cookies


def test_choosing_english_never_leads_to_another_site(client):
    response = client.get("/en//example.org/", **RUSSIAN_BROWSER)
    assert response["Location"] == "/example.org/"
    assert client.get("/en", **RUSSIAN_BROWSER)["Location"] == "/"


def test_every_page_links_to_itself_in_each_language_without_javascript(client):
    html = client.get("/ru/prisoners/?status=released").content.decode()
    switcher = html[html.index("language-switcher") :]
    switcher = switcher[: switcher.index("</ul>")]
    assert 'href="/en/prisoners/?status=released" hreflang="en" lang="en">English<' in switcher
    assert 'href="/ru/prisoners/?status=released" hreflang="ru" lang="ru" aria-current="true">Русский<' in switcher
    assert 'href="/kk/prisoners/?status=released" hreflang="kk" lang="kk">Қазақша<' in switcher
    assert "<script" not in switcher
    for language, url in [
        ("en", "http://127.0.0.1:8000/prisoners/?status=released"),
        ("x-default", "http://127.0.0.1:8000/prisoners/?status=released"),
        ("ru", "http://127.0.0.1:8000/ru/prisoners/?status=released"),
        ("kk", "http://127.0.0.1:8000/kk/prisoners/?status=released"),
    ]:
        assert f'<link rel="alternate" hreflang="{language}" href="{url}">' in html


def test_a_page_not_found_is_not_found_in_the_visitors_language(client):
    response = client.get("/kk/no-such-page/")
    assert response.status_code == 404
    assert html_lang(response) == "kk"
    assert 'href="/ru/no-such-page/"' in response.content.decode()


def test_an_untranslated_text_carries_its_own_language_and_the_page_says_so(client, make_prisoner):
    prisoner = make_prisoner(summary="Oil worker from Zhanaozen.")
    html = client.get(f"/ru/prisoners/{prisoner.slug}/").content.decode()
    assert 'lang="en">Oil worker from Zhanaozen.<' in html
    assert "показаны на английском" in html
    english = client.get(f"/prisoners/{prisoner.slug}/").content.decode()
    assert 'lang="en">Oil worker' not in english
    assert "untranslated-note" not in english


def test_the_letter_page_switches_to_the_appeal_it_was_written_from(client, make_appeal):
    appeal = make_appeal()
    response = client.post(f"/kk/appeals/{appeal.slug}/letter/", {"name": "Aigul", "country": "GB", "language": "en"})
    assert response.status_code == 200, response.content.decode()[:2000]
    html = response.content.decode()
    assert f'href="/ru/appeals/{appeal.slug}/" hreflang="ru"' in html


def test_dates_and_counts_follow_the_language(client, make_petition):
    import datetime

    petition = make_petition(deadline=datetime.date(2030, 12, 16), goal=2000)
    ru = client.get(f"/ru/petitions/{petition.slug}/").content.decode()
    assert "16 декабря 2030 г." in ru
    assert "2\xa0000" in ru
    assert "0 подписей" in ru
    kk = client.get(f"/kk/petitions/{petition.slug}/").content.decode()
    assert "2030 ж. 16 желтоқсан" in kk


def test_a_month_is_written_in_lower_case_within_a_sentence_and_capitalised_to_begin_one(client, make_prisoner):
    import datetime

    from prisoners.models import CaseEvent, Precision

    prisoner = make_prisoner(arrested_on=datetime.date(2011, 8, 1), arrested_precision=Precision.MONTH)
    CaseEvent.objects.create(prisoner=prisoner, date=datetime.date(2014, 12, 1), precision=Precision.MONTH, text="x")
    ru = client.get(f"/ru/prisoners/{prisoner.slug}/").content.decode()
    assert "август 2011 г." in ru and "Август 2011 г." not in ru  # "арест — август 2011 г."
    assert ">Декабрь 2014 г.</time>" in ru  # a timeline entry begins with it
    kk = client.get(f"/kk/prisoners/{prisoner.slug}/").content.decode()
    assert "2011 ж. тамыз" in kk and "2011 ж. Тамыз" not in kk
    feed = client.get(f"/ru/prisoners/{prisoner.slug}/feed.atom").content.decode()
    assert "декабрь 2014 г." in feed and "Декабрь" not in feed


def test_the_admin_speaks_the_organisers_language(client, organiser):
    client.force_login(organiser)
    response = client.get("/ru/admin/")
    assert response.status_code == 200
    assert html_lang(response) == "ru"
    assert "Панель" in response.content.decode() or "Сводка" in response.content.decode()
    assert 'href="/kk/admin/" hreflang="kk"' in response.content.decode()


# --- emails in the signer's language ---------------------------------------------------


def sign_in(client, language, petition, data, django_capture_on_commit_callbacks):
    with translation.override(language):
        url = reverse("petitions:sign", args=[petition.slug])
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(url, data)


def test_a_signer_gets_their_email_in_the_language_they_signed_in(
    client, make_petition, sign_data, django_capture_on_commit_callbacks
):
    petition = make_petition(title="Reinstate Erlan Tabinov")
    response = sign_in(client, "kk", petition, sign_data(), django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert response["Location"].startswith("/kk/")
    signature = Signature.objects.get()
    assert signature.language == "kk"
    message = mail.outbox[-1]
    with translation.override("kk"):
        assert message.subject == translation.gettext("Please confirm your signature: %(title)s") % {
            "title": petition.title
        }
    assert "http://127.0.0.1:8000/kk/petitions/confirm/" in message.body
    assert "/kk/petitions/withdraw/" in message.body
    html = message.alternatives[0][0]
    assert "/kk/petitions/confirm/" in html
    assert '<html lang="kk">' in html  # a screen reader reads it as Kazakh

    # The link opens the Kazakh page.
    confirm = re.search(r"http://127\.0\.0\.1:8000(/kk/petitions/confirm/\S+/)", message.body).group(1)
    page = client.get(confirm)
    assert page.status_code == 200
    assert html_lang(page) == "kk"


def test_signing_again_in_another_language_answers_in_that_language(
    client, make_petition, sign_data, django_capture_on_commit_callbacks, settings
):
    petition = make_petition()
    sign_in(client, "en", petition, sign_data(), django_capture_on_commit_callbacks)
    signature = Signature.objects.get()
    services.confirm(signature)
    Signature.objects.update(mailed_at=None)  # past the wait between two emails
    sign_in(client, "ru", petition, sign_data(), django_capture_on_commit_callbacks)
    message = mail.outbox[-1]
    with translation.override("ru"):
        expected = translation.gettext("You have already signed: %(title)s") % {"title": petition.title}
    assert message.subject == expected
    assert '<html lang="ru">' in message.alternatives[0][0]


def test_the_news_of_a_delivery_goes_out_in_each_signers_language(make_petition):
    from petitions import tasks

    petition = make_petition(title="Reinstate Berik Zhakiparov")
    for language, address in [("ru", "ru@example.org"), ("kk", "kk@example.org"), ("", "none@example.org")]:
        signature = Signature.objects.create(
            petition=petition,
            name=address,
            email=address,
            email_hash=services.email_fingerprint(address),
            wants_updates=True,
            language=language,
        )
        services.confirm(signature)
    Petition.objects.filter(pk=petition.pk).update(status=Petition.Status.DELIVERED)
    mail.outbox.clear()
    tasks.announce_delivery.call(petition.pk)
    by_address = {message.to[0]: message for message in mail.outbox}
    for language, address in [("ru", "ru@example.org"), ("kk", "kk@example.org"), ("en", "none@example.org")]:
        with translation.override(language):
            subject = translation.gettext("Delivered: %(title)s") % {"title": petition.title}
        message = by_address[address]
        assert message.subject == subject
        assert f'<html lang="{language}">' in message.alternatives[0][0]
        prefix = "" if language == "en" else f"/{language}"
        assert f"127.0.0.1:8000{prefix}/petitions/stop-updates/" in message.extra_headers["List-Unsubscribe"]


def test_paper_signatures_take_the_language_of_their_sheets(organiser_client, make_petition):
    from petitions.models import PaperBatch

    petition = make_petition()
    # The admin offers the organiser's own language for a new batch.
    form = organiser_client.get("/kk/admin/petitions/paperbatch/add/").content.decode()
    assert re.search(r'<option value="kk" selected>', form)
    batch = PaperBatch.objects.create(petition=petition, collected_where="Zhanaozen", language="kk")
    [signature] = services.add_paper_signatures(
        batch, [{"name": "Айгүл", "email": "a@example.org", "wants_updates": True}]
    )
    assert Signature.objects.get(pk=signature.pk).language == "kk"


# --- translating the site in the browser -------------------------------------------------


def test_a_translator_may_translate_the_sites_strings_and_nothing_else(client, django_user_model):
    translator = django_user_model.objects.create_user("translator", "t@example.org", "pass-word-123", is_staff=True)
    translator.groups.add(Group.objects.get(name="Translator"))
    assert {p.codename for p in Group.objects.get(name="Translator").permissions.all()} == {"translate_site"}
    client.force_login(translator)
    response = client.get("/admin/translations/files/project/")
    assert response.status_code == 200
    assert "kk" in response.content.decode()
    assert client.get(reverse("admin:prisoners_prisoner_changelist")).status_code == 403


def test_the_translation_pages_are_closed_to_visitors_and_other_staff(client, editor):
    response = client.get("/admin/translations/files/project/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    client.force_login(editor)
    assert client.get("/admin/translations/files/project/").status_code == 403


# --- documents, and what a page costs ----------------------------------------------------


def test_the_paper_sheet_prints_in_the_language_of_the_page_it_is_printed_from(client, make_petition):
    from io import BytesIO

    from pypdf import PdfReader

    petition = make_petition()
    for prefix, language in [("", "en"), ("/ru", "ru"), ("/kk", "kk")]:
        response = client.get(f"{prefix}/petitions/{petition.slug}/sheet.pdf")
        assert response.status_code == 200
        text = " ".join(page.extract_text() for page in PdfReader(BytesIO(response.content)).pages)
        with translation.override(language):
            assert translation.gettext("Signature") in text


@pytest.mark.parametrize("page", ["home", "prisoner list", "case page", "appeal", "petition"])
def test_a_page_costs_the_same_queries_in_every_language(client, page, make_prisoner, make_appeal, make_petition):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    prisoner = make_prisoner(events=3, charges=2)
    paths = {
        "home": "/",
        "prisoner list": "/prisoners/",
        "case page": prisoner.get_absolute_url(),
        "appeal": make_appeal().get_absolute_url(),
        "petition": make_petition().get_absolute_url(),
    }
    costs = []
    for prefix in ["", "/ru", "/kk"]:
        client.get(f"{prefix}{paths[page]}")  # the first time fills per-language caches
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"{prefix}{paths[page]}")
        assert response.status_code == 200
        costs.append(len(queries.captured_queries))
    assert costs[0] == costs[1] == costs[2], costs
