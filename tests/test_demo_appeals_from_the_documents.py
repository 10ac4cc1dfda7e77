import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from appeals.letters import unknown_placeholders
from appeals.models import Appeal, LetterText, Recipient, Target

pytestmark = pytest.mark.django_db

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def counts():
    return Appeal.objects.count(), Target.objects.count(), Recipient.objects.count(), LetterText.objects.count()


def test_the_model_letter_of_protest_goes_to_the_president_and_kazmunaygaz_with_four_demands():
    call_command("load_demo")
    appeal = Appeal.objects.get(slug="oil-workers-model-letter-of-protest")
    demands = [d.text for d in appeal.demands.all()]
    assert len(demands) == 4 and "Natal'ya Sokolova" in demands[3]
    company = Target.objects.get(key="kazmunaygaz")
    assert company.email == "info@kmg.kz" and "97 60 00, 97 60 01" in company.fax
    assert "Kabanbye-batur 19" in company.postal_address
    assert "Ak-Orda" in Target.objects.get(key="nazarbayev").postal_address
    assert [r.target.email for r in appeal.recipients.filter(role="cc")] == ["editor@marxist.com"]
    assert appeal.goes_to_embassy
    assert list(appeal.prisoners.values_list("slug", flat=True)) == ["natalia-sokolova"]


def test_the_roza_tuletaeva_appeal_goes_to_the_embassy_with_copies_to_the_campaign():
    call_command("load_demo")
    appeal = Appeal.objects.get(slug="hands-off-roza-tuletaeva")
    assert appeal.goes_to_embassy
    assert {r.target.email for r in appeal.recipients.filter(role="cc")} == {
        "kazakhstansolidarity@gmail.com",
        "campaignkazakhstan@gmail.com",
    }
    assert appeal.prisoners.filter(slug="roza-tuletaeva").exists()


def test_the_other_appeals_from_the_documents_are_there():
    call_command("load_demo")
    labourstart = Appeal.objects.get(slug="stop-police-violence-against-strikers")
    assert "cease violence against peacefully protesting oil workers" in labourstart.letters.get(language="en").body
    anniversary = Appeal.objects.get(slug="zhanaozen-third-anniversary")
    assert anniversary.demands.count() == 5 and str(anniversary.deadline) == "2014-12-16"
    bar = Appeal.objects.get(slug="bar-council-business-mission-to-kazakhstan")
    assert bar.recipients.get(role="to").target.salutation == "Dear Sirs,"


# The only words in the demo letters that are not the documents' own: the lines that lead
# into the demands where a document gives demands but no model letter.
BRIDGES = {
    "I protest against these further attempts at torture and demand:",
    "With Socialist Movement Kazakhstan and the trade union “Zhanartu”, I call for:",
    "I protest against his imprisonment and demand:",
    "I write to demand:",
    # The document's own clause, with "I write about" in place of "including".
    "I write about Maksat Dosmagambetov, who has suffered severe torture and as a result of his beatings, "
    "now suffers facial bone cancer.",
}


def test_every_demo_letter_uses_known_placeholders_and_quotes_the_documents():
    call_command("load_demo")
    if not SEEDS.exists():
        pytest.skip("the campaign's documents are not beside the project")
    seeds = " ".join(path.read_text(encoding="utf-8") for path in SEEDS.glob("*.txt"))
    seeds = " ".join(re.sub(r"\[\d+\]", "", seeds).split())  # footnote markers are left out of the letters
    for text in LetterText.objects.all():
        assert unknown_placeholders(text.body) == [] and unknown_placeholders(text.subject) == []
        if text.language != "en":
            continue  # a translation of the English letter (the translations' tests check it)
        for paragraph in text.body.split("\n\n"):
            if "{" in paragraph or paragraph in BRIDGES:
                continue
            for sentence in re.split(r"(?<=[.!?])\s+", " ".join(paragraph.split())):
                assert sentence in seeds, sentence


def test_the_documents_give_no_embassy_so_the_directory_starts_empty(client):
    call_command("load_demo")
    assert not Target.objects.filter(kind="embassy").exists()
    assert "The directory is empty for now" in client.get(reverse("appeals:embassies")).content.decode()


def test_loading_twice_creates_nothing_twice_and_keeps_organisers_edits(organiser):
    call_command("load_demo")
    first = counts()
    for obj, field, value in [
        (Appeal.objects.get(slug="hands-off-roza-tuletaeva"), "title", "Edited by an organiser"),
        (Target.objects.get(key="kazmunaygaz"), "email", "press@example.org"),
    ]:
        setattr(obj, field, value)
        obj._history_user = organiser  # as the admin records it
        obj.save()
    call_command("load_demo")
    assert counts() == first
    assert Appeal.objects.get(slug="hands-off-roza-tuletaeva").title == "Edited by an organiser"
    assert Target.objects.get(key="kazmunaygaz").email == "press@example.org"


def test_an_appeal_nobody_touched_follows_the_file():
    call_command("load_demo")
    appeal = Appeal.objects.get(slug="stop-police-violence-against-strikers")
    government = Target.objects.get(key="kazakhstan-government")
    appeal.recipients.all().delete()
    appeal.recipients.create(target=government, role="to")  # as it was before the correction
    call_command("load_demo")
    assert [r.target.key for r in appeal.recipients.all()] == ["nazarbayev"]


def test_a_supporter_can_write_the_demo_model_letter(client):
    call_command("load_demo")
    appeal = Appeal.objects.get(slug="oil-workers-model-letter-of-protest")
    page = client.post(reverse("appeals:letter", args=[appeal.slug]), {"name": "Jane Doe", "country": "BE"}).content
    page = page.decode()
    assert "We, Jane Doe, wish to protest against the brutal repression of the workers of Kazakhstan." in page
    assert "our directory has no embassy for Belgium yet" in page


@pytest.mark.parametrize(
    "country, street",
    [
        ("GB", "125 Pall Mall"),
        ("DE", "Nordendstraße 14-17"),
        ("RU", "Chistoprudny bulvar 3A"),
        ("KR", "53, Jangmun-ro"),
        ("IS", "125 Pall Mall"),
        ("FR", "59 rue Pierre Charron"),
        ("MC", "59 rue Pierre Charron"),
    ],
)
def test_the_demo_model_letter_from_this_country_reaches_a_real_embassy_address(client, country, street):
    call_command("load_demo")
    call_command("load_embassies")
    appeal = Appeal.objects.get(slug="oil-workers-model-letter-of-protest")
    page = client.post(reverse("appeals:letter", args=[appeal.slug]), {"name": "Jane Doe", "country": country})
    html = page.content.decode()
    assert page.status_code == 200
    assert street in html and "Address checked on" in html
    assert "our directory has no embassy for" not in html


def test_the_demo_model_letter_from_paris_reaches_the_embassy_and_says_where_its_address_came_from(client):
    # The Paris address comes from a secondary, undated page (appeals/data/EMBASSIES.md): the letter
    # shows it with the day it was read and a link to that page, and still goes to the President's office.
    call_command("load_demo")
    call_command("load_embassies")
    appeal = Appeal.objects.get(slug="oil-workers-model-letter-of-protest")
    html = client.post(reverse("appeals:letter", args=[appeal.slug]), {"name": "Jane Doe", "country": "FR"}).content
    html = html.decode()
    assert "59 rue Pierre Charron" in html and "75008 Paris" in html
    assert "Embassy of the Republic of Kazakhstan in France" in html
    assert "Address checked on 29 November 2026, from" in html
    assert "github.com/alnidok/TACountries" in html
    assert "Ak-Orda" in html and "our directory has no embassy for" not in html and "Tilsitt" not in html
