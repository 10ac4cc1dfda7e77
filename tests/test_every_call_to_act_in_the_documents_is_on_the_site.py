"""Every call to act in the five documents is an appeal, a petition or a section of the "More
ways to act" page, naming the document it came from (docs/sources.md)."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from appeals.models import Appeal
from petitions.models import Petition

pytestmark = pytest.mark.django_db

APPEALS = {
    "C3": ("hands-off-roza-tuletaeva", "24 April 2013"),
    "C5": ("write-to-the-kazakh-government-release-the-jailed-oil-workers", "9 August 2012"),
    "C9": ("stop-police-violence-against-strikers", "LabourStart"),
    "C11": ("oil-workers-model-letter-of-protest", "International solidarity urgently needed!"),
    "C14": ("zhanaozen-third-anniversary", "8 December 2014"),
    "C15": ("free-maksat-dosmagambetov", "8 December 2014"),
    "C18": ("free-vadim-kuramshin", "28 October 2014"),
    "C23": ("bar-council-business-mission-to-kazakhstan", "9 April 2015"),
}
PETITIONS = {"C4": "review-the-oil-workers-sentences", "C13": "kazminerals-workers-demands"}
ON_THE_PAGE = {
    "C1": "a solidarity fund that can assist the workers’ families",
    "C6": "demand that the British government takes action too",
    "C8": "62 South Audley Street",
    "C10": "We appeal to the world working class",
    "C12": "qybrai@list.ru",
    "C14": "outside Kazakhstan embassies or other points of Kazakh interest",
    "C17": "raise money for legal and other aid",
    "C19": "including Tony and Cherie Blair",
    "C20": "expose the multinational companies",
    "C21": "Can you take a simple resolution to your trade union branch",
    "C22": "Help us continue to campaign in solidarity",
    "C24": "full rehabilitation of the convicted members",
}


@pytest.fixture
def demo():
    call_command("load_demo")


def test_every_call_to_write_is_an_appeal_naming_its_document(client, demo):
    for call, (slug, document) in APPEALS.items():
        appeal = Appeal.objects.get(slug=slug)
        assert document in appeal.source_note or document in appeal.summary, call
        response = client.get(appeal.get_absolute_url())
        assert response.status_code == 200, call


def test_every_call_to_sign_is_a_petition(demo):
    for call, slug in PETITIONS.items():
        assert Petition.objects.filter(slug=slug).exists(), call


def test_the_other_calls_are_quoted_on_the_more_ways_to_act_page(client):
    response = client.get(reverse("more_ways_to_act"))
    html = response.content.decode()
    assert response.status_code == 200
    for call, words in ON_THE_PAGE.items():
        assert words in html, call
    assert "Socialism Today, 28 October 2014" in html


def test_the_2014_call_to_write_to_embassies_for_vadim_kuramshin_goes_to_the_embassy(client, demo):
    appeal = Appeal.objects.get(slug="free-vadim-kuramshin")
    assert appeal.status == "active" and appeal.goes_to_embassy
    assert appeal.prisoners.filter(slug="vadim-kuramshin").exists()
    response = client.get(reverse("prisoners:detail", args=["vadim-kuramshin"]))
    assert response.status_code == 200
    assert appeal.get_absolute_url() in response.content.decode()


def test_appeals_to_the_government_go_to_the_embassy_and_the_office_the_documents_name(client, demo):
    call_command("load_embassies")
    for slug in (
        "stop-police-violence-against-strikers",
        "write-to-the-kazakh-government-release-the-jailed-oil-workers",
    ):
        appeal = Appeal.objects.get(slug=slug)
        assert appeal.goes_to_embassy
        assert [r.target.key for r in appeal.recipients.filter(role="to")] == ["nazarbayev"]
    appeal = Appeal.objects.get(slug="stop-police-violence-against-strikers")
    response = client.post(
        reverse("appeals:letter", args=[appeal.slug]), {"name": "Jane Doe", "country": "GB", "language": "en"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "125 Pall Mall" in html and "Ak-Orda" in html and "010000 Astana" in html
    assert "We have no address for them yet" not in html


def test_roza_tuletaevas_personal_phone_is_published_nowhere(client, demo):
    for url in ["/", "/act/", "/prisoners/roza-tuletaeva/", "/appeals/", "/appeals/hands-off-roza-tuletaeva/"]:
        response = client.get(url)
        assert response.status_code == 200
        assert "7022969864" not in response.content.decode()


def test_every_demo_postal_address_has_a_country_line(demo):
    from appeals.models import Target

    for target in Target.objects.exclude(postal_address=""):
        last = target.postal_address.splitlines()[-1]
        assert last in {"Kazakhstan", "United Kingdom"}, target
