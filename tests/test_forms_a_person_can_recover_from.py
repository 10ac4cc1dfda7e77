import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def summary_of(html):
    match = re.search(r'<div class="error-summary[^"]*" id="error-summary" tabindex="-1".*?</div>', html, re.S)
    assert match, "no error summary"
    return match.group(0)


# The letter form ---------------------------------------------------------------------------


def test_the_letter_form_posts_to_its_error_summary_so_the_page_reopens_there(client, make_appeal):
    appeal = make_appeal()
    response = client.get(appeal.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert f'action="{reverse("appeals:letter", args=[appeal.slug])}#error-summary"' in html
    assert 'id="error-summary"' not in html  # nothing to summarise yet
    assert "error-summary.js" not in html


def test_a_failed_letter_opens_at_a_summary_at_the_top_of_the_form_with_a_link_to_each_field(client, make_appeal):
    appeal = make_appeal()
    response = client.post(reverse("appeals:letter", args=[appeal.slug]), {"name": "", "country": "XX"})
    html = response.content.decode()
    assert response.status_code == 400
    summary = summary_of(html)
    assert "There is a problem" in summary
    assert 'href="#id_name"' in summary and 'href="#id_country"' in summary
    # At the top of the form: before the first field.
    # First on the page (GOV.UK's place for it), so the page opens there on any phone.
    assert html.index('id="error-summary"') < html.index("<h1") < html.index('class="letter-form"')
    assert 'id="id_name"' in html
    # Focus moves there with a script file (no inline script, the CSP allows none).
    assert re.search(r'<script src="[^"]*error-summary[^"]*\.js" defer></script>', html)
    assert "<script>" not in html


def test_the_error_summary_script_focuses_the_summary(settings):
    from pathlib import Path

    script = (Path(settings.BASE_DIR) / "static" / "js" / "error-summary.js").read_text()
    assert 'getElementById("error-summary")' in script and ".focus(" in script


@pytest.mark.parametrize("url_name", ["appeals:letter", "appeals:sent", "appeals:letter_txt", "appeals:letter_pdf"])
def test_opening_a_letter_forms_address_by_get_leads_to_the_appeal(client, make_appeal, url_name):
    appeal = make_appeal()
    response = client.get(reverse(url_name, args=[appeal.slug]))
    assert response.status_code == 302
    assert response["Location"] == appeal.get_absolute_url()
    assert client.head(reverse(url_name, args=[appeal.slug])).status_code == 302


def test_other_methods_on_a_form_address_are_still_refused(client, make_appeal):
    appeal = make_appeal()
    response = client.put(reverse("appeals:letter", args=[appeal.slug]))
    assert response.status_code == 405


# The signing form --------------------------------------------------------------------------


def sign(client, petition, **data):
    from petitions.forms import SignatureForm

    started = SignatureForm(petition=petition).initial["started"]
    data = {"name": "Jane Doe", "email": "jane@example.org", "country": "GB", "started": started} | data
    return client.post(reverse("petitions:sign", args=[petition.slug]), data)


def test_the_signing_form_posts_to_its_error_summary(client, make_petition):
    petition = make_petition()
    response = client.get(petition.get_absolute_url())
    assert response.status_code == 200
    assert f'action="{reverse("petitions:sign", args=[petition.slug])}#error-summary"' in response.content.decode()


def test_a_failed_signature_opens_at_a_summary_at_the_top_of_the_form_with_a_link_to_each_field(
    client, make_petition, settings
):
    settings.SIGN_MIN_SECONDS = 0
    petition = make_petition()
    response = sign(client, petition, name="", email="not-an-address")
    html = response.content.decode()
    assert response.status_code == 400
    summary = summary_of(html)
    assert 'href="#id_name"' in summary and 'href="#id_email"' in summary
    assert "Please give your name." in summary
    assert html.index('id="error-summary"') < html.index("<h1") < html.index('class="sign-form"')
    assert re.search(r'<script src="[^"]*error-summary[^"]*\.js" defer></script>', html)


def test_a_signature_from_an_invisible_name_is_refused_with_a_message(client, make_petition, settings):
    settings.SIGN_MIN_SECONDS = 0
    petition = make_petition()
    response = sign(client, petition, name="\u200b\u202e\u2066")
    assert response.status_code == 400
    assert "only invisible characters" in summary_of(response.content.decode())
    assert not petition.signatures.exists()


def test_a_right_to_left_override_never_reaches_the_signers_list(client, make_petition, settings):
    from petitions.models import Signature

    settings.SIGN_MIN_SECONDS = 0
    petition = make_petition()
    response = sign(client, petition, name="Evil \u202emodgniK detinU\u202c", town="\u2066Leeds\u2069", public="on")
    assert response.status_code == 302
    signature = Signature.objects.get()
    assert signature.name == "Evil modgniK detinU" and signature.town == "Leeds"


def test_opening_the_signing_address_by_get_leads_to_the_petition(client, make_petition):
    petition = make_petition()
    response = client.get(reverse("petitions:sign", args=[petition.slug]))
    assert response.status_code == 302 and response["Location"] == petition.get_absolute_url()
