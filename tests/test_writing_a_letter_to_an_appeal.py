import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from appeals.models import Appeal, LetterText, Target

pytestmark = pytest.mark.django_db


def post_letter(client, appeal, url_name="appeals:letter", **data):
    data = {
        "name": "Jane Doe",
        "organisation": "Unite Leeds",
        "town": "Leeds",
        "country": "GB",
        "language": "en",
    } | data
    return client.post(reverse(url_name, args=[appeal.slug]), data)


def test_the_appeal_page_shows_background_demands_deadline_recipients_and_the_form(client, make_appeal):
    import datetime

    appeal = make_appeal(
        background="Natalia Sokolova was sentenced to 6 years.",
        deadline=datetime.date(2030, 12, 16),
        demands=["Immediate reinstatement of all sacked workers.", "An increase in workers’ wages."],
        cc=["editor@marxist.com"],
    )
    page = client.get(appeal.get_absolute_url()).content.decode()
    for text in [
        "Natalia Sokolova was sentenced to 6 years.",
        "Immediate reinstatement of all sacked workers.",
        "16 December 2030",
        "Kabanbye-batur 19",
        "info@kmg.kz",
        "+7 (7172) 97 60 00",
        "editor@marxist.com",
        'name="name"',
        "No letters counted yet",
    ]:
        assert text in page


def test_the_letter_is_addressed_signed_and_lists_the_demands(client, make_appeal):
    appeal = make_appeal(demands=["Free Natalia Sokolova.", "Reinstate all sacked workers."])
    response = post_letter(client, appeal)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Dear Sir or Madam,\n\nWe, Jane Doe, Unite Leeds, protest. We demand:\n\n" in page
    assert "1. Free Natalia Sokolova.\n2. Reinstate all sacked workers." in page
    assert "Jane Doe\nUnite Leeds\nLeeds, United Kingdom\n" in page
    assert "Kabanbye-batur 19" in page and "info@kmg.kz" in page and "+7 (7172) 97 60 00" in page


def test_a_name_is_required_and_the_error_says_so(client, make_appeal):
    appeal = make_appeal()
    response = post_letter(client, appeal, name="  ")
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()


def test_a_name_with_a_line_break_is_refused_clearly(client, make_appeal):
    response = post_letter(client, make_appeal(), name="Jane\r\nBcc: spy@example.org")
    assert response.status_code == 400
    assert "single line" in response.content.decode()


def test_a_made_up_country_is_refused_with_a_message(client, make_appeal):
    response = post_letter(client, make_appeal(), country="XX<script>")
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_only_the_name_is_needed(client, make_appeal):
    response = post_letter(client, make_appeal(), organisation="", town="", country="")
    page = response.content.decode()
    assert response.status_code == 200
    assert "We, Jane Doe, protest." in page
    assert "Jane Doe\n" in page and ", ," not in page


def test_each_recipient_gets_its_own_salutation(client, make_appeal):
    president = Target.objects.create(
        kind="head_of_state",
        name="Nursultan Nazarbayev",
        postal_address="010000, Astana, Ak-Orda",
        salutation="Your Excellency,",
    )
    company = Target.objects.create(kind="company", name="KazMunayGaz", email="info@kmg.kz", salutation="Dear Sirs,")
    appeal = make_appeal(to=[president, company])
    page = post_letter(client, appeal).content.decode()
    assert "Your Excellency,\n\nWe, Jane Doe" in page
    assert "Dear Sirs,\n\nWe, Jane Doe" in page
    assert "010000, Astana, Ak-Orda" in page
    assert "We have no email address for this recipient" in page  # the president: by post
    # ...or by email to an address the supporter adds: every letter has its link.
    assert page.count('class="btn btn-campaign mailto-link" href="mailto:?subject=') == 1
    assert page.count('class="btn btn-campaign mailto-link" href="mailto:info@kmg.kz?') == 1


def test_a_recipient_with_no_address_at_all_still_gets_a_letter_to_send(client, make_appeal):
    government = Target.objects.create(kind="government", name="The government of Kazakhstan")
    appeal = make_appeal(to=[government], cc=["kazakhstansolidarity@gmail.com"])
    page = post_letter(client, appeal).content.decode()
    assert "We have no address for this recipient" in page
    assert 'href="mailto:?cc=kazakhstansolidarity@gmail.com&amp;subject=' in page


def test_the_embassy_for_the_chosen_country_is_added(client, make_appeal, make_embassy):
    make_embassy("FR", name="Ambassade du Kazakhstan", email="kazakhstan.france@example.org", salutation="Excellence,")
    make_embassy("DE", name="Botschaft der Republik Kasachstan")
    appeal = make_appeal(goes_to_embassy=True)
    page = post_letter(client, appeal, country="FR").content.decode()
    assert "Ambassade du Kazakhstan" in page and "kazakhstan.france@example.org" in page
    assert "Excellence,\n\nWe, Jane Doe" in page
    assert "Botschaft" not in page


def test_when_the_directory_has_no_embassy_for_the_country_the_page_says_so(client, make_appeal, make_embassy):
    make_embassy("FR")
    page = post_letter(client, make_appeal(goes_to_embassy=True), country="BR").content.decode()
    assert "our directory has no embassy for Brazil yet" in page
    assert reverse("appeals:embassies") in page


def test_without_a_country_the_page_points_to_the_directory(client, make_appeal):
    page = post_letter(client, make_appeal(goes_to_embassy=True), country="").content.decode()
    assert "You did not choose a country" in page


def test_the_supporter_gets_the_letter_in_the_language_they_choose(client, make_appeal):
    appeal = make_appeal()
    LetterText.objects.create(
        appeal=appeal,
        language="ru",
        subject="Протест",
        body="{salutation}\n\nМы, {sender_name}, требуем:\n{demands}\n{sender_country}",
    )
    form = client.get(appeal.get_absolute_url()).content.decode()
    assert '<option value="ru">Russian</option>' in form and 'name="language"' in form
    page = post_letter(client, appeal, language="ru", name="Роза").content.decode()
    assert "Мы, Роза, требуем:" in page
    assert "Великобритания" in page  # the sender's country named in the letter's language
    assert "We, Роза" not in page


def test_a_get_to_the_letter_address_is_not_allowed(client, make_appeal):
    assert client.get(reverse("appeals:letter", args=[make_appeal().slug])).status_code == 405


def test_draft_appeals_are_not_public(client, make_appeal):
    draft = make_appeal(status=Appeal.Status.DRAFT, title="Secret draft")
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert post_letter(client, draft).status_code == 404
    assert "Secret draft" not in client.get(reverse("appeals:list")).content.decode()


def test_the_text_download_is_the_edited_letter_with_the_address(client, make_appeal):
    appeal = make_appeal()
    response = post_letter(
        client, appeal, "appeals:letter_txt", recipient="0", subject="Free them", body="My own words\nЖаңаөзен"
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    text = response.content.decode("utf-8")
    assert "Kabanbye-batur 19" in text and "Free them" in text and "My own words\r\nЖаңаөзен" in text


def test_the_pdf_download_holds_the_letter_in_cyrillic_and_kazakh(client, make_appeal):
    appeal = make_appeal()
    body = "Свободу Наталье Соколовой!\nЖаңаөзен: ә ғ қ ң ө ұ ү һ і\n<script>&amp;\nSolidarity ✊🏽 🇫🇷 \u202eevil"
    response = post_letter(client, appeal, "appeals:letter_pdf", recipient="0", subject="Протест", body=body)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert len(reader.pages) == 1
    for expected in [
        "Свободу Наталье Соколовой!",
        "Жаңаөзен: ә ғ қ ң ө ұ ү һ і",
        "<script>&amp;",
        "Протест",
        "KazMunayGaz",
    ]:
        assert expected in text


def test_a_download_with_a_recipient_that_is_not_there_is_refused(client, make_appeal):
    response = post_letter(client, make_appeal(), "appeals:letter_txt", recipient="7", subject="S", body="B")
    assert response.status_code == 400
    assert "That recipient is not on this appeal." in response.content.decode()


def test_writing_a_letter_stores_nothing_and_the_page_is_not_cached(client, make_appeal):
    from appeals.models import LetterSent

    response = post_letter(client, make_appeal(), name="Jane Doe")
    assert not LetterSent.objects.exists()
    assert "no-store" in response["Cache-Control"]


def test_an_unknown_language_falls_back_to_english(client, make_appeal):
    response = post_letter(client, make_appeal(), language="xx<script>")
    assert response.status_code == 200
    assert "We, Jane Doe, Unite Leeds, protest." in response.content.decode()


def test_the_letter_page_has_no_inline_script_or_style_for_the_content_security_policy(client, make_appeal):
    import re

    page = post_letter(client, make_appeal()).content.decode()
    scripts = re.findall(r"<script[^>]*>", page)
    assert scripts and all('src="/static/js/' in tag for tag in scripts)
    assert " style=" not in page


def test_the_country_list_follows_the_page_language(client, make_appeal):
    appeal = make_appeal()
    path = appeal.get_absolute_url()  # English: at the root
    english = client.get(path).content.decode()
    russian = client.get(f"/ru{path}").content.decode()
    kazakh = client.get(f"/kk{path}").content.decode()
    assert '<option value="GB">United Kingdom</option>' in english
    assert '<option value="GB">Великобритания</option>' in russian
    assert '<option value="GB">Ұлыбритания</option>' in kazakh
