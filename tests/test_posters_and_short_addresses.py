"""Posters for pickets (A4 and A3 PDFs) with a QR code to each petition's and appeal's
short address (/p/<id>, /a/<id>), which opens the page in the address's language."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

pytestmark = pytest.mark.django_db

MM = 72 / 25.4


def pdf(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return PdfReader(io.BytesIO(response.content))


def text_of(reader):
    """The words of the PDF, one space between each, however the lines were broken."""
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_a_short_address_opens_the_petition_in_the_addresses_language(client, make_petition):
    petition = make_petition()
    page = f"/petitions/{petition.slug}/"
    response = client.get(f"/p/{petition.pk}")
    assert (response.status_code, response["Location"]) == (302, page)
    response = client.get(f"/kk/p/{petition.pk}")
    assert (response.status_code, response["Location"]) == (302, f"/kk{page}")


def test_a_short_address_opens_the_appeal(client, make_appeal):
    appeal = make_appeal()
    response = client.get(f"/ru/a/{appeal.pk}")
    assert (response.status_code, response["Location"]) == (302, f"/ru/appeals/{appeal.slug}/")


def test_a_drafts_short_address_and_poster_are_not_found(client, make_petition, make_appeal):
    petition, appeal = make_petition(status="draft"), make_appeal(status="draft")
    for url in (
        f"/p/{petition.pk}",
        f"/a/{appeal.pk}",
        reverse("petitions:poster", args=[petition.slug]),
        reverse("appeals:poster", args=[appeal.slug]),
        "/p/999999",
        "/p/99999999999999999999999999",  # past any database integer
    ):
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize(("size", "width_mm", "height_mm"), [("", 210, 297), ("a3", 297, 420)])
def test_a_petition_poster_has_the_title_and_the_short_address(client, make_petition, size, width_mm, height_mm):
    petition = make_petition(title="Reinstate the KazMinerals workers")
    url = reverse("petitions:poster", args=[petition.slug]) + (f"?size={size}" if size else "")
    reader = pdf(client.get(url))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width) / MM), round(float(box.height) / MM)) == (width_mm, height_mm)
    text = text_of(reader)
    assert "Reinstate the KazMinerals workers" in text
    assert f"127.0.0.1:8000/p/{petition.pk}" in text
    assert "Sign the petition" in text
    assert "/XObject" in str(reader.pages[0]["/Resources"])  # the QR code's image


def test_an_appeal_poster_in_kazakh_prints_kazakh_letters(client, make_appeal):
    appeal = make_appeal(title="Жаңаөзен мұнайшыларына бостандық")
    reader = pdf(client.get(f"/kk{reverse('appeals:poster', args=[appeal.slug])}"))
    text = text_of(reader)
    assert "Жаңаөзен мұнайшыларына бостандық" in text
    assert f"127.0.0.1:8000/kk/a/{appeal.pk}" in text


def test_a_long_title_still_fits_one_poster_page(client, make_petition):
    petition = make_petition(title="Solidarity " * 18, slug="long")
    reader = pdf(client.get(reverse("petitions:poster", args=[petition.slug])))
    assert len(reader.pages) == 1


def test_the_pages_offer_the_posters_and_the_short_address(client, make_petition, make_appeal):
    petition, appeal = make_petition(), make_appeal()
    for page, poster, short in (
        (petition.get_absolute_url(), reverse("petitions:poster", args=[petition.slug]), f"/p/{petition.pk}"),
        (appeal.get_absolute_url(), reverse("appeals:poster", args=[appeal.slug]), f"/a/{appeal.pk}"),
    ):
        response = client.get(page)
        assert response.status_code == 200
        html = response.content.decode()
        assert f'href="{poster}"' in html and f'href="{poster}?size=a3"' in html
        assert f">http://127.0.0.1:8000{short}</a>" in html


def test_a_closed_petition_offers_no_poster_to_collect_signatures(client, make_petition):
    petition = make_petition(status="closed")
    response = client.get(petition.get_absolute_url())
    assert response.status_code == 200
    assert reverse("petitions:poster", args=[petition.slug]) not in response.content.decode()
    # Nor at its address: no poster saying "Sign the petition" of one that takes no signatures.
    assert client.get(reverse("petitions:poster", args=[petition.slug])).status_code == 404
    # The short address on posters printed before still leads to the page, which says it is closed.
    assert client.get(f"/p/{petition.pk}")["Location"] == petition.get_absolute_url()


def test_a_closed_appeal_has_no_poster_asking_for_letters(client, make_appeal):
    appeal = make_appeal(status="closed")
    response = client.get(appeal.get_absolute_url())
    assert response.status_code == 200
    assert reverse("appeals:poster", args=[appeal.slug]) not in response.content.decode()
    assert client.get(reverse("appeals:poster", args=[appeal.slug])).status_code == 404
    assert client.get(f"/a/{appeal.pk}")["Location"] == appeal.get_absolute_url()


def test_a_posters_title_is_set_flush_left_not_stretched_across_the_line(client, make_petition):
    # Justified, a few big words per line leave gaps a hand wide ("work,      reinstate"):
    # fpdf2 then shows each line as a TJ array with the stretch between the words.
    petition = make_petition(title="KazMinerals: decent wages, safe work, reinstate Erlan Tabinov")
    reader = pdf(client.get(reverse("petitions:poster", args=[petition.slug])))
    content = reader.pages[0].get_contents().get_data().decode("latin-1")
    assert "] TJ" not in content
