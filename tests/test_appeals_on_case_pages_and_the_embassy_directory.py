import pytest
from django.urls import reverse

from appeals.models import Appeal

pytestmark = pytest.mark.django_db


def test_a_prisoners_case_page_lists_the_public_appeals_about_them(client, make_prisoner, make_appeal):
    prisoner = make_prisoner(name="Natalia Sokolova")
    active = make_appeal(title="Free Natalia Sokolova")
    closed = make_appeal(title="Old appeal", status=Appeal.Status.CLOSED)
    draft = make_appeal(title="Draft appeal", status=Appeal.Status.DRAFT)
    other = make_appeal(title="About someone else")
    for appeal in (active, closed, draft):
        appeal.prisoners.add(prisoner)
    page = client.get(prisoner.get_absolute_url()).content.decode()
    assert active.get_absolute_url() in page and closed.get_absolute_url() in page
    assert "Draft appeal" not in page and other.title not in page


def test_the_appeal_page_links_its_published_prisoners_only(client, make_prisoner, make_appeal):
    appeal = make_appeal()
    appeal.prisoners.add(
        make_prisoner(name="Roza Tuletaeva"), make_prisoner(name="Unpublished Person", is_published=False)
    )
    page = client.get(appeal.get_absolute_url()).content.decode()
    assert "Roza Tuletaeva" in page and "Unpublished Person" not in page


def test_the_embassy_directory_lists_embassies_by_country(client, make_embassy):
    make_embassy("FR", name="Ambassade du Kazakhstan", postal_address="59 rue Example\nParis")
    make_embassy("DE", name="Botschaft der Republik Kasachstan")
    page = client.get(reverse("appeals:embassies")).content.decode()
    assert page.index("France") < page.index("Germany")
    only_france = client.get(reverse("appeals:embassies"), {"country": "fr"}).content.decode()
    assert "Ambassade du Kazakhstan" in only_france and "Botschaft" not in only_france


def test_the_directory_says_plainly_when_it_has_no_embassy_for_a_country(client, make_embassy):
    make_embassy("FR")
    page = client.get(reverse("appeals:embassies"), {"country": "BR"}).content.decode()
    assert "We have no embassy for Brazil in the directory yet." in page


def test_the_directory_ignores_a_nonsense_country(client, make_embassy):
    make_embassy("FR")
    response = client.get(reverse("appeals:embassies"), {"country": "<script>"})
    assert response.status_code == 200
    assert "<script>" not in response.content.decode().split("<main", 1)[1]


def test_the_navigation_links_to_the_appeals(client):
    page = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("appeals:list")}"' in page
