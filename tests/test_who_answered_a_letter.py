"""After "I've sent it", a supporter gets a private link to come back to and say what came
of the letter: a reply (pasted or as a file, read by an organiser before anything of it is
public), the letter back, or nothing. Nothing about the supporter is needed to count it.
Organisers see letters, replies and returns per appeal and per embassy; the appeal's page
shows the replies an organiser has published."""

import time

import pytest
from django.core import signing
from django.urls import reverse

from appeals.forms import STARTED_SALT
from appeals.models import LetterOutcome, LetterSent
from appeals.services import OUTCOME_SALT, outcome_token

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj\n<< >>\nendobj\n%%EOF\n"


@pytest.fixture
def appeal(make_appeal, make_embassy):
    make_embassy("FR", name="Embassy in Paris")
    return make_appeal(goes_to_embassy=True)


def send(client, appeal, country="FR"):
    return client.post(reverse("appeals:sent", args=[appeal.slug]), {"channel": "email", "country": country})


def started(seconds_ago=60):
    return signing.dumps(time.time() - seconds_ago, salt=STARTED_SALT)


def tell(client, url, REMOTE_ADDR="127.0.0.1", **data):  # noqa: N803 - the WSGI name
    fields = {"kind": "reply", "target": "", "text": "", "website": "", "started": started()}
    return client.post(url, fields | data, REMOTE_ADDR=REMOTE_ADDR)


@pytest.fixture
def link(client, appeal):
    response = send(client, appeal)
    assert response.status_code == 302
    return response["Location"]


def test_ive_sent_it_leads_to_a_private_link_for_that_letter(client, appeal, link):
    letter = LetterSent.objects.get()
    assert link == reverse("appeals:outcome", args=[appeal.slug, outcome_token(letter)])
    html = client.get(link).content.decode()
    assert "Your private link to this letter" in html
    assert 'enctype="multipart/form-data"' in html
    assert "Embassy in Paris" in html  # a recipient to choose


def test_the_letter_remembers_whom_it_went_to(appeal, link):
    names = {target.name for target in LetterSent.objects.get().targets.all()}
    assert names == {"Embassy in Paris", 'AO "National company KazMunayGaz"'}


def test_a_pasted_reply_waits_for_an_organiser(client, appeal, link):
    embassy = LetterSent.objects.get().targets.get(name="Embassy in Paris")
    response = tell(client, link, target=embassy.pk, text="We have forwarded your letter to Astana.")
    assert response.status_code == 302
    outcome = LetterOutcome.objects.get()
    assert (outcome.kind, outcome.target, outcome.status) == ("reply", embassy, "new")
    assert "forwarded your letter" not in client.get(appeal.get_absolute_url()).content.decode()


def test_a_reply_as_a_pdf_is_kept_out_of_the_media_folder(client, appeal, link, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    response = tell(client, link, file=SimpleUploadedFile("reply.exe", PDF, content_type="application/x-msdownload"))
    assert response.status_code == 302
    outcome = LetterOutcome.objects.get()
    assert (outcome.file_type, outcome.file_name, bytes(outcome.file_data)) == ("application/pdf", "reply.pdf", PDF)
    assert not any(tmp_path.iterdir())


def test_a_file_of_another_kind_or_too_large_is_refused(client, appeal, link):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = tell(client, link, file=SimpleUploadedFile("x.bin", b"\x00\x01\x02binary", content_type="image/png"))
    assert response.status_code == 400
    assert "Please send a PDF, a JPEG or PNG photo, or a text file." in response.content.decode()
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * (5 * 1024 * 1024), content_type="application/pdf")
    response = tell(client, link, file=big)
    assert response.status_code == 400
    assert "larger than 5 MB" in response.content.decode()
    assert not LetterOutcome.objects.exists()


def test_a_returned_letter_or_nothing_is_counted_without_text(client, appeal, link):
    assert tell(client, link, kind="returned", text="should not be kept").status_code == 302
    assert tell(client, link, kind="nothing").status_code == 302
    assert sorted(LetterOutcome.objects.values_list("kind", "text")) == [("nothing", ""), ("returned", "")]


def test_telling_twice_counts_once(client, appeal, link):
    tell(client, link, kind="returned")
    tell(client, link, kind="returned")
    assert LetterOutcome.objects.count() == 1


def test_a_made_up_or_tampered_link_is_refused(client, appeal, link, make_appeal):
    other = make_appeal()
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert client.get(reverse("appeals:outcome", args=[appeal.slug, "nonsense"])).status_code == 404
    assert client.get(reverse("appeals:outcome", args=[other.slug, token])).status_code == 404
    forged = signing.dumps(LetterSent.objects.get().pk, salt="another-salt")
    assert client.get(reverse("appeals:outcome", args=[appeal.slug, forged])).status_code == 404
    for value in ["1", True, 10**30, -1, [1]]:
        token = signing.dumps(value, salt=OUTCOME_SALT)
        assert client.get(reverse("appeals:outcome", args=[appeal.slug, token])).status_code == 404
    assert (
        "We do not know this link" in client.get(reverse("appeals:outcome", args=[appeal.slug, "x"])).content.decode()
    )


def test_the_honeypot_is_thanked_and_not_counted(client, appeal, link):
    assert tell(client, link, kind="returned", website="spam").status_code == 302
    assert not LetterOutcome.objects.exists()


def test_the_private_page_is_not_kept_or_indexed(client, appeal, link):
    response = client.get(link)
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex"


def test_a_published_reply_is_on_the_appeals_page_as_the_organiser_edited_it(client, organiser_client, appeal, link):
    embassy = LetterSent.objects.get().targets.get(name="Embassy in Paris")
    tell(client, link, target=embassy.pk, text="Dear Jane Doe, we forwarded it.")
    outcome = LetterOutcome.objects.get()
    response = organiser_client.post(
        reverse("admin:appeals_letteroutcome_change", args=[outcome.pk]),
        {"status": "published", "public_text": "We forwarded it."},
    )
    assert response.status_code == 302
    html = client.get(appeal.get_absolute_url()).content.decode()
    assert "Replies supporters received" in html
    assert "We forwarded it." in html and "Jane Doe" not in html
    assert "From Embassy in Paris" in html


def test_the_bulk_action_publishes_replies_only(client, organiser_client, appeal, link):
    tell(client, link, text="A reply.")
    tell(client, link, kind="returned")
    organiser_client.post(
        reverse("admin:appeals_letteroutcome_changelist"),
        {"action": "publish", "_selected_action": list(LetterOutcome.objects.values_list("pk", flat=True))},
    )
    assert dict(LetterOutcome.objects.values_list("kind", "status")) == {"reply": "published", "returned": "new"}


def test_organisers_download_a_file_that_runs_nothing_and_the_public_cannot(client, organiser_client, appeal, link):
    from django.core.files.uploadedfile import SimpleUploadedFile

    tell(client, link, file=SimpleUploadedFile("r.pdf", PDF))
    url = reverse("admin:appeals_letteroutcome_file", args=[LetterOutcome.objects.get().pk])
    response = organiser_client.get(url)
    assert response.status_code == 200 and response.content == PDF
    assert response["Content-Disposition"] == 'attachment; filename="reply.pdf"'
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    from django.test import Client

    assert Client().get(url).status_code == 302  # to the login page


def test_organisers_see_letters_replies_and_returns_per_appeal_and_per_embassy(client, organiser_client, appeal):
    for kind in ["reply", "returned", "nothing"]:
        link = send(client, appeal)["Location"]
        embassy = LetterSent.objects.order_by("-id").first().targets.get(name="Embassy in Paris")
        tell(client, link, kind=kind, target=embassy.pk, text="Thanks.")
    appeals = organiser_client.get(reverse("admin:appeals_appeal_changelist")).content.decode()
    row = next(row for row in appeals.split("<tr") if appeal.title in row)
    assert '<td class="field-letters_sent_count">3</td>' in row
    assert "kind__exact=reply" in row and "kind__exact=returned" in row
    targets = organiser_client.get(
        reverse("admin:appeals_target_changelist"), {"country__exact": "FR"}
    ).content.decode()
    assert '<td class="field-letters_count">3</td>' in targets
    assert f"target__id__exact={embassy.pk}" in targets


@pytest.mark.parametrize("prefix, text", [("/ru", "Что стало с вашим письмом"), ("/kk", "Хатыңыздың нәтижесі")])
def test_the_private_page_speaks_russian_and_kazakh(client, appeal, link, prefix, text):
    assert text in client.get(f"{prefix}{link}").content.decode()


def test_the_dashboard_counts_what_waits_for_an_organiser(client, organiser_client, appeal, link):
    tell(client, link, text="A reply.")
    html = organiser_client.get(reverse("admin:index")).content.decode()
    panel = html.split('id="panel-told-us"')[1].split("</section>")[0]
    assert "0 new reports on the embassy directory" in panel
    assert "1 reply to a letter to read" in panel
    assert "?kind__exact=reply&amp;status__exact=new" in panel
