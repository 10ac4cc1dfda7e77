"""The hand-over: the pack printed for the petition's addressee, the organisers' CSV export
of the signatures, and recording the delivery (which closes the petition and may tell the
signers who asked for updates).

The pack goes to the regime's embassies and companies. It names only signers who chose to
be listed, on a petition that lists signers, and never shows an email address; everyone
else is counted, not named.
"""

import csv
import io

from django.contrib.humanize.templatetags.humanize import intcomma
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_countries import countries
from fpdf.enums import MethodReturnValue

from lib import pdf

from . import tasks
from .models import Petition, Signature

# --- the hand-over pack --------------------------------------------------------------------

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
        text_align=("LEFT", "RIGHT"),
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
    if document.get_string_width(text) <= width:
        return [text]
    return document.multi_cell(width, 1, text, dry_run=True, output=MethodReturnValue.LINES)


def _signers_by_country(document, petition, codes):
    """The listed signers under a heading per country, countries in alphabetical order
    and "not given" last, names in alphabetical order. Drawn cell by cell: fpdf2's
    tables take seconds per thousand rows, and a pack can name tens of thousands.
    Returns how many were named."""
    named = 0
    line = 4.6
    name_width = document.epw * 0.5
    codes = sorted((code for code in codes if code), key=_country_name) + [code for code in codes if not code]
    document.set_draw_color(190)
    for code in codes:
        rows = (
            Signature.objects.listed(petition)
            .filter(country=code)
            .order_by("name", "pk")
            .values_list("name", "organisation")
            .iterator(chunk_size=2000)
        )
        heading = _country_name(code)
        first = True
        for name, organisation in rows:
            document.set_font(pdf.FONT, "", 9)
            name_lines = _lines(document, name, name_width - 2)
            organisation_lines = _lines(document, organisation, document.epw - name_width - 2)
            height = max(len(name_lines), len(organisation_lines)) * line
            room = document.page_break_trigger - document.get_y()
            if room < height + (8 if first else 0):
                document.add_page()
                if not first:
                    heading_text = _("%(country)s (continued)") % {"country": heading}
                    document.set_font(pdf.FONT, "B", 10)
                    document.cell(0, 7, pdf.printable(heading_text), new_x="LMARGIN", new_y="NEXT")
                    document.set_font(pdf.FONT, "", 9)
            if first:
                document.set_font(pdf.FONT, "B", 10)
                document.ln(1)
                document.cell(0, 7, pdf.printable(heading), new_x="LMARGIN", new_y="NEXT")
                document.set_font(pdf.FONT, "", 9)
                first = False
            top = document.get_y()
            for column_x, lines in ((0, name_lines), (name_width, organisation_lines)):
                for number, text in enumerate(lines):
                    document.set_xy(document.l_margin + column_x, top + number * line)
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
        document.cell(0, 5, f"{footer_text[:90]} · {page}", align="C")

    # fpdf2 calls footer() at the end of every page.
    document.footer = footer

    pdf.write(document, petition.title, size=17, bold=True, space_after=3)
    addressee = _("To: %(addressee)s") % {"addressee": petition.addressed_to}
    pdf.write(document, addressee, size=11, bold=True, space_after=1)
    if petition.delivered_on:
        when = _("Handed over on %(date)s.") % {"date": date_format(petition.delivered_on, "DATE_FORMAT")}
    else:
        when = _("Signatures as of %(date)s.") % {"date": date_format(today, "DATE_FORMAT")}
    pdf.write(document, when, size=9, space_after=5)
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
        return pdf.to_bytes(document)
    named = _signers_by_country(document, petition, [code for code, _n in by_country_codes])
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
    queryset = Signature.objects.filter(petition=petition).confirmed().order_by("pk").values_list(*fields)
    wants_updates = fields.index("wants_updates")
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    # The byte order mark makes Excel read the file as UTF-8 (Cyrillic names).
    yield "\ufeff" + buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    for written, values in enumerate(queryset.iterator(chunk_size=chunk_size), start=1):
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


def export_filename(petition, with_emails=False):
    suffix = "-with-emails" if with_emails else ""
    return f"{petition.slug}-signatures{suffix}-{timezone.localdate():%Y-%m-%d}.csv"


# --- the delivery ---------------------------------------------------------------------------


def record_delivery(petition, delivered_on, where="", to="", note="", photo=None):
    """The petition was handed over: record when, where and to whom, and close it. From
    then on it takes no signatures, and a pending one can no longer be confirmed."""
    petition.delivered_on = delivered_on
    petition.delivered_where = where
    petition.delivered_to = to
    petition.delivery_note = note
    if photo is not None:
        petition.delivery_photo = photo
    petition.status = Petition.Status.DELIVERED
    petition.save()
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


def deliver(petition, delivered_on, where="", to="", note="", photo=None, tell_signers=False):
    """Record the hand-over, which closes the petition, and if `tell_signers`, queue the
    news for the signers who asked for updates. One transaction: the delivery and the mark
    that its signers are told are saved together or not at all, and the news is queued
    only once both are. Returns how many will be told, or None (not asked, or told before)."""
    with transaction.atomic():
        record_delivery(petition, delivered_on, where=where, to=to, note=note, photo=photo)
        return tell_signers_of_delivery(petition) if tell_signers else None


def stop_updates(signature):
    """The signer wants no more email: forget the address, keep the signature."""
    Signature.objects.filter(pk=signature.pk).update(wants_updates=False, email="")
    signature.wants_updates, signature.email = False, ""
