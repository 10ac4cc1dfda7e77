"""A supporter's letter arrives whole in every language: in the email link where it fits, by
copy-then-open where it does not; to a Kazakh authority when there is no embassy to write to;
and with names in any script printed right in the PDFs."""

import html
import io
import re
from urllib.parse import unquote, urlsplit

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from appeals.letters import MAILTO_LIMIT, WINDOWS_MAILTO_LIMIT, Letter, as_pdf
from appeals.models import Appeal, Target
from lib import pdf
from petitions import documents, services
from petitions.models import Signature

pytestmark = pytest.mark.django_db

LANGUAGES = ["en", "ru", "kk"]
# A country with its own embassy, one served from a neighbour's, one with no entry at all,
# Kazakhstan itself, and none chosen.
COUNTRIES = ["FR", "IS", "DK", "KZ", ""]
SENDER = {"name": "Айгерім Сапарбекова", "organisation": "Жаңаөзен мұнайшылары кәсіподағы", "town": "Жаңаөзен"}

ARABIC = "محمد عبد الله"
HEBREW = "דוד כהן"
KAZAKH = "Әлия Қасымқызы"


@pytest.fixture
def demo():
    call_command("load_demo")
    call_command("load_embassies")


def parse_mailto(url):
    parts = urlsplit(url)
    assert parts.scheme == "mailto"
    headers = {}
    for pair in parts.query.split("&") if parts.query else []:
        name, _, value = pair.partition("=")
        headers[name] = unquote(value)
    return [unquote(a) for a in parts.path.split(",") if a], headers


def attribute(tag, name):
    match = re.search(rf'\s{name}="([^"]*)"', tag)
    return html.unescape(match[1]) if match else None


def letters_on(page):
    """Each letter on the letter page as the supporter gets it: subject, body, the button's
    link (None when hidden), and copy-then-open (None when hidden): its box and its link."""
    letters = []
    for section in page.split('<section class="letter mt-4"')[1:]:
        subject = attribute(
            re.search(r'<input class="form-control" type="text" id="subject-\d+"[^>]*>', section)[0], "value"
        )
        body = html.unescape(
            re.search(r'<textarea class="form-control letter-body"[^>]*>(.*?)</textarea>', section, re.S)[1]
        )
        button = re.search(r'<a class="btn btn-campaign mailto-link"[^>]*>', section)[0]
        details = re.search(r'<details class="copy-then-open[^"]*"([^>]*)>(.*?)</details>', section, re.S)
        fallback = None
        if " hidden" not in details[1]:
            box = html.unescape(
                re.search(r'<textarea class="form-control letter-copy"[^>]*>(.*?)</textarea>', details[2], re.S)[1]
            )
            short = attribute(
                re.search(r'<a class="btn btn-outline-secondary mailto-short"[^>]*>', details[2])[0], "href"
            )
            fallback = {"box": box, "link": short, "open": " open" in details[1]}
        letters.append(
            {
                "subject": subject,
                "body": body,
                "link": None if " hidden" in button else attribute(button, "href"),
                "fallback": fallback,
            }
        )
    return letters


def write(client, appeal, language, country, **sender):
    data = SENDER | {"language": language, "country": country} | sender
    with translation.override(language):
        url = reverse("appeals:letter", args=[appeal.slug])
    response = client.post(url, data)
    assert response.status_code == 200
    return response.content.decode()


def crlf(text):
    return text.replace("\r\n", "\n").replace("\n", "\r\n")


def assert_arrives_whole(letter, to, cc):
    """The button's link carries the whole letter, or copy-then-open is offered with all of it:
    the whole letter in the box, and a link with the addresses and the subject."""
    if letter["link"] is not None:
        got_to, headers = parse_mailto(letter["link"])
        assert got_to == to
        assert headers.get("cc", "") == ",".join(cc)
        assert headers["subject"] == letter["subject"]
        assert headers["body"] == crlf(letter["body"])
        assert len(letter["link"]) <= MAILTO_LIMIT
        if len(letter["link"]) > WINDOWS_MAILTO_LIMIT:
            assert letter["fallback"] is not None, "Chrome and Edge on Windows open nothing from this link"
    else:
        assert letter["fallback"] is not None and letter["fallback"]["open"]
    if letter["fallback"] is not None:
        assert letter["fallback"]["box"] == letter["body"]
        got_to, headers = parse_mailto(letter["fallback"]["link"])
        assert got_to == to
        assert headers.get("cc", "") == ",".join(cc)
        assert headers["subject"] == letter["subject"]
        assert "body" not in headers


def recipients(appeal, country):
    from appeals.services import build_letters

    letter_set = build_letters(appeal, SENDER | {"country": country, "language": "en"})
    return [(letter.to, letter.cc) for letter in letter_set.letters]


# --- the email link --------------------------------------------------------------------------


def test_every_open_demo_appeal_in_every_language_to_every_recipient_arrives_whole(client, demo):
    appeals = list(Appeal.objects.active())
    assert len(appeals) == 4
    for appeal in appeals:
        for country in COUNTRIES:
            expected = recipients(appeal, country)
            for language in LANGUAGES:
                for town in ("", "Жаңаөзен"):
                    letters = letters_on(write(client, appeal, language, country, town=town))
                    assert len(letters) == len(expected), (appeal.slug, country)
                    for letter, (to, cc) in zip(letters, expected, strict=True):
                        assert SENDER["name"] in letter["body"]
                        assert_arrives_whole(letter, to, cc)


def test_every_demo_letter_fits_one_link_in_every_language(client, demo):
    """The campaign's own languages are not the ones whose letters arrive empty: each demo
    letter, Russian and Kazakh too, goes in the button's link whole."""
    for appeal in Appeal.objects.active():
        for language in LANGUAGES:
            for letter in letters_on(write(client, appeal, language, "FR")):
                assert letter["link"] is not None and "body" in parse_mailto(letter["link"])[1]


def test_a_cyrillic_letter_too_long_for_windows_browsers_keeps_its_link_and_offers_copy_then_open(client, make_appeal):
    # About 2,300 characters once encoded: past Chrome's and Edge's 2,046 on Windows.
    appeal = make_appeal(letter="{salutation}\n\n" + "Свободу политзаключённым! " * 15 + "\n\n{sender_name}")
    [letter] = letters_on(write(client, appeal, "en", ""))
    assert WINDOWS_MAILTO_LIMIT < len(letter["link"]) <= MAILTO_LIMIT
    assert letter["fallback"] is not None and not letter["fallback"]["open"]
    assert_arrives_whole(letter, ["info@kmg.kz"], [])
    assert "Nothing opened? Copy the letter, then open the email" in write(client, appeal, "en", "")


def test_a_letter_too_long_for_any_link_is_offered_as_copy_then_open_only(client, make_appeal):
    appeal = make_appeal(
        letter="{salutation}\n\n" + "Свободу политзаключённым!\n\n" * 200 + "{sender_name}", cc=["editor@marxist.com"]
    )
    page = write(client, appeal, "en", "")
    [letter] = letters_on(page)
    assert letter["link"] is None
    assert letter["fallback"]["open"]
    assert_arrives_whole(letter, ["info@kmg.kz"], ["editor@marxist.com"])
    assert letter["fallback"]["box"].count("Свободу политзаключённым!") == 200
    assert "This letter is too long for an email link: copy it, then open the email" in page


def test_copy_then_open_is_there_for_the_script_to_show_but_hidden_when_the_letter_fits(client, make_appeal):
    [letter] = letters_on(write(client, make_appeal(), "en", ""))
    assert letter["link"] is not None and letter["fallback"] is None
    page = write(client, make_appeal(), "en", "")
    assert '<details class="copy-then-open mt-3" hidden>' in page
    assert 'data-limit="6000" data-windows-limit="2046"' in page


def test_the_limits_are_the_measured_ones():
    assert (WINDOWS_MAILTO_LIMIT, MAILTO_LIMIT) == (2046, 6000)
    assert (Letter.mailto_limit, Letter.windows_mailto_limit) == (MAILTO_LIMIT, WINDOWS_MAILTO_LIMIT)


# --- no embassy to write to ------------------------------------------------------------------


def test_a_supporter_in_kazakhstan_writes_to_the_presidents_administration_and_is_told_why(client, demo):
    appeal = Appeal.objects.get(slug="free-maksat-dosmagambetov")
    page = write(client, appeal, "en", "KZ")
    assert "no embassy for Kazakhstan yet" not in page
    assert "You are writing from Kazakhstan, where there is no Kazakhstan embassy to write to" in page
    assert "To Administration of the President of the Republic of Kazakhstan" in page
    assert "Ak-Orda<br>010000 Astana<br>Kazakhstan" in page
    with translation.override("ru"):
        page = write(client, appeal, "ru", "KZ")
    assert "Администрация Президента Республики Казахстан" in page
    assert "Вы пишете из Казахстана" in page
    with translation.override("kk"):
        page = write(client, appeal, "kk", "KZ")
    assert "Қазақстан Республикасы Президентінің Әкімшілігі" in page
    assert "Сіз Қазақстаннан жазып отырсыз" in page


def test_from_kazakhstan_an_appeal_that_already_writes_to_the_president_gets_no_second_letter_there(client, demo):
    appeal = Appeal.objects.get(slug="stop-police-violence-against-strikers")
    page = write(client, appeal, "en", "KZ")
    assert len(letters_on(page)) == 1
    assert "This appeal already writes to the President at Ak-Orda" in page
    assert "Administration of the President of the Republic of Kazakhstan" not in page


def test_a_country_with_no_entry_writes_to_the_foreign_ministry_in_astana_and_is_told_why(client, demo):
    appeal = Appeal.objects.get(slug="free-vadim-kuramshin")
    page = write(client, appeal, "en", "DK")
    assert "no embassy for Denmark yet" not in page
    assert "Our directory has no Kazakhstan embassy for Denmark" in page
    assert "goes to the Ministry of Foreign Affairs in Astana, which directs Kazakhstan's embassies" in page
    assert "To Ministry of Foreign Affairs of the Republic of Kazakhstan" in page
    assert "31 D. Kunaev Street<br>010000 Astana<br>Kazakhstan" in page
    with translation.override("ru"):
        page = write(client, appeal, "ru", "DK")
    assert "направляется в Министерство иностранных дел в Астане" in page
    assert "Министерство иностранных дел Республики Казахстан" in page
    with translation.override("kk"):
        page = write(client, appeal, "kk", "DK")
    assert "Астанадағы Сыртқы істер министрлігіне жіберіледі" in page
    ministry = Target.objects.get(key="kz-foreign-ministry")
    assert ministry.source_url == "http://invest.gov.kz/pages/poryadok-oformleniya-viz"
    assert "build.31, D. Kunaev str." in ministry.notes


def test_a_country_served_from_abroad_writes_to_the_accredited_embassy_and_is_told_so(client, demo):
    page = write(client, Appeal.objects.get(slug="free-vadim-kuramshin"), "en", "IS")
    assert "To Embassy of the Republic of Kazakhstan in the United Kingdom" in page
    assert "Kazakhstan has no embassy in Iceland; its embassy in United Kingdom is accredited to Iceland." in page
    assert "Ministry of Foreign Affairs" not in page


def test_without_the_authorities_in_the_directory_the_page_still_says_there_is_no_embassy_yet(client, make_appeal):
    page = write(client, make_appeal(goes_to_embassy=True), "en", "DK")
    assert "our directory has no embassy for Denmark yet" in page


def test_loading_the_authorities_twice_creates_nothing_twice(demo):
    from appeals import directory

    assert Target.objects.filter(key__in=["kz-presidential-administration", "kz-foreign-ministry"]).count() == 2
    assert directory.load_authorities() == (0, 0, 0)


# --- any script prints right ---------------------------------------------------------------


def glyph_names(data):
    """The names of the glyphs the PDF's embedded fonts hold (fpdf2 embeds the ones it draws)."""
    names = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            descendant = font.get_object()["/DescendantFonts"][0].get_object()
            stream = descendant["/FontDescriptor"].get_object()["/FontFile2"].get_object().get_data()
            names |= set(TTFont(io.BytesIO(stream)).getGlyphOrder())
    return names


def lines_of(data):
    return [line.strip() for page in PdfReader(io.BytesIO(data)).pages for line in page.extract_text().split("\n")]


# Arabic letters joined: the initial, medial and final forms DejaVu Sans draws for
# محمد (meem, hah, meem, dal) and عبد; unshaped, only the isolated letters (U+0645...) print.
JOINED = {"uniFEE3", "uniFEA4", "uniFEE4", "uniFEAA", "uniFECB", "uniFE92"}


def test_an_arabic_hebrew_and_kazakh_name_print_joined_and_in_order_in_the_letter_pdf():
    letter = Letter(
        target=None, subject="Free Maksat Dosmagambetov", body=f"Dear Sir or Madam,\n\n{ARABIC}\n{HEBREW}\n{KAZAKH}"
    )
    data = as_pdf(letter)
    assert glyph_names(data) >= JOINED
    lines = lines_of(data)
    # In reading order: unshaped, the PDF holds the letters left to right and they read backwards.
    assert ARABIC in lines and HEBREW in lines and KAZAKH in lines


def test_the_letter_pdf_from_the_page_prints_an_arabic_name_joined(client, make_appeal):
    appeal = make_appeal()
    data = {"name": ARABIC, "organisation": HEBREW, "town": "Aktau", "country": "", "language": "en"}
    response = client.post(reverse("appeals:letter_pdf", args=[appeal.slug]), data)
    assert response["Content-Type"] == "application/pdf"
    assert glyph_names(response.content) >= JOINED


def test_an_arabic_hebrew_and_kazakh_name_print_joined_and_in_order_in_the_hand_over_pack(make_petition):
    petition = make_petition(title="Reinstate Berik Zhakiparov")
    for name, email in ((ARABIC, "a@example.org"), (HEBREW, "h@example.org"), (KAZAKH, "k@example.org")):
        signature = Signature.objects.create(
            petition=petition,
            name=name,
            email=email,
            email_hash=services.email_fingerprint(email),
            country="GB",
            public=True,
        )
        services.confirm(signature)
    data = documents.pack_pdf(petition)
    assert glyph_names(data) >= JOINED
    lines = lines_of(data)
    # Each row starts with its number in the list (the digest's rows), then the name.
    names = {re.sub(r"^\d+", "", line).strip() for line in lines}
    assert ARABIC in names and HEBREW in names and KAZAKH in names
    assert any("page 1 of 1" in line for line in lines)  # the page count still fills in


def test_only_text_in_a_joined_or_right_to_left_script_is_shaped():
    assert pdf.needs_shaping(ARABIC) and pdf.needs_shaping(HEBREW) and pdf.needs_shaping("नमस्ते")
    assert not pdf.needs_shaping(KAZAKH) and not pdf.needs_shaping("Roza Tuletaeva — Роза Тулетаева")
