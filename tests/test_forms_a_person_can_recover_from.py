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
    form = html[html.index('class="letter-form"') :]
    assert form.index('id="error-summary"') < form.index('name="name"')
    assert 'id="id_name"' in html
    # Focus moves there with a script file (no inline script, the CSP allows none).
    assert re.search(r'<script src="[^"]*error-summary[^"]*\.js" defer></script>', html)
    assert "<script>" not in html


def test_the_error_summary_script_focuses_the_summary(settings):
    from pathlib import Path

    script = (Path(settings.BASE_DIR) / "static" / "js" / "error-summary.js").read_text()
    assert 'getElementById("error-summary")' in script and ".focus()" in script


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
