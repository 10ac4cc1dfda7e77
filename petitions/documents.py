"""The petition's printed documents, drawn with lib/pdf.py: the paper sheet supporters sign
at meetings and on picket lines, and the pack handed over to the petition's addressee with
the count and the names of the signers who chose to be listed (its list, digest and CSV are
petitions/handover.py's)."""

import math

from django.contrib.humanize.templatetags.humanize import intcomma
from django.db.models import Count
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_countries import countries
from fpdf.enums import MethodReturnValue

from lib import origin, pdf
from lib.qr import qr_png

from . import handover
from .models import Signature

# --- the paper sheet -----------------------------------------------------------------------

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
    listed = handover.handover_list(petition)
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
        _hashes, digest = handover.digest_of(listed)
        pdf.write(
            document,
            _(
                "Digest of the list of names (SHA-256, chained row by row; the list is attached to this file as "
                "%(file)s): %(digest)s"
            )
            % {"file": handover.HANDOVER_CSV_NAME, "digest": digest},
            size=8,
            space_after=5,
        )
        document.embed_file(
            bytes=handover.handover_csv(petition, listed).encode(),
            basename=handover.HANDOVER_CSV_NAME,
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
        towns = handover.count_by_town(petition)
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
            yield _("Other towns (fewer than %(n)d signers each)") % {"n": handover.TOWN_AT_LEAST}, "", intcomma(n)
