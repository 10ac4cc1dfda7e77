"""Atom feeds of case news (all cases, and one per prisoner), new appeals and new
petitions, linked from the pages. Parsed as Atom, as a reader would."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from prisoners.models import CaseEvent

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def feed(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    return root


def entries(root):
    return [
        {
            "title": entry.findtext(f"{ATOM}title"),
            "link": entry.find(f"{ATOM}link").get("href"),
            "id": entry.findtext(f"{ATOM}id"),
            "summary": entry.findtext(f"{ATOM}summary"),
            "published": entry.findtext(f"{ATOM}published"),
            "updated": entry.findtext(f"{ATOM}updated"),
        }
        for entry in root.findall(f"{ATOM}entry")
    ]


def test_the_case_news_feed_gives_every_published_cases_new_events_newest_added_first(client, make_prisoner):
    roza = make_prisoner(name="Roza Tuletaeva", slug="roza")
    hidden = make_prisoner(name="Not Yet Public", is_published=False)
    CaseEvent.objects.create(prisoner=roza, date=datetime.date(2012, 6, 7), kind="sentence", text="Seven years.")
    CaseEvent.objects.create(prisoner=hidden, date=datetime.date(2013, 1, 1), kind="trial", text="Secret.")
    late = CaseEvent.objects.create(
        prisoner=roza, date=datetime.date(2012, 3, 1), kind="hunger_strike", text="Hunger strike in the colony."
    )
    root = feed(client, reverse("prisoners:feed"))
    assert root.findtext(f"{ATOM}title") == "Kazakhstan Solidarity: news of the cases"
    assert root.find(f"{ATOM}author").findtext(f"{ATOM}name") == "Kazakhstan Solidarity"
    found = entries(root)
    # The event added last comes first, though it is dated earlier: it is the news.
    assert [e["title"] for e in found] == [
        "Roza Tuletaeva: Hunger strike, 1 March 2012",
        "Roza Tuletaeva: Sentence, 7 June 2012",
    ]
    assert found[0]["link"] == f"http://127.0.0.1:8000/prisoners/roza/#event-{late.pk}"
    assert "Hunger strike in the colony." in found[0]["summary"]
    assert found[0]["published"].startswith("2012-03-01T00:00:00")
    assert len({e["id"] for e in found}) == 2


def test_every_feed_has_what_atom_requires(client, make_prisoner, make_appeal, make_petition):
    """RFC 4287: a feed and each entry have exactly one id, title and updated (a date-time
    with its zone), and a feed without an author in each entry has its own."""
    prisoner = make_prisoner(events=2)
    make_appeal()
    make_petition()
    urls = [
        reverse("prisoners:feed"),
        reverse("prisoners:prisoner_feed", args=[prisoner.slug]),
        reverse("appeals:feed"),
        reverse("petitions:feed"),
    ]
    for url in urls:
        root = feed(client, url)
        for element in [root, *root.findall(f"{ATOM}entry")]:
            for name in ("id", "title", "updated"):
                assert len(element.findall(f"{ATOM}{name}")) == 1, (url, name)
            datetime.datetime.fromisoformat(element.findtext(f"{ATOM}updated")).utcoffset()  # a zone
        assert root.find(f"{ATOM}author") is not None, url
        assert root.findall(f"{ATOM}entry"), url


def test_an_event_added_today_is_updated_today_whatever_its_date(client, make_prisoner):
    """Readers sort by <updated>: last year's trial entered today must not sort as last year."""
    roza = make_prisoner(slug="roza")
    CaseEvent.objects.create(prisoner=roza, date=datetime.date(2012, 6, 7), kind="trial", text="The trial.")
    for url in (reverse("prisoners:feed"), reverse("prisoners:prisoner_feed", args=[roza.slug])):
        (entry,) = entries(feed(client, url))
        assert entry["published"].startswith("2012-06-07")
        updated = datetime.datetime.fromisoformat(entry["updated"])
        assert abs(updated - datetime.datetime.now(datetime.UTC)) < datetime.timedelta(minutes=5)


def test_a_prisoners_feed_holds_only_that_case(client, make_prisoner):
    roza = make_prisoner(name="Roza Tuletaeva", events=2)
    make_prisoner(name="Someone Else", events=3)
    root = feed(client, reverse("prisoners:prisoner_feed", args=[roza.slug]))
    assert root.findtext(f"{ATOM}title") == "Roza Tuletaeva: news of the case"
    assert len(entries(root)) == 2
    assert all(e["title"].startswith("Roza Tuletaeva:") for e in entries(root))
    self_link = [link.get("href") for link in root.findall(f"{ATOM}link") if link.get("rel") == "self"]
    assert self_link == [f"http://127.0.0.1:8000/prisoners/{roza.slug}/feed.atom"]


def test_an_unpublished_case_has_no_feed(client, make_prisoner):
    hidden = make_prisoner(is_published=False, events=1)
    assert client.get(reverse("prisoners:prisoner_feed", args=[hidden.slug])).status_code == 404


def test_the_appeals_feed_gives_new_appeals_but_no_draft(client, make_appeal):
    make_appeal(title="Older appeal")
    make_appeal(title="Hands off the strikers")
    make_appeal(title="A draft", status="draft")
    found = entries(feed(client, reverse("appeals:feed")))
    assert [e["title"] for e in found] == ["Hands off the strikers", "Older appeal"]
    assert found[0]["link"].startswith("http://127.0.0.1:8000/appeals/")


def test_the_petitions_feed_gives_new_petitions_but_no_draft_and_no_signer(client, make_petition, sign_data, sign):
    petition = make_petition(title="Reinstate the workers", summary="For the sacked copper workers.")
    make_petition(title="A draft", status="draft")
    sign(petition, sign_data(name="Secret Signer", email="secret@example.org"))
    response = client.get(reverse("petitions:feed"))
    assert response.status_code == 200
    assert b"Secret Signer" not in response.content and b"secret@example.org" not in response.content
    found = entries(feed(client, reverse("petitions:feed")))
    assert [e["title"] for e in found] == ["Reinstate the workers"]
    assert "For the sacked copper workers." in found[0]["summary"]


def test_a_feed_in_russian_links_to_russian_pages(client, make_prisoner):
    roza = make_prisoner(events=1)
    root = feed(client, f"/ru{reverse('prisoners:feed')}")
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "ru"
    assert root.findtext(f"{ATOM}title") == "Солидарность с Казахстаном: новости дел"
    assert entries(root)[0]["link"].startswith(f"http://127.0.0.1:8000/ru/prisoners/{roza.slug}/")


def test_pages_link_their_feeds(client, make_prisoner, make_appeal, make_petition):
    prisoner, appeal, petition = make_prisoner(), make_appeal(), make_petition()
    expected = {
        # The home page, the address people give a feed reader, offers all three.
        reverse("home"): [reverse("prisoners:feed"), reverse("appeals:feed"), reverse("petitions:feed")],
        reverse("prisoners:list"): [reverse("prisoners:feed")],
        prisoner.get_absolute_url(): [
            reverse("prisoners:prisoner_feed", args=[prisoner.slug]),
            reverse("prisoners:feed"),
        ],
        reverse("appeals:list"): [reverse("appeals:feed")],
        appeal.get_absolute_url(): [reverse("appeals:feed")],
        reverse("petitions:list"): [reverse("petitions:feed")],
        petition.get_absolute_url(): [reverse("petitions:feed")],
    }
    for page, feeds in expected.items():
        response = client.get(page)
        assert response.status_code == 200
        html = response.content.decode()
        for url in feeds:
            assert f'<link rel="alternate" type="application/atom+xml" href="{url}"' in html, (page, url)
            assert client.get(url).status_code == 200
