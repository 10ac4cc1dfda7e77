"""The hand-over: the pack printed for the petition's addressee, the organisers' CSV export
of the signatures, and recording the delivery (which closes the petition and may tell the
signers who asked for updates).

The pack goes to the regime's embassies and companies. It names only signers who chose to
be listed, on a petition that lists signers, and never shows an email address; everyone
else is counted, not named.
"""

import csv
import hashlib
import io
import unicodedata

from django.conf import settings
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_countries import countries
from fpdf.enums import MethodReturnValue
from modeltranslation.utils import build_localized_fieldname

from lib import pdf

from . import tasks
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


# --- the hand-over pack --------------------------------------------------------------------


def one_full_stop(sentence):
    """A sentence that ends with a date ending in an abbreviation (Russian «2026 г.») ends
    with that full stop, not a second one."""
    return sentence[:-1] if sentence.endswith("..") else sentence


PACK_MARGIN = 18  # mm


def _country_name(code):
    return str(countries.name(code)) if code else _("Country not given")


def totals_by_source(petition):
    """{"online": n, "paper": n} of confirmed signatures."""
    rows = (
        Signature.objects.filter(petition=petition).confirmed().values_list("source").annotate(n=Count("pk")).order_by()
    )
    totals = dict.fromkeys(Signature.Source.values, 0)
    totals.update(dict(rows))
    return totals


def _heading(document, text):
    document.ln(2)
    pdf.write(document, text, size=13, bold=True, space_after=2)


def _table(document, widths, headings, rows):
    with document.table(
        col_widths=widths,
        width=document.epw,
        line_height=5,
        text_align=("LEFT",) * (len(widths) - 1) + ("RIGHT",),
        first_row_as_headings=True,
        repeat_headings=1,
    ) as table:
        document.set_font(pdf.FONT, "B", 9)
        heading = table.row()
        for text in headings:
            heading.cell(pdf.printable(text))
        document.set_font(pdf.FONT, "", 9)
        for values in rows:
            row = table.row()
            for value in values:
                row.cell(pdf.printable(str(value)))


def _lines(document, text, width):
    """`text` broken into lines that fit `width`; most names fit on one, and measuring is
    much cheaper than fpdf2's line breaking."""
    text = pdf.printable(text)
    pdf.shape_for(document, text)  # a name in Arabic or Hebrew is measured as it will print
    if document.get_string_width(text) <= width:
        return [text]
    return document.multi_cell(width, 1, text, dry_run=True, output=MethodReturnValue.LINES)


def _signers_by_country(document, listed):
    """The listed signers under a heading per country, countries in alphabetical order
    and "not given" last, names in the list's order, each with its row number in the
    list (handover_list). Drawn cell by cell: fpdf2's tables take seconds per thousand
    rows, and a pack can name tens of thousands. Returns how many were named."""
    named = 0
    line = 4.6
    number_width = 12
    name_width = (document.epw - number_width) * 0.5
    by_country = {}
    for number, name, organisation, country, _pk in listed:
        by_country.setdefault(country, []).append((number, name, organisation))
    codes = sorted((code for code in by_country if code), key=_country_name) + [c for c in by_country if not c]
    document.set_draw_color(190)
    for code in codes:
        heading = _country_name(code)
        first = True
        for number, name, organisation in by_country[code]:
            document.set_font(pdf.FONT, "", 9)
            name_lines = _lines(document, name, name_width - 2)
            organisation_lines = _lines(document, organisation, name_width - 2)
            height = max(len(name_lines), len(organisation_lines)) * line
            room = document.page_break_trigger - document.get_y()
            if room < height + (8 if first else 0):
                document.add_page()
                if not first:
                    heading_text = _("%(country)s (continued)") % {"country": heading}
                    document.set_font(pdf.FONT, "B", 10)
                    pdf.shape_for(document, heading_text)
                    document.cell(0, 7, pdf.printable(heading_text), new_x="LMARGIN", new_y="NEXT")
                    document.set_font(pdf.FONT, "", 9)
            if first:
                document.set_font(pdf.FONT, "B", 10)
                document.ln(1)
                pdf.shape_for(document, heading)
                document.cell(0, 7, pdf.printable(heading), new_x="LMARGIN", new_y="NEXT")
                document.set_font(pdf.FONT, "", 9)
                first = False
            top = document.get_y()
            document.set_xy(document.l_margin, top)
            document.set_font(pdf.FONT, "", 7)
            document.cell(number_width, line, str(number))
            document.set_font(pdf.FONT, "", 9)
            for column_x, lines in ((number_width, name_lines), (number_width + name_width, organisation_lines)):
                for line_number, text in enumerate(lines):
                    pdf.shape_for(document, text)
                    document.set_xy(document.l_margin + column_x, top + line_number * line)
                    document.cell(name_width, line, text)
            document.line(document.l_margin, top + height, document.l_margin + document.epw, top + height)
            document.set_xy(document.l_margin, top + height)
            named += 1
    document.set_draw_color(0)
    return named


def pack_pdf(petition, today=None):
    """The petition as it is handed over: its text, the count (online and on paper, by
    country) and the names of the signers who chose to be listed."""
    today = today or timezone.localdate()
    document = pdf.new_document(title=petition.title, margin_mm=PACK_MARGIN)
    footer_text = pdf.printable(petition.title)

    def footer():
        document.set_y(-12)
        document.set_font(pdf.FONT, "", 8)
        page = _("page %(page)s of %(pages)s") % {"page": document.page_no(), "pages": "{nb}"}
        page = f" · {page}"
        # The title as much as fits beside the page number, cut between words; shaped, and so
        # measured, as it prints when it is in Arabic or Hebrew.
        pdf.shape_for(document, footer_text)
        title = pdf.fit(document, footer_text, document.epw - document.get_string_width(page) - 2)
        document.cell(0, 5, title + page, align="C")

    # fpdf2 calls footer() at the end of every page.
    document.footer = footer

    pdf.write(document, petition.title, size=17, bold=True, space_after=3)
    addressee = _("To: %(addressee)s") % {"addressee": petition.addressed_to}
    pdf.write(document, addressee, size=11, bold=True, space_after=1)
    if petition.delivered_on:
        when = _("Handed over on %(date)s.") % {"date": date_format(petition.delivered_on, "DATE_FORMAT")}
    else:
        when = _("Signatures as of %(date)s.") % {"date": date_format(today, "DATE_FORMAT")}
    pdf.write(document, one_full_stop(when), size=9, space_after=2)
    listed = handover_list(petition)
    if petition.signers_forgotten_on:
        # The names are deleted: what is left of the list is the digest sealed at the hand-over.
        if petition.handover_digest:
            pdf.write(
                document,
                _("The signers' names were deleted on %(date)s. Digest of the list of names handed over: %(digest)s")
                % {
                    "date": date_format(petition.signers_forgotten_on, "DATE_FORMAT"),
                    "digest": petition.handover_digest,
                },
                size=8,
                space_after=5,
            )
        else:
            document.ln(3)
    elif petition.list_signers:
        _hashes, digest = digest_of(listed)
        pdf.write(
            document,
            _(
                "Digest of the list of names (SHA-256, chained row by row; the list is attached to this file as "
                "%(file)s): %(digest)s"
            )
            % {"file": HANDOVER_CSV_NAME, "digest": digest},
            size=8,
            space_after=5,
        )
        document.embed_file(
            bytes=handover_csv(petition, listed).encode(),
            basename=HANDOVER_CSV_NAME,
            desc="The list of names, with each row's hash (SECURITY.md: the hand-over list)",
            compress=True,
        )
    else:
        document.ln(3)
    pdf.write(document, petition.text.replace("\r\n", "\n"), size=11, space_after=4)

    by_source = totals_by_source(petition)
    total = sum(by_source.values())
    _heading(document, _("Signatures"))
    pdf.write(
        document,
        ngettext(
            "%(total)s signature: %(online)s online and %(paper)s on paper.",
            "%(total)s signatures: %(online)s online and %(paper)s on paper.",
            total,
        )
        % {
            "total": intcomma(total),
            "online": intcomma(by_source[Signature.Source.ONLINE]),
            "paper": intcomma(by_source[Signature.Source.PAPER]),
        },
        size=11,
    )
    by_country_codes = sorted(petition.count_by_country().items(), key=lambda row: (-row[1], _country_name(row[0])))
    if by_country_codes:
        _table(
            document,
            (3, 1),
            [_("Country"), _("Signatures")],
            ((_country_name(code), intcomma(n)) for code, n in by_country_codes),
        )

    _heading(document, _("Signers"))
    if not petition.list_signers:
        pdf.write(document, _("The signers of this petition are counted, not named."), size=11)
        towns = count_by_town(petition)
        if towns:
            _heading(document, _("Signatures by town"))
            _table(document, (3, 2, 1), [_("Town"), _("Country"), _("Signatures")], _town_rows(towns))
        return pdf.to_bytes(document)
    named = _signers_by_country(document, listed)
    unnamed = max(total - named, 0)
    if unnamed:
        document.ln(3)
        pdf.write(
            document,
            ngettext(
                "%(n)s further signer asked not to be named.",
                "%(n)s further signers asked not to be named.",
                unnamed,
            )
            % {"n": intcomma(unnamed)},
            size=11,
        )
    return pdf.to_bytes(document)


def _town_rows(towns):
    for town, code, n in towns:
        if town:
            yield town, _country_name(code) if code else "", intcomma(n)
        else:
            yield _("Other towns (fewer than %(n)d signers each)") % {"n": TOWN_AT_LEAST}, "", intcomma(n)


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


# --- the delivery ---------------------------------------------------------------------------


def record_delivery(petition, delivered_on, where=None, to=None, note=None, photo=None, texts=None):
    """The petition was handed over: record when, where and to whom, and close it. From
    then on it takes no signatures, and a pending one can no longer be confirmed.

    `where`, `to` and `note` are the English texts; `texts` gives any language's
    ({"delivered_to_ru": "секретарю компании"}). Texts not given are left as they are."""
    petition.delivered_on = delivered_on
    given = dict(texts or {})
    for field, value in (("delivered_where", where), ("delivered_to", to), ("delivery_note", note)):
        if value is not None:
            given[build_localized_fieldname(field, settings.LANGUAGE_CODE)] = value
    for name, value in given.items():
        setattr(petition, name, value)
    if photo is not None:
        petition.delivery_photo = photo
    petition.status = Petition.Status.DELIVERED
    petition.save()
    seal_list(petition)
    return petition


def tell_signers_of_delivery(petition, now=None):
    """Queue the news of the delivery for every signer who asked for updates, once per
    petition: pressing the button twice mails nobody twice. Returns how many will be told,
    or None when the petition is not delivered or its signers have been told already."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = Petition.objects.select_for_update().get(pk=petition.pk)
        if locked.status != Petition.Status.DELIVERED or locked.signers_told_at:
            return None
        Petition.objects.filter(pk=petition.pk).update(signers_told_at=now)
        petition.signers_told_at = now
        count = Signature.objects.filter(petition=petition).wanting_updates().count()
        transaction.on_commit(lambda: tasks.announce_delivery.enqueue(petition.pk))
    return count


def deliver(petition, delivered_on, where=None, to=None, note=None, photo=None, tell_signers=False, texts=None):
    """Record the hand-over, which closes the petition, and if `tell_signers`, queue the
    news for the signers who asked for updates. One transaction: the delivery and the mark
    that its signers are told are saved together or not at all, and the news is queued
    only once both are. Returns how many will be told, or None (not asked, or told before)."""
    with transaction.atomic():
        record_delivery(petition, delivered_on, where=where, to=to, note=note, photo=photo, texts=texts)
        return tell_signers_of_delivery(petition) if tell_signers else None


def stop_updates(signature):
    """The signer wants no more email: forget the address, keep the signature. Once the
    petition's signers are forgotten, the address's fingerprint goes too: nothing is
    left that could tie this signature to a person."""
    update = {"wants_updates": False, "email": ""}
    if signature.petition.signers_forgotten_on:
        update["email_hash"] = None
    Signature.objects.filter(pk=signature.pk).update(**update)
    signature.wants_updates, signature.email = False, ""
