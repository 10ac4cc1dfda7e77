"""A petition for signers at risk can be set to name nobody (its "signers may be listed
publicly" box unticked): no name on its page, its list of signers, its feeds and count API,
or in the hand-over pack, which count signers by country and by town instead; the
smallest towns are counted together, since one signer from a village is almost a name."""

import io
import itertools

import pytest
from django.urls import reverse
from pypdf import PdfReader

from petitions import documents, handover, services
from petitions.models import Signature

pytestmark = pytest.mark.django_db
_numbers = itertools.count()


def signed(petition, name, town, country="KZ", public=True):
    number = next(_numbers)
    signature = Signature.objects.create(
        petition=petition,
        name=name,
        email=f"atrisk{number}@example.org",
        email_hash=services.email_fingerprint(f"atrisk{number}@example.org"),
        country=country,
        town=town,
        public=public,
        nonce=f"r{number}",
    )
    services.confirm(signature)
    return signature


@pytest.fixture
def petition(make_petition):
    petition = make_petition(title="For the families of Zhanaozen", list_signers=False)
    for n in range(3):
        signed(petition, f"Zhanaozen Quietname {n}", "Zhanaozen" if n else " zhanaozen ")
    signed(petition, "Aktau Quietname", "Aktau")
    signed(petition, "Almaty Quietname", "Almaty", public=True)  # even a "public" row from before is not named
    return petition


def everything_public(client, petition):
    pages = [
        client.get(petition.get_absolute_url()),
        client.get(reverse("petitions:signers", args=[petition.slug])),
        client.get(reverse("petitions:count_json", args=[petition.slug])),
        client.get(reverse("petitions:feed")),
        client.get(reverse("petitions:embed", args=[petition.slug])),
        client.get(reverse("petitions:list")),
    ]
    assert all(page.status_code == 200 for page in pages)
    return "\n".join(page.content.decode() for page in pages)


def test_no_name_appears_anywhere_public_and_the_page_counts_by_town(client, petition):
    text = everything_public(client, petition)
    assert "Quietname" not in text
    page = client.get(petition.get_absolute_url()).content.decode()
    assert "Signatures by town" in page and "Zhanaozen" in page
    assert "Aktau" not in page and "Almaty" not in page  # fewer than three: counted together
    assert "Other towns (fewer than 3 signers each)" in page
    assert 'name="public"' not in page  # the form does not offer to list anyone


def test_the_hand_over_pack_names_nobody_and_counts_by_country_and_town(petition):
    reader = PdfReader(io.BytesIO(documents.pack_pdf(petition)))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Quietname" not in text
    assert "counted, not named" in text and "Signatures by town" in text and "Zhanaozen" in text
    assert "Kazakhstan" in text  # by country
    assert handover.handover_list(petition) == [] and not reader.attachments


def test_counts_by_town_fold_case_and_spaces_and_hide_the_smallest(petition):
    assert handover.count_by_town(petition) == [("Zhanaozen", "KZ", 3), ("", "", 2)]


def test_a_signature_on_such_a_petition_is_never_marked_public(client, petition, sign, sign_data):
    sign(petition, sign_data(email="new@example.org", public="on"))
    assert not Signature.objects.get(email_hash=services.email_fingerprint("new@example.org")).public
