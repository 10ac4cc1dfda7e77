"""The hand-over: the list of named signers and its digest, the counts by town, and the
organisers' CSV export of the signatures. The pack printed for the petition's addressee is
drawn in documents.py; recording the delivery is an operation (services.deliver).

The pack goes to the regime's embassies and companies. It names only signers who chose to
be listed, on a petition that lists signers, and never shows an email address; everyone
else is counted, not named.
"""

import csv
import hashlib
import io
import unicodedata

from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

from .models import Petition, Signature

# --- the list and its digest -------------------------------------------------------------
#
# Each name in the hand-over list is one row, and the list's digest is a SHA-256 chain over
# the rows: h0 = SHA-256("hand-over list v1"), h_i = SHA-256(h_(i-1) || canonical(row_i)),
# each h a 32-byte digest; the digest is h_n in hex. A name changed, added, removed or moved
# changes every hash from there on. The canonical form is SECURITY.md's "The hand-over list".

CHAIN_START = hashlib.sha256(b"hand-over list v1").digest()
HANDOVER_CSV_COLUMNS = ["row", "name", "organisation", "country", "row_hash"]


def canonical_text(value):
    """A name or organisation as the digest sees it: Unicode NFC, every run of white space
    (tabs and line breaks too) one space, none at either end."""
    return " ".join(unicodedata.normalize("NFC", value or "").split())


def canonical_row(number, name, organisation, country):
    return f"{number}\t{canonical_text(name)}\t{canonical_text(organisation)}\t{country or ''}\n".encode()


def chain(rows):
    """(number, name, organisation, country) rows -> [(number, row hash in hex)], digest."""
    state = CHAIN_START
    hashes = []
    for number, name, organisation, country in rows:
        state = hashlib.sha256(state + canonical_row(number, name, organisation, country)).digest()
        hashes.append((number, state.hex()))
    return hashes, state.hex()


def handover_list(petition):
    """The named signers as the list holds them: (number, name, organisation, country,
    signature id), in the list's order: by country code ("" for none, first), then by
    name (case folded), then name, organisation and signature id. Sorted here: names are
    encrypted, so the database cannot."""
    if not petition.list_signers:
        return []
    rows = [
        (country or "", canonical_text(name), canonical_text(organisation), pk)
        for pk, country, name, organisation in Signature.objects.listed(petition)
        .values_list("pk", "country", "name", "organisation")
        .iterator(chunk_size=2000)
    ]
    rows.sort(key=lambda row: (row[0], row[1].casefold(), row[1], row[2], row[3]))
    return [
        (number, name, organisation, country, pk) for number, (country, name, organisation, pk) in enumerate(rows, 1)
    ]


def digest_of(listed):
    hashes, digest = chain(row[:4] for row in listed)
    return hashes, digest


def seal_list(petition):
    """Fix the list as it stands at the hand-over: its digest and row count on the petition
    (shown on its public page), and each named signer's row number and hash on their
    signature (shown behind their own link). Not once the signers are forgotten: the list
    sealed before stays."""
    if petition.signers_forgotten_on:
        return petition.handover_digest
    listed = handover_list(petition)
    hashes, digest = digest_of(listed)
    with transaction.atomic():
        Signature.objects.filter(petition=petition, handover_row__isnull=False).update(
            handover_row=None, handover_hash=""
        )
        updates = [
            Signature(pk=row[4], handover_row=number, handover_hash=row_hash)
            for row, (number, row_hash) in zip(listed, hashes, strict=True)
        ]
        Signature.objects.bulk_update(updates, ["handover_row", "handover_hash"], batch_size=1000)
        Petition.objects.filter(pk=petition.pk).update(handover_digest=digest, handover_rows=len(listed))
    petition.handover_digest, petition.handover_rows = digest, len(listed)
    return digest


def unneutralise(value):
    """What handover_csv wrote, read back: one leading apostrophe added is taken off."""
    return value[1:] if value.startswith("'") else value


def handover_csv(petition, listed=None):
    """The list as CSV (UTF-8, no byte order mark): row, name, organisation, country and
    row hash. A cell that a spreadsheet would take for a formula, or that starts with an
    apostrophe, gets one more apostrophe in front, which `verify_handover` takes off."""
    listed = handover_list(petition) if listed is None else listed
    hashes, _digest = digest_of(listed)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HANDOVER_CSV_COLUMNS)
    for (number, name, organisation, country, _pk), (_n, row_hash) in zip(listed, hashes, strict=True):
        writer.writerow([number, _sealed(name), _sealed(organisation), country, row_hash])
    return buffer.getvalue()


def _sealed(value):
    if value.startswith((*FORMULA_START, "'")):
        return "'" + value
    return value


class ListDoesNotMatch(Exception):
    pass


def read_handover_csv(text):
    """Rows of a hand-over CSV back as (number, name, organisation, country, row hash)."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    if reader.fieldnames != HANDOVER_CSV_COLUMNS:
        raise ListDoesNotMatch(f"the columns are not {', '.join(HANDOVER_CSV_COLUMNS)}")
    rows = []
    for line in reader:
        try:
            number = int(line["row"])
        except (TypeError, ValueError) as error:
            raise ListDoesNotMatch(f"row {len(rows) + 1} has no number") from error
        rows.append(
            (
                number,
                unneutralise(line["name"] or ""),
                unneutralise(line["organisation"] or ""),
                line["country"] or "",
                line["row_hash"] or "",
            )
        )
    return rows


def verify_rows(rows, digest):
    """Check rows read back from a pack against a published digest: the rows are numbered
    1, 2, 3…, each row's hash is the chain's, and the last is the digest. Raises
    ListDoesNotMatch naming the first row that differs."""
    state = CHAIN_START
    for position, (number, name, organisation, country, row_hash) in enumerate(rows, 1):
        if number != position:
            raise ListDoesNotMatch(f"row {position} is numbered {number}: a row is missing or moved")
        state = hashlib.sha256(state + canonical_row(number, name, organisation, country)).digest()
        if row_hash and row_hash != state.hex():
            raise ListDoesNotMatch(
                f"row {number} ({name}) does not match its hash: it, or a row before it, was changed"
            )
    if state.hex() != digest.strip().lower():
        raise ListDoesNotMatch("the list's digest is not the published one: rows were changed, added or removed")
    return len(rows)


def rows_from_pack_pdf(data):
    """The list embedded in a hand-over pack (a PDF attachment, handover.csv)."""
    from pypdf import PdfReader  # only this command reads PDFs

    attachments = PdfReader(io.BytesIO(data)).attachments
    if HANDOVER_CSV_NAME not in attachments:
        raise ListDoesNotMatch(f"the PDF has no attached {HANDOVER_CSV_NAME}")
    return read_handover_csv(attachments[HANDOVER_CSV_NAME][0].decode("utf-8"))


HANDOVER_CSV_NAME = "hand-over-list.csv"


# --- counts by town, for petitions that name nobody ------------------------------------------

# A town with fewer signers than this is counted with "other towns": one signer from a small
# town is almost a name.
TOWN_AT_LEAST = 3
TOWN_CACHE_SECONDS = 600


def count_by_town(petition):
    """[(town, country code, n)] of confirmed signers, most first, towns with fewer than
    TOWN_AT_LEAST signers summed in one last row ("", "", n). Towns are encrypted, so this
    reads them all: kept in the cache for ten minutes."""
    key = f"petition-towns:{petition.pk}:{petition.confirmed_count()}"
    found = cache.get(key)
    if found is not None:
        return found
    counts, spelling = {}, {}
    rows = Signature.objects.filter(petition=petition).confirmed().values_list("town", "country")
    for town, country in rows.iterator(chunk_size=2000):
        town = canonical_text(town)
        if not town:
            continue
        place = (town.casefold(), country or "")
        counts[place] = counts.get(place, 0) + 1
        spelling.setdefault(place, town)
    shown = sorted(
        ((spelling[place], place[1], n) for place, n in counts.items() if n >= TOWN_AT_LEAST),
        key=lambda row: (-row[2], row[0].casefold()),
    )
    others = sum(n for n in counts.values() if n < TOWN_AT_LEAST)
    if others:
        shown.append(("", "", others))
    cache.set(key, shown, TOWN_CACHE_SECONDS)
    return shown


# --- the organisers' export -------------------------------------------------------------------

# A cell starting with one of these is a formula to Excel, LibreOffice and Google Sheets: a
# signer could name themselves =HYPERLINK(...) and run it on an organiser's computer.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

EXPORT_FIELDS = [
    ("signed", "created_at"),
    ("confirmed", "confirmed_at"),
    ("source", "source"),
    ("collected_where", "paper_batch__collected_where"),
    ("collected_on", "paper_batch__collected_on"),
    ("name", "name"),
    ("organisation", "organisation"),
    ("town", "town"),
    ("country", "country"),
    ("public", "public"),
    ("wants_updates", "wants_updates"),
    ("possible_duplicate", "possible_duplicate"),
    ("comment", "comment"),
]
EMAIL_COLUMN = "email_for_updates"
ROWS_PER_PIECE = 500


def neutralise(value):
    """A spreadsheet shows `value` as text, never runs it: a leading apostrophe (OWASP's
    advice) before anything that would start a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _text(value):
    return neutralise(value or "")


def _yes_no(value):
    return "yes" if value else "no"


def export_rows(petition, with_emails=False, chunk_size=2000):
    """The confirmed signatures of `petition` as CSV text, a few hundred rows per piece,
    read from the database chunk by chunk: memory stays flat however many there are.
    With `with_emails`, a last column holds the address of signers who asked for updates
    (nobody else's is kept)."""
    zone = timezone.get_current_timezone()

    def moment(value):
        return value.astimezone(zone).strftime("%Y-%m-%d %H:%M") if value else ""

    def day(value):
        return value.isoformat() if value else ""

    # One converter per column, chosen once: this loop runs a million times.
    convert = {
        "created_at": moment,
        "confirmed_at": moment,
        "paper_batch__collected_on": day,
        "public": _yes_no,
        "wants_updates": _yes_no,
        "possible_duplicate": _yes_no,
        "source": str,
        "country": str,
    }
    columns = [column for column, _field in EXPORT_FIELDS]
    fields = [field for _column, field in EXPORT_FIELDS]
    if with_emails:
        columns.append(EMAIL_COLUMN)
        fields.append("email")
    converters = [convert.get(field, _text) for field in fields]
    queryset = Signature.objects.filter(petition=petition).confirmed().order_by("pk")
    wants_updates = fields.index("wants_updates")
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    # The byte order mark makes Excel read the file as UTF-8 (Cyrillic names).
    yield "\ufeff" + buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    for written, values in enumerate(_in_chunks(queryset, fields, chunk_size), start=1):
        row = [converter(value) for converter, value in zip(converters, values, strict=True)]
        if with_emails and not values[wants_updates]:
            row[-1] = ""
        writer.writerow(row)
        if written % ROWS_PER_PIECE == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue()


def _in_chunks(queryset, fields, chunk_size):
    """The `fields` of a queryset ordered by pk, chunk_size rows at a time. Through a pooler in
    transaction mode (DATABASE_POOLER) server-side cursors are off, and .iterator() would
    fetch every row at once: then it reads chunk after chunk by pk instead, in one
    repeatable-read transaction, so the export is one snapshot as with a cursor, and the
    pooler keeps it on one server connection."""
    if not connection.settings_dict.get("DISABLE_SERVER_SIDE_CURSORS"):
        yield from queryset.values_list(*fields).iterator(chunk_size=chunk_size)
        return
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        last = 0
        while chunk := list(queryset.filter(pk__gt=last).values_list("pk", *fields)[:chunk_size]):
            for row in chunk:
                yield row[1:]
            last = chunk[-1][0]


def export_filename(petition, with_emails=False):
    suffix = "-with-emails" if with_emails else ""
    return f"{petition.slug}-signatures{suffix}-{timezone.localdate():%Y-%m-%d}.csv"
