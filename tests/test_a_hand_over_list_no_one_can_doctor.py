"""The hand-over pack carries a digest of its list of names: SHA-256 over its rows in a
canonical form, each row chained to the one before (SECURITY.md, "The hand-over list"). It
is on the pack's first page, on the petition's page once delivered, and each named signer
sees their row's number and hash behind their own link. `manage.py verify_handover`
checks a pack's PDF or CSV against the published digest."""

import datetime
import hashlib
import io
import itertools

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from pypdf import PdfReader

from petitions import documents, handover, services
from petitions.models import Petition, Signature
from petitions.tokens import make_token

pytestmark = pytest.mark.django_db
_numbers = itertools.count()


def signed(petition, name, country="GB", organisation="", public=True):
    number = next(_numbers)
    signature = Signature.objects.create(
        petition=petition,
        name=name,
        email=f"list{number}@example.org",
        email_hash=services.email_fingerprint(f"list{number}@example.org"),
        country=country,
        organisation=organisation,
        public=public,
        nonce=f"l{number}",
    )
    services.confirm(signature)
    return signature


@pytest.fixture
def petition(make_petition):
    petition = make_petition(title="Free the Zhanaozen oil workers")
    signed(petition, "Zhanna  Example", "KZ", "Oil workers' union")
    signed(petition, "aigul example", "GB")
    signed(petition, "Berik Example", "GB", '=HYPERLINK("http://x")')
    signed(petition, "Hidden Person", "GB", public=False)
    return petition


def test_the_digest_is_the_documented_chain_over_the_canonical_rows(petition):
    listed = handover.handover_list(petition)
    rows = [row[:4] for row in listed]
    # By country code, then by name case folded; white space made single; nobody unlisted.
    assert rows == [
        (1, "aigul example", "", "GB"),
        (2, "Berik Example", '=HYPERLINK("http://x")', "GB"),
        (3, "Zhanna Example", "Oil workers' union", "KZ"),
    ]
    state = hashlib.sha256(b"hand-over list v1").digest()
    for number, name, organisation, country in rows:
        state = hashlib.sha256(state + f"{number}\t{name}\t{organisation}\t{country}\n".encode()).digest()
    _hashes, digest = handover.digest_of(listed)
    assert digest == state.hex()


def test_the_pack_prints_the_digest_on_its_first_page_and_carries_the_list(petition):
    data = documents.pack_pdf(petition)
    reader = PdfReader(io.BytesIO(data))
    _hashes, digest = handover.digest_of(handover.handover_list(petition))
    first_page = reader.pages[0].extract_text().replace("\n", "")
    assert digest in first_page
    attached = reader.attachments[handover.HANDOVER_CSV_NAME][0].decode()
    assert attached == handover.handover_csv(petition)
    assert "Hidden Person" not in attached and "@" not in attached


def test_recording_the_delivery_seals_the_list_and_the_public_page_shows_its_digest(client, petition):
    services.record_delivery(petition, datetime.date(2026, 6, 12), where="London")
    petition.refresh_from_db()
    _hashes, digest = handover.digest_of(handover.handover_list(petition))
    assert petition.handover_digest == digest and petition.handover_rows == 3
    page = client.get(petition.get_absolute_url()).content.decode()
    assert digest in page


def test_a_signer_sees_their_row_and_its_hash_behind_their_own_link(client, petition):
    services.record_delivery(petition, datetime.date(2026, 6, 12))
    petition.refresh_from_db()
    berik = Signature.objects.named("Berik Example").get()
    hashes, _digest = handover.digest_of(handover.handover_list(petition))
    assert (berik.handover_row, berik.handover_hash) == hashes[1]
    page = client.get(reverse("petitions:confirm", args=[make_token(berik, "confirm")])).content.decode()
    assert "You are row 2 of the list" in page and berik.handover_hash in page and petition.handover_digest in page
    hidden = Signature.objects.named("Hidden Person").get()
    page = client.get(reverse("petitions:confirm", args=[make_token(hidden, "confirm")])).content.decode()
    assert "counted in the list handed over, not named in it" in page


def verify(path, **options):
    out = io.StringIO()
    call_command("verify_handover", str(path), stdout=out, **options)
    return out.getvalue()


def test_the_command_checks_a_pack_or_its_csv_against_the_published_digest(petition, tmp_path):
    services.record_delivery(petition, datetime.date(2026, 6, 12))
    petition.refresh_from_db()
    pack = tmp_path / "pack.pdf"
    pack.write_bytes(documents.pack_pdf(petition))
    listing = tmp_path / "list.csv"
    listing.write_text(handover.handover_csv(petition), encoding="utf-8")
    assert "matches" in verify(pack, digest=petition.handover_digest)
    assert "3 name(s)" in verify(listing, petition=petition.slug)

    doctored = listing.read_text().replace("aigul example", "Invented Name")
    (tmp_path / "doctored.csv").write_text(doctored)
    with pytest.raises(CommandError, match="row 1"):
        verify(tmp_path / "doctored.csv", digest=petition.handover_digest)
    lines = listing.read_text().splitlines()
    (tmp_path / "dropped.csv").write_text("\n".join([lines[0], *lines[2:]]) + "\n")
    with pytest.raises(CommandError, match="missing or moved"):
        verify(tmp_path / "dropped.csv", digest=petition.handover_digest)
    # A name added at the end, with hashes made up: the digest no longer matches.
    (tmp_path / "added.csv").write_text(listing.read_text() + "4,Added Later,,GB,\n")
    with pytest.raises(CommandError, match="not the published one"):
        verify(tmp_path / "added.csv", digest=petition.handover_digest)
    with pytest.raises(CommandError):
        verify(tmp_path / "nothing-here.pdf", digest="0" * 64)


def test_organisers_download_the_list_with_its_hashes(client, organiser_member, editor, petition):
    url = reverse("admin:petitions_petition_handover_list", args=[petition.pk])
    client.force_login(organiser_member)
    response = client.get(url)
    assert response.status_code == 200 and response.content.decode() == handover.handover_csv(petition)
    client.force_login(editor)
    assert client.get(url).status_code == 403


def test_a_list_sealed_at_the_delivery_outlives_the_forgetting(petition, settings):
    services.record_delivery(petition, datetime.date(2026, 1, 1))
    petition.refresh_from_db()
    digest = petition.handover_digest
    Petition.objects.filter(pk=petition.pk).update(finished_on=datetime.date(2026, 1, 1))
    services.forget_finished(settings.PERSONAL_DATA_RETENTION_DAYS)
    petition.refresh_from_db()
    services.record_delivery(petition, datetime.date(2026, 1, 2))  # an organiser edits the record
    petition.refresh_from_db()
    assert petition.handover_digest == digest
    text = PdfReader(io.BytesIO(documents.pack_pdf(petition))).pages[0].extract_text().replace("\n", "")
    assert "names were deleted" in text and digest in text
