"""Petitions on paper: the sheet supporters sign at meetings and on picket lines, and the
signatures organisers key in from it, by hand in the admin or from a CSV file.

Paper signatures are confirmed by the organiser who keys them in: they count at once,
through the same counters as online ones (services.count_changes), in the same
transaction that creates them.
"""

import csv
import io
import math
import secrets
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from fpdf.enums import MethodReturnValue

from lib import origin, pdf
from lib.hashing import name_fingerprint
from lib.qr import qr_png

from . import services
from .forms import PaperRowForm
from .models import PaperBatch, Signature

# --- the sheet -----------------------------------------------------------------------------

MARGIN = 15  # mm
QR_SIZE = 30  # mm: big enough for an old phone's camera at arm's length
ROW_HEIGHT = 10  # mm: room for a handwritten name
MIN_ROWS = 8  # fewer than this under a long text: the rows start on a new page
NOTICE_SIZE = 7  # pt


def petition_url(petition):
    return origin.absolute(petition.get_absolute_url())


def sheet_columns(petition):
    """(heading, relative width) of the sheet's columns."""
    columns = [
        (_("No."), 5),
        (_("Name"), 22),
        (_("Organisation or trade union"), 22),
        (_("Town, country"), 18),
    ]
    if petition.list_signers:
        columns.append((_("Tick to list my name publicly"), 11))
    columns.append((_("Signature"), 22))
    return columns


def paper_privacy_notice(petition):
    parts = [
        _(
            "The campaign's organisers type what you write here into the petition, where it is counted with the "
            "signatures given online. Only they see the sheet."
        )
    ]
    if petition.list_signers:
        parts.append(
            _(
                "If you tick the box, your name, your town (or country) and organisation are shown on the campaign's "
                "website and printed in the petition handed to %(to)s. If not, you are counted but never named."
            )
            % {"to": petition.addressed_to}
        )
    else:
        parts.append(_("Signers of this petition are counted, never named in public."))
    parts.append(
        _(
            "This sheet asks for no email or postal address. To have your signature removed, ask the organisers "
            "who collected it."
        )
    )
    return " ".join(parts)


def sheet_pdf(petition):
    """An A4 sheet to collect signatures on: the petition, a QR code to sign online,
    numbered rows filling the page, and what happens to what people write."""
    url = petition_url(petition)
    document = pdf.new_document(title=_("Petition: %(title)s") % {"title": petition.title}, margin_mm=MARGIN)
    top = document.get_y()
    qr_x = document.w - MARGIN - QR_SIZE
    document.image(qr_png(url), x=qr_x, y=top, w=QR_SIZE, h=QR_SIZE)
    document.set_font(pdf.FONT, "", 7)
    document.set_xy(qr_x, top + QR_SIZE)
    document.cell(QR_SIZE, 3.5, pdf.printable(_("Scan to sign online")), align="C")

    # The heading runs beside the QR code, the text below both.
    document.set_xy(MARGIN, top)
    document.set_right_margin(MARGIN + QR_SIZE + 5)
    pdf.write(document, petition.title, size=15, bold=True, space_after=2)
    pdf.write(document, _("To: %(addressee)s") % {"addressee": petition.addressed_to}, size=10, bold=True)
    pdf.write(document, _("Online: %(url)s") % {"url": url}, size=8, space_after=0)
    document.set_right_margin(MARGIN)
    document.set_y(max(document.get_y(), top + QR_SIZE + 4) + 2)
    pdf.write(document, petition.text.replace("\r\n", "\n"), size=10, space_after=3)

    columns = sheet_columns(petition)
    notice = pdf.printable(paper_privacy_notice(petition))
    line = 3.2
    document.set_font(pdf.FONT, "", NOTICE_SIZE)
    notice_height = document.multi_cell(0, line, notice, dry_run=True, output=MethodReturnValue.HEIGHT) + 2
    total_weight = sum(weight for _heading, weight in columns)
    widths = [document.epw * weight / total_weight for _heading, weight in columns]
    document.set_font(pdf.FONT, "B", 7.5)
    header_lines = max(
        len(document.multi_cell(width - 1, line, pdf.printable(heading), dry_run=True, output=MethodReturnValue.LINES))
        for (heading, _w), width in zip(columns, widths, strict=True)
    )
    header_height = header_lines * line + 2
    collected_height = 8

    def rows_that_fit():
        room = document.h - MARGIN - document.get_y() - collected_height - header_height - notice_height
        return math.floor(room / ROW_HEIGHT)

    if rows_that_fit() < MIN_ROWS:
        document.add_page()
        # A signer given this page alone still sees what they sign.
        pdf.write(document, _("Petition: %(title)s") % {"title": petition.title}, size=10, bold=True, space_after=2)
    rows = max(rows_that_fit(), MIN_ROWS)
    # The rows are measured to fit: no page break may cut the table.
    document.set_auto_page_break(False)

    document.set_font(pdf.FONT, "", 8)
    document.cell(
        0,
        collected_height - 2,
        pdf.printable(_("Collected at: ____________________   Date: ____________   By: ____________________")),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    document.ln(2)
    y = document.get_y()
    x = MARGIN
    document.set_font(pdf.FONT, "B", 7.5)
    for (heading, _w), width in zip(columns, widths, strict=True):
        document.rect(x, y, width, header_height)
        document.set_xy(x + 0.5, y + 1)
        document.multi_cell(width - 1, line, pdf.printable(heading), align="C")
        x += width
    y += header_height
    document.set_font(pdf.FONT, "", 8)
    tick = len(columns) - 2 if petition.list_signers else None
    for number in range(1, rows + 1):
        x = MARGIN
        for index, width in enumerate(widths):
            document.rect(x, y, width, ROW_HEIGHT)
            if index == 0:
                document.set_xy(x, y)
                document.cell(width, ROW_HEIGHT, str(number), align="C")
            elif index == tick:
                document.rect(x + width / 2 - 2, y + ROW_HEIGHT / 2 - 2, 4, 4)
            x += width
        y += ROW_HEIGHT

    document.set_xy(MARGIN, y + 2)
    document.set_font(pdf.FONT, "", NOTICE_SIZE)
    document.multi_cell(0, line, notice)
    return pdf.to_bytes(document)


# --- keying in paper signatures -------------------------------------------------------


def _name_key(name):
    # The keyed fingerprint of the normalised name: names are encrypted in the database,
    # so a name is matched by its fingerprint (lib/hashing.py).
    return name_fingerprint(name)


def find_duplicates(petition, rows, lines=None):
    """For each row (a dict with "name" and maybe "email"), why it may repeat a signature
    already on `petition` or an earlier row (`lines` numbers them, 1, 2... by default):
    "" when nothing matches. People sign at a
    stall and again online, or a sheet is keyed in twice; but two people can share a name,
    so a match is only flagged for an organiser to look at, never merged or dropped."""
    names = {_name_key(row["name"]) for row in rows if row.get("name")}
    hashes = {services.email_fingerprint(row["email"]) for row in rows if row.get("email")}
    known_names = {}
    if names:
        # One query, whatever the number of rows.
        matches = (
            Signature.objects.filter(petition=petition, name_hash__in=names)
            .exclude(status=Signature.Status.REJECTED)
            .values_list("name_hash", "source")
        )
        for name_hash, source in matches:
            known_names.setdefault(name_hash, source)
    known_hashes = dict(
        Signature.objects.filter(petition=petition, email_hash__in=hashes).values_list("email_hash", "source")
    )
    reasons, seen_names, seen_hashes = [], {}, {}
    for number, row in zip(lines or range(1, len(rows) + 1), rows, strict=True):
        name = _name_key(row.get("name") or "")
        email_hash = services.email_fingerprint(row["email"]) if row.get("email") else ""
        reason = ""
        if email_hash and email_hash in known_hashes:
            reason = _duplicate_reason("address", known_hashes[email_hash])
        elif name and name in known_names:
            reason = _duplicate_reason("name", known_names[name])
        elif email_hash and email_hash in seen_hashes:
            reason = _("the same address as line %(line)d") % {"line": seen_hashes[email_hash]}
        elif name and name in seen_names:
            reason = _("the same name as line %(line)d") % {"line": seen_names[name]}
        seen_names.setdefault(name, number)
        if email_hash:
            seen_hashes.setdefault(email_hash, number)
        reasons.append(reason)
    return reasons


def _duplicate_reason(what, source):
    if source == Signature.Source.PAPER:
        if what == "address":
            return _("the same address as a paper signature already keyed in")
        return _("the same name as a paper signature already keyed in")
    if what == "address":
        return _("the same address as an online signature")
    return _("the same name as an online signature")


def _paper_signature(batch, row, now, duplicate, email_hash):
    email = row.get("email") or ""
    wants_updates = bool(row.get("wants_updates")) and bool(email)
    return Signature(
        petition_id=batch.petition_id,
        paper_batch=batch,
        source=Signature.Source.PAPER,
        status=Signature.Status.CONFIRMED,
        created_at=now,
        confirmed_at=now,
        name=row["name"],
        name_hash=name_fingerprint(row["name"]),  # bulk_create skips Signature.save()
        organisation=row.get("organisation") or "",
        town=row.get("town") or "",
        country=row.get("country") or "",
        comment=row.get("comment") or "",
        public=bool(row.get("public")) and batch.petition.list_signers,
        wants_updates=wants_updates,
        # As online: the address is kept only to send the updates the signer asked for.
        email=email if wants_updates else "",
        email_hash=email_hash,
        possible_duplicate=duplicate,
        nonce=secrets.token_urlsafe(16),  # bulk_create skips Signature.save()
        language=batch.language,
    )


def add_paper_signatures(batch, rows, now=None):
    """Add rows of a paper batch (dicts: name, and optionally organisation, town, country,
    public, email, wants_updates, comment) as confirmed signatures, counted in the same
    transaction. A row that may repeat a signature is added and flagged possible_duplicate.
    Returns the new signatures."""
    now = now or timezone.now()
    for attempt in range(2):
        reasons = find_duplicates(batch.petition, rows)
        signatures = []
        for row, reason in zip(rows, reasons, strict=True):
            email_hash = services.email_fingerprint(row["email"]) if row.get("email") else None
            if reason and email_hash:
                # One fingerprint per address per petition (a database constraint): the
                # repeat goes without, and its flag tells the organisers why.
                email_hash = None
            signatures.append(_paper_signature(batch, row, now, bool(reason), email_hash))
        try:
            with transaction.atomic():
                Signature.objects.bulk_create(signatures, batch_size=500)
                services.count_changes(signatures, +1)
        except IntegrityError:
            if attempt:
                raise
            continue  # someone signed online with one of these addresses a moment ago: look again
        return signatures
    return []


def update_paper_signature(signature, old_country):
    """Save an organiser's correction to a keyed-in signature; a confirmed one moves to
    its new country's count."""
    if not signature.wants_updates:
        signature.email = ""
    signature.public = signature.public and signature.petition.list_signers
    with transaction.atomic():
        signature.save()
        if signature.status == Signature.Status.CONFIRMED:
            services.move_count(signature.petition_id, str(old_country or ""), str(signature.country or ""))


def delete_paper_batches(batches):
    """Delete paper batches with their signatures, taken out of the count first: the
    database's cascade alone would leave the counters too high."""
    ids = [batch.pk for batch in batches]
    with transaction.atomic():
        deleted = services.delete_signatures(list(Signature.objects.filter(paper_batch__in=ids)))
        PaperBatch.objects.filter(pk__in=ids).delete()
    return deleted


# --- the CSV file -----------------------------------------------------------------------

COLUMNS = ["name", "organisation", "town", "country", "public", "email", "wants_updates", "comment"]
MAX_ROWS = 5000


@dataclass
class PaperRow:
    line: int
    data: dict  # as written in the file, for the preview
    cleaned: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)
    duplicate: str = ""  # why it may repeat another signature, or ""


def _reader(text):
    """Standard CSV (quotes doubled inside quoted text), with whichever separator splits the
    header into the most columns: spreadsheets set to Russian or Kazakh save with
    semicolons. Only the separator is guessed: csv.Sniffer guessed the quoting too, and
    turned `"O""Brien"` into `O"Brien"`."""
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=lambda candidate: len(next(csv.reader([first_line], delimiter=candidate), [])))
    return csv.DictReader(io.StringIO(text), delimiter=delimiter)


def parse_paper_csv(petition, text):
    """Check every row of a CSV file of paper signatures without saving anything.
    Returns (rows, file_errors)."""
    reader = _reader(text.removeprefix("\ufeff"))
    headers = [(h or "").strip().lower().replace(" ", "_") for h in (reader.fieldnames or [])]
    if "name" not in headers:
        return [], [_("The first row must name the columns, and one must be “name”.")]
    file_errors = []
    unknown = [h for h in headers if h and h not in COLUMNS]
    if unknown:
        file_errors.append(_("Unknown columns ignored: %(cols)s.") % {"cols": ", ".join(unknown)})
    reader.fieldnames = headers
    rows = []
    for raw in reader:
        data = {column: (raw.get(column) or "").strip() for column in COLUMNS}
        if not any(data.values()):
            continue
        row = PaperRow(line=reader.line_num, data=data)
        form = PaperRowForm(data)
        if form.is_valid():
            row.cleaned = form.cleaned_data
        else:
            for name, errors in form.errors.items():
                for error in errors:
                    named = name == "__all__" or error.startswith(f"{name}:")
                    row.errors.append(error if named else f"{name}: {error}")
        rows.append(row)
    if len(rows) > MAX_ROWS:
        file_errors.append(_("At most %(max)d rows at a time: split the file.") % {"max": MAX_ROWS})
    good = [row for row in rows if not row.errors]
    reasons = find_duplicates(petition, [row.cleaned for row in good], lines=[row.line for row in good])
    for row, reason in zip(good, reasons, strict=True):
        row.duplicate = reason
    return rows, file_errors


def import_paper_csv(batch, text):
    """Add the rows of a checked CSV file to `batch`, all or none: nothing is saved while
    any row has an error. Returns (signatures added, rows)."""
    rows, _file_errors = parse_paper_csv(batch.petition, text)
    if not rows or len(rows) > MAX_ROWS or any(row.errors for row in rows):
        return [], rows
    with transaction.atomic():
        return add_paper_signatures(batch, [row.cleaned for row in rows]), rows
