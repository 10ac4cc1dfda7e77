"""Share links that leak nothing, and the link previews of case, appeal and petition
pages: Open Graph and Twitter-card tags, and the preview image the site draws."""

import datetime
import io
import re
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from PIL import Image, ImageFont

from lib import cards
from lib.pdf import FONT_DIR
from petitions import services
from petitions.models import Signature

pytestmark = pytest.mark.django_db

SHARE_HOSTS = {"t.me", "api.whatsapp.com", "vk.com", "www.facebook.com", "twitter.com"}


class Tags(HTMLParser):
    """Every start tag's attributes, and the share section's links."""

    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def meta(self, key):
        for tag, attrs in self.tags:
            if tag == "meta" and (attrs.get("property") == key or attrs.get("name") == key):
                return attrs["content"]
        return None

    def share_links(self):
        return [attrs for tag, attrs in self.tags if tag == "a" and "share__link" in attrs.get("class", "")]


def parsed(response):
    assert response.status_code == 200
    tags = Tags()
    tags.feed(response.content.decode())
    return tags


@pytest.fixture
def pages(make_prisoner, make_appeal, make_petition):
    prisoner = make_prisoner(name="Roza Tuletaeva", name_original="Роза Тулетаева")
    return {
        "case": prisoner.get_absolute_url(),
        "appeal": make_appeal(title="Free the oil workers").get_absolute_url(),
        "petition": make_petition(title="Reinstate the KazMinerals workers", goal=100).get_absolute_url(),
    }


@pytest.mark.parametrize("kind", ["case", "appeal", "petition"])
@pytest.mark.parametrize("language", ["", "/ru", "/kk"])
def test_each_share_link_is_a_plain_link_to_the_page_in_the_sharers_language(client, pages, kind, language):
    path = f"{language}{pages[kind]}"
    tags = parsed(client.get(path))
    links = tags.share_links()
    hosts = {urlsplit(link["href"]).netloc for link in links if not link["href"].startswith("mailto:")}
    assert hosts == SHARE_HOSTS
    page_url = f"http://127.0.0.1:8000{path}"
    for link in links:
        href = link["href"]
        query = parse_qs(urlsplit(href).query)
        assert any(page_url in value for values in query.values() for value in values), href
        if href.startswith("mailto:"):
            assert "target" not in link
        else:
            assert link["target"] == "_blank" and link["rel"] == "noopener noreferrer"
    # The address itself, to copy by hand when JavaScript is off.
    assert f'<code class="share__url" id="share-url">{page_url}</code>' in client.get(path).content.decode()


def test_nothing_on_a_page_loads_from_a_share_site(client, pages):
    for path in pages.values():
        tags = parsed(client.get(path))
        for tag, attrs in tags.tags:
            for name in ("src", "srcset", "data"):
                assert not any(host in attrs.get(name, "") for host in SHARE_HOSTS), (path, tag, attrs)
            if tag == "link":
                assert attrs["href"].startswith(("/", "http://127.0.0.1:8000/")), (path, attrs)


def test_the_share_text_is_in_the_pages_language(client, pages):
    tags = parsed(client.get(f"/ru{pages['petition']}"))
    telegram = next(link["href"] for link in tags.share_links() if "t.me" in link["href"])
    assert parse_qs(urlsplit(telegram).query)["text"] == ["Подпишите петицию: Reinstate the KazMinerals workers"]


@pytest.mark.parametrize("kind", ["case", "appeal", "petition"])
def test_pages_carry_open_graph_and_twitter_card_tags_with_absolute_addresses(client, pages, kind):
    tags = parsed(client.get(f"/kk{pages[kind]}"))
    assert tags.meta("og:url") == f"http://127.0.0.1:8000/kk{pages[kind]}"
    assert tags.meta("og:locale") == "kk_KZ"
    assert tags.meta("og:title")
    assert tags.meta("og:site_name") == "Қазақстанмен ынтымақ"
    image = tags.meta("og:image")
    assert image.startswith(f"http://127.0.0.1:8000/kk{pages[kind]}card.png?v=")
    assert tags.meta("twitter:card") == "summary_large_image"
    assert tags.meta("twitter:image") == image
    assert (tags.meta("og:image:width"), tags.meta("og:image:height")) == ("1200", "630")


def test_a_draft_has_no_preview_and_no_card(client, organiser_client, make_petition):
    draft = make_petition(status="draft")
    page = organiser_client.get(draft.get_absolute_url())
    assert page.status_code == 200
    assert "og:image" not in page.content.decode()
    assert "share__link" not in page.content.decode()
    assert client.get(reverse("petitions:card", args=[draft.slug])).status_code == 404


@pytest.mark.parametrize("kind", ["case", "appeal", "petition"])
def test_the_preview_image_is_a_png_of_1200_by_630_kept_for_long(client, pages, kind):
    image_url = parsed(client.get(pages[kind])).meta("og:image").removeprefix("http://127.0.0.1:8000")
    response = client.get(image_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert Image.open(io.BytesIO(response.content)).size == (1200, 630)
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    # An address with an old version is kept only an hour.
    old = client.get(image_url.split("?")[0] + "?v=old")
    assert (old.status_code, old["Cache-Control"]) == (200, "public, max-age=3600")


def test_a_petitions_preview_changes_address_as_its_count_grows(client, make_petition, sign_data, sign):
    petition = make_petition()
    before = parsed(client.get(petition.get_absolute_url())).meta("og:image")
    sign(petition, sign_data())
    services.confirm(Signature.objects.get())
    after = parsed(client.get(petition.get_absolute_url())).meta("og:image")
    assert before != after


def test_the_card_is_drawn_once_per_version(client, make_petition, django_assert_num_queries, monkeypatch):
    petition = make_petition()
    calls = []
    real = cards.draw_card
    monkeypatch.setattr(cards, "draw_card", lambda **kw: calls.append(kw) or real(**kw))
    for _ in range(3):
        assert client.get(reverse("petitions:card", args=[petition.slug])).status_code == 200
    assert len(calls) == 1
    assert calls[0]["highlight"] == "0 signatures"


def test_the_count_on_a_card_is_rounded_to_a_bucket():
    assert [cards.count_bucket(n) for n in (0, 7, 99, 100, 1234, 56789, 1_000_001)] == [
        0,
        7,
        99,
        100,
        1200,
        56000,
        1_000_000,
    ]


def test_the_cards_font_draws_cyrillic_and_kazakh_letters_not_empty_boxes():
    font = ImageFont.truetype(str(FONT_DIR / "DejaVuSans-Bold.ttf"), 40)
    missing = font.getmask("\U000e0001").getbbox()  # a character no font has: the empty box
    for letter in "ЖжЩщӘәҒғҚқҢңӨөҰұҮүҺһІі":
        assert font.getmask(letter).getbbox() != missing, letter
        assert bytes(font.getmask(letter)) != bytes(font.getmask("\U000e0001")), letter


def test_a_kazakh_card_is_drawn(client, make_petition):
    petition = make_petition(title="Жаңаөзен мұнайшыларына бостандық", goal=10)
    response = client.get(f"/kk{reverse('petitions:card', args=[petition.slug])}")
    assert response.status_code == 200
    image = Image.open(io.BytesIO(response.content)).convert("RGB")
    # Dark text was drawn in the title's area (not an empty card).
    title_area = image.crop((72, 140, 1128, 300))
    assert min(pixel[0] for pixel in title_area.getdata()) < 80


def test_a_long_title_is_cut_with_an_ellipsis_not_drawn_off_the_card():
    font = ImageFont.truetype(str(FONT_DIR / "DejaVuSans-Bold.ttf"), 38)
    lines = cards.wrap("слово " * 200, font, 1056, 4)
    assert len(lines) == 4 and lines[-1].endswith("…")
    assert all(font.getlength(line) <= 1056 for line in lines)
    assert cards.wrap("x" * 500, font, 1056, 2)[0].endswith("…")


def test_the_preview_tags_name_no_signer(client, make_petition, sign_data, sign):
    petition = make_petition()
    sign(petition, sign_data(name="Secret Signer", email="secret@example.org", public="on"))
    services.confirm(Signature.objects.get())
    response = client.get(petition.get_absolute_url())
    assert response.status_code == 200
    head = response.content.decode().split("</head>")[0]
    assert "Secret Signer" not in head and "secret@example.org" not in head
    assert not re.search(r"secret", head, re.I)


@pytest.mark.parametrize(
    ("language", "status", "expected"),
    [
        ("", "in_prison", "as of 28 October 2014 (the latest report we have)"),
        ("/ru", "in_prison", "по данным на 28 октября 2014 г. (более поздних сведений у нас нет)"),
        ("/ru", "unknown", "последние сведения, которые у нас есть, — на 28 октября 2014 г."),
        ("", "unknown", "since 28 October 2014, the latest report we have"),
    ],
)
def test_a_cases_card_gives_its_status_with_the_date_of_the_latest_report(
    client, make_prisoner, monkeypatch, language, status, expected
):
    """As on the page: a card pasted years later must not say "In prison" of someone freed since."""
    prisoner = make_prisoner(status=status, status_confirmed_on=datetime.date(2014, 10, 28))
    calls = []
    real = cards.draw_card
    monkeypatch.setattr(cards, "draw_card", lambda **kw: calls.append(kw) or real(**kw))
    response = client.get(f"{language}{reverse('prisoners:card', args=[prisoner.slug])}")
    assert response.status_code == 200
    assert calls[0]["note"] == expected
