import io

import pytest
import qrcode
from django.urls import reverse
from pypdf import PdfReader

from petitions.documents import MIN_ROWS, petition_url

pytestmark = pytest.mark.django_db


def text_of(data):
    reader = PdfReader(io.BytesIO(data))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def squashed(text):
    return " ".join(text.split())


def sheet(client, petition):
    response = client.get(reverse("petitions:sheet", args=[petition.slug]))
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/pdf"
    return response


def test_the_sheet_is_one_a4_page_with_the_petition_numbered_rows_and_the_privacy_notice(
    client, make_petition, settings
):
    settings.SITE_URL = "https://solidarity.example.org"
    petition = make_petition(
        title="Reinstate the Zhanaozen oil workers",
        text="We call on the company to reinstate every worker dismissed for striking.",
        addressed_to="KazMunayGas, Astana",
    )
    reader, text = text_of(sheet(client, petition).content)
    assert len(reader.pages) == 1
    width, height = (float(v) for v in reader.pages[0].mediabox[2:])
    assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == (210, 297)
    flat = squashed(text)
    assert "Reinstate the Zhanaozen oil workers" in flat
    assert "To: KazMunayGas, Astana" in flat
    assert "We call on the company to reinstate every worker dismissed for striking." in flat
    assert f"https://solidarity.example.org/petitions/{petition.slug}/" in flat
    for heading in ["No.", "Name", "Organisation or trade union", "Town, country", "Signature"]:
        assert heading in flat
    assert "Tick to list my name publicly" in flat
    numbers = [line.strip() for line in text.splitlines()]
    assert all(str(n) in numbers for n in range(1, MIN_ROWS + 5))
    assert "you are counted but never named" in flat
    assert "printed in the petition handed to KazMunayGas, Astana" in flat
    assert "This sheet asks for no email or postal address" in flat


def test_the_qr_code_holds_the_address_of_the_online_petition(client, make_petition, settings):
    settings.SITE_URL = "https://solidarity.example.org"
    petition = make_petition()
    reader, _text = text_of(sheet(client, petition).content)
    (image,) = reader.pages[0].images
    picture = image.image.convert("L")

    # The same code made independently: every module of the printed one must match it.
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2)
    code.add_data(f"https://solidarity.example.org/petitions/{petition.slug}/")
    code.make(fit=True)
    matrix = code.get_matrix()
    box = picture.width / len(matrix)
    printed = [
        [picture.getpixel((int((x + 0.5) * box), int((y + 0.5) * box))) < 128 for x in range(len(matrix))]
        for y in range(len(matrix))
    ]
    assert printed == matrix
    assert petition_url(petition) == f"https://solidarity.example.org/petitions/{petition.slug}/"


def test_cyrillic_and_kazakh_text_is_printed(client, make_petition):
    petition = make_petition(
        title="Қазақстандағы саяси тұтқындарға бостандық",
        text="Свободу Розе Тулетаевой и Вадиму Курамшину!\nӘділет: ә ғ қ ң ө ұ ү һ і",
        addressed_to="Посольство Республики Казахстан",
    )
    _reader, text = text_of(sheet(client, petition).content)
    flat = squashed(text)
    assert "Қазақстандағы саяси тұтқындарға бостандық" in flat
    assert "Свободу Розе Тулетаевой и Вадиму Курамшину!" in flat
    assert "Әділет: ә ғ қ ң ө ұ ү һ і" in flat
    assert "Посольство Республики Казахстан" in flat


def test_a_petition_that_lists_nobody_has_no_tick_box_and_says_so(client, make_petition):
    petition = make_petition(list_signers=False)
    _reader, text = text_of(sheet(client, petition).content)
    flat = squashed(text)
    assert "Tick to list my name publicly" not in flat
    assert "Signers of this petition are counted, never named in public." in flat


def test_a_long_text_puts_the_rows_on_a_page_of_their_own_under_the_title(client, make_petition):
    petition = make_petition(title="Free Roza", text="We demand the release of Roza Tuletaeva. " * 330)
    reader, _text = text_of(sheet(client, petition).content)
    assert len(reader.pages) >= 2
    last = squashed(reader.pages[-1].extract_text())
    assert "Petition: Free Roza" in last
    assert "Signature" in last
    assert "1 2 3 4 5 6 7 8" in last


def test_the_petition_page_links_to_the_sheet_and_an_edit_makes_a_fresh_one(client, make_petition):
    petition = make_petition(title="Free Natalia Sokolova")
    page = client.get(petition.get_absolute_url())
    assert reverse("petitions:sheet", args=[petition.slug]) in page.content.decode()
    assert "Free Natalia Sokolova" in text_of(sheet(client, petition).content)[1]
    petition.title = "Free Natalia Sokolova now"
    petition.save()
    assert "Free Natalia Sokolova now" in squashed(text_of(sheet(client, petition).content)[1])


def test_a_closed_petition_has_no_sheet_and_a_draft_has_none_for_visitors(client, make_petition, organiser):
    closed = make_petition(status="closed")
    assert client.get(reverse("petitions:sheet", args=[closed.slug])).status_code == 410
    draft = make_petition(status="draft")
    assert client.get(reverse("petitions:sheet", args=[draft.slug])).status_code == 404
    client.force_login(organiser)
    response = sheet(client, draft)
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]


def test_the_sheet_opens_in_the_browsers_pdf_viewer_and_cannot_be_framed_by_other_sites(client, make_petition):
    response = sheet(client, make_petition())
    assert response["Content-Disposition"].startswith("inline;")
    # The site's policy (object-src 'none') would block Chrome's viewer.
    assert response["Content-Security-Policy"] == "frame-ancestors 'self'"
    assert response["X-Frame-Options"] == "SAMEORIGIN"
