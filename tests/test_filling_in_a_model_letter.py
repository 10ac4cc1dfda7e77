import datetime

import pytest

from appeals.letters import PLACEHOLDERS, Sender, fill, numbered, render_letter, unknown_placeholders
from appeals.models import LetterText, Target

TODAY = datetime.date(2026, 11, 22)


def values(**extra):
    return {
        "sender_name": "Jane Doe",
        "sender_organisation": "Unite Leeds",
        "sender_town": "Leeds",
        "sender_country": "United Kingdom",
    } | extra


@pytest.mark.parametrize(
    ("placeholder", "expected"),
    [
        ("sender_name", "Jane Doe"),
        ("sender_organisation", "Unite Leeds"),
        ("sender_town", "Leeds"),
        ("sender_country", "United Kingdom"),
        ("salutation", "Your Excellency,"),
        ("closing", "Yours faithfully,"),
        ("recipient_name", "Nursultan Nazarbayev, President of Kazakhstan"),
        ("demands", "1. Free Natalia Sokolova.\n2. Reinstate the sacked workers."),
        ("date", "22 November 2026"),
    ],
)
def test_every_placeholder_is_filled(placeholder, expected):
    target = Target(name="Nursultan Nazarbayev", organisation="President of Kazakhstan", salutation="Your Excellency,")
    text = LetterText(subject="S", body=f"Before {{{placeholder}}} after")
    letter = render_letter(
        text,
        ["Free Natalia Sokolova.", "Reinstate the sacked workers."],
        Sender("Jane Doe", "Unite Leeds", "Leeds", "United Kingdom"),
        target,
        today=TODAY,
    )
    assert letter.body == f"Before {expected} after"
    assert placeholder in PLACEHOLDERS


def test_the_list_of_placeholders_is_the_documented_one():
    assert set(PLACEHOLDERS) == {
        "salutation",
        "closing",
        "recipient_name",
        "demands",
        "sender_name",
        "sender_organisation",
        "sender_town",
        "sender_country",
        "date",
    }


def test_missing_optional_details_leave_no_dangling_commas_or_blank_lines():
    body = "{sender_name}\n{sender_organisation}\n{sender_town}, {sender_country}\n{date}"
    assert fill(body, values(sender_organisation="", sender_town="", date="1 May")) == "Jane Doe\nUnited Kingdom\n1 May"
    assert fill(body, values(sender_country="", date="1 May")) == "Jane Doe\nUnite Leeds\nLeeds\n1 May"
    assert fill(body, values(sender_town="", sender_country="", sender_organisation="", date="1 May")) == (
        "Jane Doe\n1 May"
    )


def test_an_empty_organisation_inside_a_sentence_leaves_clean_punctuation():
    text = "We, {sender_name}, {sender_organisation}, wish to protest."
    assert fill(text, values(sender_organisation="")) == "We, Jane Doe, wish to protest."
    assert fill(text, values()) == "We, Jane Doe, Unite Leeds, wish to protest."


def test_lines_without_placeholders_and_blank_lines_the_organiser_wrote_are_kept():
    text = "Dear Sirs,\n\n  Indented, as written ,\n\n{sender_town}"
    assert fill(text, values(sender_town="")) == "Dear Sirs,\n\n  Indented, as written ,\n"


def test_values_are_inserted_literally_and_never_read_as_placeholders_or_templates():
    text = "From {sender_name} in {sender_town}"
    result = fill(text, values(sender_name="{sender_town} {{ settings.SECRET_KEY }} %s {0}", sender_town="Aktau"))
    assert result == "From {sender_town} {{ settings.SECRET_KEY }} %s {0} in Aktau"


def test_unknown_placeholders_are_found_and_left_visible():
    text = "Dear {salutation} {sender_nmae} {sender_nmae} {  } {SENDER_NAME}"
    assert unknown_placeholders(text) == ["sender_nmae", "  ", "SENDER_NAME"]
    assert "{sender_nmae}" in fill(text, values())
    assert unknown_placeholders("{sender_name} {demands}") == []


def test_demands_are_numbered_in_order():
    assert numbered(["One.", "Two.", "Three."]) == "1. One.\n2. Two.\n3. Three."


def test_the_salutation_falls_back_when_the_target_has_none():
    text = LetterText(subject="Protest", body="{salutation}\nText")
    letter = render_letter(text, [], Sender("Jane"), Target(name="KazMunayGaz"), today=TODAY)
    assert letter.body.startswith("Dear Sir or Madam,")
    no_one = render_letter(text, [], Sender("Jane"), None, today=TODAY)
    assert no_one.body.startswith("Dear Sir or Madam,") and no_one.to == []


def test_a_subject_is_one_line_whatever_is_typed():
    text = LetterText(subject="Protest from {sender_name}", body="x")
    letter = render_letter(text, [], Sender("Jane\r\nBcc: spy@example.org"), None, today=TODAY)
    assert letter.subject == "Protest from Jane Bcc: spy@example.org"
    assert "\n" not in letter.subject and "\r" not in letter.subject


def test_the_date_is_written_in_the_letters_language():
    text = LetterText(language="ru", subject="Протест", body="{date}")
    assert render_letter(text, [], Sender("Роза"), None, today=TODAY).body == "22 ноября 2026 г."
    text = LetterText(language="kk", subject="Наразылық", body="{date}")
    assert render_letter(text, [], Sender("Роза"), None, today=TODAY).body == "2026 ж. 22 қараша"
    text = LetterText(language="en", subject="Protest", body="{date}")
    assert render_letter(text, [], Sender("Rosa"), None, today=TODAY).body == "22 November 2026"
