import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from petitions import paper, services
from petitions.models import PaperBatch, Signature

pytestmark = pytest.mark.django_db


def signed_online(petition, name="Aigul Example", email="aigul@example.org", country="GB", **fields):
    email_hash = services.email_fingerprint(email)
    signature = Signature.objects.create(
        petition=petition, name=name, email=email, email_hash=email_hash, country=country, **fields
    )
    services.confirm(signature)
    return signature


def make_batch(petition, **fields):
    fields.setdefault("collected_where", "Trades council meeting, Leeds")
    fields.setdefault("collected_on", datetime.date(2026, 5, 1))
    fields.setdefault("collected_by", "Dave")
    return PaperBatch.objects.create(petition=petition, **fields)


def counted(petition):
    """The count from the counters, and checked against the signatures themselves."""
    total = petition.confirmed_count()
    assert total == Signature.objects.filter(petition=petition, status="confirmed").count()
    return total


def inline_data(batch_fields, rows, existing=()):
    data = {
        **batch_fields,
        "signatures-TOTAL_FORMS": str(len(existing) + len(rows)),
        "signatures-INITIAL_FORMS": str(len(existing)),
        "signatures-MIN_NUM_FORMS": "0",
        "signatures-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate([*existing, *rows]):
        for key, value in row.items():
            if value is True:
                value = "on"
            if value is False:
                continue
            data[f"signatures-{i}-{key}"] = value
    return data


# --- the service ------------------------------------------------------------------------


def test_paper_signatures_are_confirmed_counted_by_country_and_show_their_source(make_petition):
    petition = make_petition()
    signed_online(petition)
    batch = make_batch(petition)
    added = services.add_paper_signatures(
        batch,
        [
            {"name": "Berik Zhakiparov", "organisation": "Unite", "country": "GB", "public": True},
            {"name": "Marie Dupont", "town": "Lyon", "country": "FR"},
            {"name": "Someone without a country"},
        ],
    )
    assert counted(petition) == 4
    assert petition.count_by_country() == {"GB": 2, "FR": 1, "": 1}
    for signature in added:
        signature.refresh_from_db()
        assert (signature.source, signature.status, signature.paper_batch) == ("paper", "confirmed", batch)
        assert signature.confirmed_at is not None
        assert not signature.possible_duplicate
    assert [s.public for s in added] == [True, False, False]


def test_a_paper_signature_keeps_an_address_only_if_it_wants_updates(make_petition):
    petition = make_petition()
    batch = make_batch(petition)
    updates, quiet = services.add_paper_signatures(
        batch,
        [
            {"name": "A", "email": "a@example.org", "wants_updates": True},
            {"name": "B", "email": "b@example.org", "wants_updates": False},
        ],
    )
    updates.refresh_from_db()
    quiet.refresh_from_db()
    assert (updates.email, updates.wants_updates) == ("a@example.org", True)
    assert (quiet.email, quiet.wants_updates) == ("", False)
    assert quiet.email_hash == services.email_fingerprint("b@example.org")


def test_matches_with_online_signatures_and_repeats_are_flagged_and_counted_not_merged(make_petition):
    petition = make_petition()
    online = signed_online(petition, name="Aigul Example", email="aigul@example.org")
    batch = make_batch(petition)
    rows = [
        {"name": "aigul  EXAMPLE"},  # the same name, typed differently
        {"name": "Someone Else", "email": "Aigul@Example.org"},  # the same address
        {"name": "Nurlan Ospanov"},
        {"name": "Nurlan Ospanov"},  # the same sheet row keyed twice
        {"name": "Roza"},
    ]
    reasons = services.find_duplicates(petition, rows)
    assert reasons == [
        "the same name as an online signature",
        "the same address as an online signature",
        "",
        "the same name as line 3",
        "",
    ]
    added = services.add_paper_signatures(batch, rows)
    assert [s.possible_duplicate for s in added] == [True, True, False, True, False]
    assert counted(petition) == 6  # flagged, never merged: an organiser decides
    online.refresh_from_db()
    assert online.status == "confirmed" and not online.possible_duplicate
    # The address belongs to the online signature: the repeat keeps no fingerprint of it.
    assert Signature.objects.get(pk=added[1].pk).email_hash is None
    # A second batch meets the first one's names.
    again = services.find_duplicates(petition, [{"name": "Roza"}])
    assert again == ["the same name as a paper signature already keyed in"]


def test_public_is_ignored_on_a_petition_that_lists_nobody(make_petition):
    petition = make_petition(list_signers=False)
    (signature,) = services.add_paper_signatures(make_batch(petition), [{"name": "A", "public": True}])
    assert not signature.public


def test_deleting_a_batch_takes_its_signatures_out_of_the_count(organiser_client, make_petition):
    petition = make_petition()
    signed_online(petition)
    batch = make_batch(petition)
    services.add_paper_signatures(batch, [{"name": f"Worker {i}", "country": "KZ"} for i in range(5)])
    assert counted(petition) == 6
    response = organiser_client.post(reverse("admin:petitions_paperbatch_delete", args=[batch.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert counted(petition) == 1
    assert petition.count_by_country() == {"GB": 1}

    other = make_batch(petition)
    services.add_paper_signatures(other, [{"name": "Worker", "country": "KZ"}])
    organiser_client.post(
        reverse("admin:petitions_paperbatch_changelist"),
        {"action": "delete_selected", "_selected_action": [other.pk], "post": "yes"},
    )
    assert not PaperBatch.objects.exists()
    assert counted(petition) == 1


# --- keying in rows in the admin ---------------------------------------------------------


def batch_fields(petition):
    return {
        "petition": str(petition.pk),
        "collected_where": "Picket, KazMinerals office, London",
        "collected_on": "2026-05-01",
        "collected_by": "Anna",
        "language": "en",
        "notes": "",
    }


def test_an_organiser_keys_in_a_batch_with_its_rows_and_they_count(client, organiser_member, make_petition):
    petition = make_petition()
    signed_online(petition, name="Aigul Example")
    client.force_login(organiser_member)
    rows = [
        {"name": "Berik Zhakiparov", "organisation": "Unite", "town": "London", "country": "GB", "public": True},
        {"name": "Aigul Example", "country": "KZ"},
        {"name": "Jane Doe", "email": "jane@example.org", "wants_updates": True, "country": "IE"},
    ]
    response = client.post(
        reverse("admin:petitions_paperbatch_add"), inline_data(batch_fields(petition), rows), follow=True
    )
    assert response.status_code == 200
    assert "may repeat one already there" in response.content.decode()
    batch = PaperBatch.objects.get()
    signatures = list(batch.signatures.order_by("id"))
    assert [s.name for s in signatures] == ["Berik Zhakiparov", "Aigul Example", "Jane Doe"]
    assert [s.possible_duplicate for s in signatures] == [False, True, False]
    assert all(s.source == "paper" and s.status == "confirmed" for s in signatures)
    assert signatures[2].email == "jane@example.org"
    assert counted(petition) == 4
    assert petition.count_by_country() == {"GB": 2, "KZ": 1, "IE": 1}

    # Correct a country and delete a row: the counts follow.
    existing = [
        {"id": str(s.pk), "paper_batch": str(batch.pk), "name": s.name, "country": str(s.country), "public": s.public}
        for s in signatures
    ]
    existing[0]["country"] = "FR"
    existing[1]["DELETE"] = "on"
    existing[2].update(email="jane@example.org", wants_updates=True)
    response = client.post(
        reverse("admin:petitions_paperbatch_change", args=[batch.pk]),
        inline_data(batch_fields(petition), [], existing=existing),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert counted(petition) == 3
    assert petition.count_by_country() == {"GB": 1, "FR": 1, "IE": 1}


def test_a_row_that_wants_updates_without_an_address_is_refused(client, organiser_member, make_petition):
    petition = make_petition()
    client.force_login(organiser_member)
    response = client.post(
        reverse("admin:petitions_paperbatch_add"),
        inline_data(batch_fields(petition), [{"name": "A", "wants_updates": True}]),
    )
    assert response.status_code == 200  # the form again, with the error
    assert "Give an email address to send the updates to" in response.content.decode()
    assert not Signature.objects.exists()


def test_the_petition_of_a_batch_with_signatures_cannot_change(client, organiser_member, make_petition):
    petition, other = make_petition(), make_petition()
    batch = make_batch(petition)
    (signature,) = services.add_paper_signatures(batch, [{"name": "A"}])
    client.force_login(organiser_member)
    url = reverse("admin:petitions_paperbatch_change", args=[batch.pk])
    assert 'name="petition"' not in client.get(url).content.decode()
    existing = [{"id": str(signature.pk), "paper_batch": str(batch.pk), "name": "A"}]
    client.post(url, inline_data({**batch_fields(petition), "petition": str(other.pk)}, [], existing=existing))
    batch.refresh_from_db()
    assert batch.petition == petition
    assert (counted(petition), counted(other)) == (1, 0)


def test_a_big_batch_is_edited_in_the_signatures_list_not_inline(client, organiser_member, make_petition):
    petition = make_petition()
    batch = make_batch(petition)
    services.add_paper_signatures(batch, [{"name": f"Worker {i}"} for i in range(61)])
    client.force_login(organiser_member)
    page = client.get(reverse("admin:petitions_paperbatch_change", args=[batch.pk])).content.decode()
    assert "signatures-TOTAL_FORMS" not in page
    assert f"?paper_batch__id__exact={batch.pk}" in page
    listing = client.get(reverse("admin:petitions_signature_changelist") + f"?paper_batch__id__exact={batch.pk}")
    assert listing.status_code == 200


# --- the CSV import ---------------------------------------------------------------------


def import_url(batch):
    return reverse("admin:petitions_paperbatch_import", args=[batch.pk])


def upload(client, batch, text, name="sheet.csv"):
    return client.post(import_url(batch), {"file": SimpleUploadedFile(name, text.encode(), "text/csv"), "check": "1"})


GOOD = (
    "name,organisation,town,country,public,email,wants_updates\n"
    "Berik Zhakiparov,Unite the Union,London,GB,yes,,\n"
    "Нұрлан Оспанов,Профсоюз,Жанаозен,Kazakhstan,no,nurlan@example.org,yes\n"
    "Marie Dupont,CGT,Lyon,FR,,,\n"
)


def test_a_good_file_is_previewed_then_imported_and_counted(client, organiser_member, make_petition):
    petition = make_petition()
    batch = make_batch(petition)
    client.force_login(organiser_member)
    preview = upload(client, batch, GOOD)
    assert preview.status_code == 200
    page = preview.content.decode()
    assert page.count("will be added") == 3
    assert "Import these signatures" in page
    assert not Signature.objects.exists()  # nothing saved by a preview

    response = client.post(import_url(batch), {"csv_text": GOOD, "confirm": "1"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"?paper_batch__id__exact={batch.pk}")
    assert counted(petition) == 3
    assert petition.count_by_country() == {"GB": 1, "KZ": 1, "FR": 1}
    nurlan = Signature.objects.named("Нұрлан Оспанов").get()
    assert (nurlan.source, nurlan.paper_batch, nurlan.email, nurlan.wants_updates, nurlan.public) == (
        "paper",
        batch,
        "nurlan@example.org",
        True,
        False,
    )
    assert Signature.objects.named("Berik Zhakiparov").get().public


def test_a_file_saved_by_a_russian_spreadsheet_with_semicolons_works(client, organiser_member, make_petition):
    batch = make_batch(make_petition())
    client.force_login(organiser_member)
    text = "\ufeffName;Organisation;Country;Public\nВадим Курамшин;;KZ;да\n"
    response = client.post(import_url(batch), {"csv_text": text, "confirm": "1"})
    assert response.status_code == 302
    signature = Signature.objects.get()
    assert (signature.name, signature.country.code, signature.public) == ("Вадим Курамшин", "KZ", True)


@pytest.mark.parametrize("separator", [",", ";"])
def test_quoted_text_with_doubled_quotes_is_read_as_standard_csv(make_petition, separator):
    # Guessing the format from the header turned off "" escaping.
    text = f'name{separator}organisation\n"O""Brien"{separator}"Unite{separator} ""Local"" 42"\n'
    rows, errors = paper.parse_paper_csv(make_petition(), text)
    assert errors == [] and [row.errors for row in rows] == [[]]
    assert (rows[0].cleaned["name"], rows[0].cleaned["organisation"]) == ('O"Brien', f'Unite{separator} "Local" 42')


def test_bad_rows_are_listed_with_their_line_and_nothing_is_saved(client, organiser_member, make_petition):
    petition = make_petition()
    batch = make_batch(petition)
    client.force_login(organiser_member)
    text = (
        "name,country,public,email,wants_updates\n"
        "Good Row,GB,yes,,\n"
        ",GB,,,\n"
        "Bad Country,Atlantis,,,\n"
        "Bad Public,FR,maybe,,\n"
        "Bad Email,FR,,not-an-address,\n"
        "No Address,FR,,,yes\n"
    )
    response = upload(client, batch, text)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Some rows have errors" in page
    assert "name: This field is required." in page
    assert "“Atlantis” is not a country we know" in page
    assert "public: write yes or no (or leave it empty), not “maybe”." in page
    assert "email: Enter a valid email address." in page
    assert "wants_updates is yes but there is no email" in page
    assert "Import these signatures" not in page
    for line in ["<td>3</td>", "<td>4</td>", "<td>5</td>", "<td>6</td>", "<td>7</td>"]:
        assert line in page

    # Even a forged confirmation saves nothing while a row is wrong.
    assert client.post(import_url(batch), {"csv_text": text, "confirm": "1"}).status_code == 400
    assert not Signature.objects.exists()
    assert counted(petition) == 0


def test_duplicates_in_a_file_are_shown_in_the_preview_and_imported_flagged(client, organiser_member, make_petition):
    petition = make_petition()
    signed_online(petition, name="Aigul Example", email="aigul@example.org")
    batch = make_batch(petition)
    client.force_login(organiser_member)
    text = "name,email\nAigul Example,\nA. Example,AIGUL@example.org\nNew Person,\nNew Person,\n"
    page = upload(client, batch, text).content.decode()
    assert "flagged as a possible duplicate: the same name as an online signature" in page
    assert "flagged as a possible duplicate: the same address as an online signature" in page
    assert "flagged as a possible duplicate: the same name as line 4" in page
    assert "3 rows may repeat a signature" in page

    client.post(import_url(batch), {"csv_text": text, "confirm": "1"})
    flags = dict(Signature.objects.filter(paper_batch=batch).values_list("id", "possible_duplicate"))
    assert sorted(flags.values()) == [False, True, True, True]
    assert counted(petition) == 5


def test_a_file_without_a_name_column_or_with_unknown_columns_says_so(client, organiser_member, make_petition):
    batch = make_batch(make_petition())
    client.force_login(organiser_member)
    page = upload(client, batch, "full name,country\nA,GB\n").content.decode()
    assert "one must be “name”" in page
    page = upload(client, batch, "name,shoe_size\nA,44\n").content.decode()
    assert "Unknown columns ignored: shoe_size." in page


def test_an_editor_can_neither_key_in_nor_import_paper_signatures(client, editor, make_petition):
    batch = make_batch(make_petition())
    client.force_login(editor)
    assert client.get(reverse("admin:petitions_paperbatch_changelist")).status_code == 403
    assert client.get(import_url(batch)).status_code == 403
    assert client.post(import_url(batch), {"csv_text": GOOD, "confirm": "1"}).status_code == 403
    assert not Signature.objects.exists()
