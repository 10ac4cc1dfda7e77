import pytest
from django.core.management import call_command

from petitions.models import Petition, Signature

pytestmark = pytest.mark.django_db

KAZMINERALS = "kazminerals-workers-demands"
REVIEW = "review-the-oil-workers-sentences"


def test_the_kazminerals_petition_carries_the_workers_demands():
    call_command("load_demo")
    petition = Petition.objects.get(slug=KAZMINERALS)
    assert petition.takes_signatures and "KazMinerals plc, London" in petition.addressed_to
    for demand in [
        "Better wages and conditions",
        "An end to deaths in the workplace",
        "reinstatement of the sacked workers' leader, Erlan Tabinov",
        "Hands off Maksat Esenbayeva and all worker activists",
    ]:
        assert demand in petition.text
    assert "more than 300 trade unionists" in petition.source_note


def test_the_online_protest_demands_a_review_of_the_sentences_and_links_the_prisoners():
    call_command("load_demo")
    petition = Petition.objects.get(slug=REVIEW)
    assert "review of these unjust sentences" in petition.text
    assert "roza-tuletaeva" in set(petition.prisoners.values_list("slug", flat=True))
    assert "LabourStart" in petition.summary


def test_demo_signatures_have_invented_names_and_the_counts_match_them():
    call_command("load_demo")
    petition = Petition.objects.get(slug=KAZMINERALS)
    signatures = Signature.objects.filter(petition=petition)
    assert signatures.count() >= 150  # a few hundred, never mistaken for the document's “more than 300”
    assert all(
        email.endswith("@example.invalid") for email in signatures.exclude(email="").values_list("email", flat=True)
    )
    assert petition.confirmed_count() == signatures.filter(status="confirmed").count()


def test_loading_twice_creates_nothing_twice_and_keeps_an_organisers_edits(organiser):
    call_command("load_demo")
    petition = Petition.objects.get(slug=KAZMINERALS)
    petition.title = "Edited by an organiser"
    petition._history_user = organiser  # as the admin records it
    petition.save()
    before = Signature.objects.count(), Petition.objects.count()
    call_command("load_demo")
    assert (Signature.objects.count(), Petition.objects.count()) == before
    assert Petition.objects.get(slug=KAZMINERALS).title == "Edited by an organiser"
