import csv
import datetime
import io
import tracemalloc

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from lib import crypto
from petitions import handover, services
from petitions.models import PaperBatch, Signature

pytestmark = pytest.mark.django_db


def signed_online(petition, name, email, country="GB", **fields):
    email_hash = services.email_fingerprint(email)
    signature = Signature.objects.create(
        petition=petition, name=name, email=email, email_hash=email_hash, country=country, **fields
    )
    services.confirm(signature)
    return signature


def batch_of(petition):
    return PaperBatch.objects.create(petition=petition, collected_where="May Day march, Leeds", collected_by="Dave")


@pytest.fixture
def petition(make_petition):
    petition = make_petition(
        title="Reinstate Berik Zhakiparov",
        text="We, trade unionists, call on KazMinerals to reinstate Berik Zhakiparov.",
        addressed_to="KazMinerals plc, London",
    )
    signed_online(petition, "Aigul Listed", "aigul@example.org", "GB", public=True, organisation="Unite")
    signed_online(petition, "Hidden Person", "hidden@example.org", "GB", public=False, organisation="Secret Union")
    signed_online(petition, "Wants Updates", "updates@example.org", "KZ", public=True, wants_updates=True)
    pending = Signature.objects.create(
        petition=petition, name="Pending Person", email="pending@example.org", email_hash="p", public=True
    )
    assert pending.status == "pending"
    services.add_paper_signatures(
        batch_of(petition),
        [
            {"name": "Нұрлан Оспанов", "organisation": "Профсоюз нефтяников", "country": "KZ", "public": True},
            {"name": "Paper Hidden", "country": "FR"},
        ],
    )
    return petition


def pdf_text(data):
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split())


def csv_rows(response):
    assert response.streaming
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


# --- the hand-over pack ---------------------------------------------------------------


def test_the_pack_has_the_text_the_totals_by_source_and_country_and_only_the_listed_names(
    client, organiser_member, petition
):
    client.force_login(organiser_member)
    response = client.get(reverse("admin:petitions_petition_handover", args=[petition.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    text = pdf_text(response.content)
    assert "Reinstate Berik Zhakiparov" in text
    assert "To: KazMinerals plc, London" in text
    assert "We, trade unionists, call on KazMinerals to reinstate Berik Zhakiparov." in text
    assert "5 signatures: 3 online and 2 on paper." in text
    assert "United Kingdom 2" in text and "Kazakhstan 2" in text and "France 1" in text
    for listed in ["Aigul Listed", "Unite", "Wants Updates", "Нұрлан Оспанов", "Профсоюз нефтяников"]:
        assert listed in text
    for unlisted in ["Hidden Person", "Secret Union", "Paper Hidden", "Pending Person"]:
        assert unlisted not in text
    assert "2 further signers asked not to be named." in text
    assert "@" not in text  # never an email address


def test_a_petition_that_lists_nobody_names_nobody_in_its_pack(client, organiser_member, make_petition):
    petition = make_petition(list_signers=False)
    signed_online(petition, "Would Be Listed", "a@example.org", public=True)
    client.force_login(organiser_member)
    text = pdf_text(client.get(reverse("admin:petitions_petition_handover", args=[petition.pk])).content)
    assert "Would Be Listed" not in text
    assert "1 signature: 1 online and 0 on paper." in text
    assert "The signers of this petition are counted, not named." in text


def test_a_delivered_petitions_pack_says_when_it_was_handed_over(client, organiser_member, make_petition):
    petition = make_petition(status="delivered", delivered_on=datetime.date(2026, 6, 12))
    client.force_login(organiser_member)
    text = pdf_text(client.get(reverse("admin:petitions_petition_handover", args=[petition.pk])).content)
    assert "Handed over on 12 June 2026." in text
    assert "0 signatures" in text


# --- the export --------------------------------------------------------------------------


def test_the_export_has_every_confirmed_signature_with_its_source_and_no_emails(client, organiser_member, petition):
    client.force_login(organiser_member)
    response = client.get(reverse("admin:petitions_petition_export", args=[petition.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert f'filename="{petition.slug}-signatures-' in response["Content-Disposition"]
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    header, *rows = csv_rows(response)
    assert handover.EMAIL_COLUMN not in header
    assert "@" not in "".join(",".join(row) for row in rows)
    by_name = {row[header.index("name")]: dict(zip(header, row, strict=True)) for row in rows}
    assert set(by_name) == {"Aigul Listed", "Hidden Person", "Wants Updates", "Нұрлан Оспанов", "Paper Hidden"}
    assert by_name["Нұрлан Оспанов"]["source"] == "paper"
    assert by_name["Нұрлан Оспанов"]["collected_where"] == "May Day march, Leeds"
    assert by_name["Aigul Listed"]["source"] == "online"
    assert by_name["Aigul Listed"]["public"] == "yes"
    assert by_name["Hidden Person"]["public"] == "no"


def test_the_export_with_emails_has_only_the_addresses_of_signers_who_want_updates(client, organiser_member, petition):
    # An address kept by mistake on a signer who wants no updates must not leave either.
    Signature.objects.named("Hidden Person").update(email="hidden@example.org")
    client.force_login(organiser_member)
    response = client.get(reverse("admin:petitions_petition_export", args=[petition.pk]) + "?emails=1")
    header, *rows = csv_rows(response)
    assert header[-1] == handover.EMAIL_COLUMN == "email_for_updates"
    emails = {row[header.index("name")]: row[-1] for row in rows}
    assert emails["Wants Updates"] == "updates@example.org"
    assert [name for name, email in emails.items() if email] == ["Wants Updates"]


def test_values_that_a_spreadsheet_would_run_as_formulas_are_neutralised(client, organiser_member, make_petition):
    petition = make_petition()
    dangerous = {
        '=HYPERLINK("http://evil.example","x")': '\'=HYPERLINK("http://evil.example","x")',
        "+1+2": "'+1+2",
        "-2+3": "'-2+3",
        "@SUM(A1:A2)": "'@SUM(A1:A2)",
        "\tTab": "'\tTab",
        "\rReturn": "'\rReturn",
    }
    for i, name in enumerate(dangerous):
        signed_online(
            petition, name, f"s{i}@example.org", organisation="=cmd|' /C calc'!A0", town="+town", comment="@comment"
        )
    signed_online(petition, "Plain Name", "plain@example.org", organisation="a=b")
    client.force_login(organiser_member)
    header, *rows = csv_rows(client.get(reverse("admin:petitions_petition_export", args=[petition.pk])))
    names = [row[header.index("name")] for row in rows]
    assert sorted(names) == sorted([*dangerous.values(), "Plain Name"])
    for row in rows:
        record = dict(zip(header, row, strict=True))
        if record["name"] == "Plain Name":
            assert record["organisation"] == "a=b"
            continue
        assert record["organisation"] == "'=cmd|' /C calc'!A0"
        assert record["town"] == "'+town"
        assert record["comment"] == "'@comment"
    assert handover.neutralise("Zhanaozen") == "Zhanaozen"
    assert handover.neutralise("") == ""


@pytest.mark.parametrize("name", ["petitions_petition_export", "petitions_petition_handover"])
def test_an_editor_gets_403_on_the_export_and_the_pack_and_an_organiser_does_not(
    client, editor, organiser_member, petition, name
):
    url = reverse(f"admin:{name}", args=[petition.pk])
    client.force_login(editor)
    assert client.get(url).status_code == 403
    assert client.get(url + "?emails=1").status_code == 403
    client.force_login(organiser_member)
    assert client.get(url).status_code == 200


def test_the_petition_page_in_the_admin_offers_the_pack_and_exports_only_to_organisers(
    client, editor, organiser_member, petition
):
    change = reverse("admin:petitions_petition_change", args=[petition.pk])
    pack = reverse("admin:petitions_petition_handover", args=[petition.pk])
    client.force_login(organiser_member)
    page = client.get(change).content.decode()
    assert pack in page
    assert reverse("admin:petitions_petition_export", args=[petition.pk]) + "?emails=1" in page
    assert reverse("petitions:sheet", args=[petition.slug]) in page
    client.force_login(editor)
    page = client.get(change).content.decode()
    assert pack not in page
    assert reverse("admin:petitions_petition_export", args=[petition.pk]) not in page


def insert_confirmed_signatures(petition, count):
    """Many signatures, fast: straight into the table (bulk_create spends a minute on
    100,000). The counters do not matter here, only the rows the export reads."""
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    columns = {
        "petition_id": petition.pk,
        "email": "",
        "country": "KZ",
        # Encrypted at rest, as the fields would write them (lib/crypto.py).
        "town": crypto.encrypt("Zhanaozen"),
        "organisation": crypto.encrypt("Independent trade union of the oil workers"),
        "comment": "",
        "public": False,
        "wants_updates": False,
        "status": "confirmed",
        "source": "online",
        "possible_duplicate": False,
        "created_at": now,
        "confirmed_at": now,
    }
    names = [*columns, "name", "email_hash", "nonce"]
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        Signature._meta.db_table, ", ".join(names), ", ".join(["%s"] * len(names))
    )
    fixed = list(columns.values())
    with connection.cursor() as cursor:
        cursor.executemany(
            sql,
            (
                [*fixed, crypto.encrypt(f"Signer number {i} with a fairly long name"), f"h{i}", f"n{i}"]
                for i in range(count)
            ),
        )


def test_an_export_of_100000_signatures_stays_within_a_fixed_memory_bound(client, organiser_member, make_petition):
    petition = make_petition()
    insert_confirmed_signatures(petition, 100_000)
    client.force_login(organiser_member)
    url = reverse("admin:petitions_petition_export", args=[petition.pk])

    tracemalloc.start()
    try:
        response = client.get(url)
        size = rows = 0
        for piece in response.streaming_content:
            size += len(piece)
            rows += piece.count(b"\n")
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert rows == 100_001
    bound = 5 * 1024 * 1024
    assert size > 2 * bound  # the file is far bigger than the bound: it was never in memory whole
    assert peak < bound, f"peak {peak / 1e6:.1f} MB"
