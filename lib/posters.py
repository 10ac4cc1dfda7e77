"""Posters for pickets, notice boards and leaflets: a petition's or an appeal's title big,
a QR code to its short address (/p/3, /a/5) and that address in letters, for people with
no camera or no wish to scan. A4 or A3, in any of the site's scripts (lib/pdf.py)."""

from django.core.cache import cache
from django.http import HttpResponse
from django.utils.translation import get_language
from fpdf.enums import MethodReturnValue

from . import origin, pdf
from .qr import qr_png

# Sizes in mm for A4; an A3 poster is the same drawing scaled by √2.
SCALES = {"A4": 1.0, "A3": 2**0.5}
SIZES = {"a4": "A4", "a3": "A3"}  # ?size=
CACHE_SECONDS = 3600


def poster_response(request, name, version, **texts):
    """The poster PDF at ?size=a4 (the default) or a3, drawn once per `version` (the record's
    id and last change), language, size and site address, and kept an hour. `texts` are
    poster_pdf's. The view that answers with it is framed by its own site only
    (@xframe_options_sameorigin): Chrome shows a PDF in a page of its own making, subject to
    the PDF's own policy, and the site's (frames refused) would show a "blocked" box instead."""
    size = SIZES.get(request.GET.get("size", "a4").lower(), "A4")
    key = f"poster:{name}:{version}:{get_language()}:{size}:{origin.site_url()}"
    data = cache.get(key)
    if data is None:
        data = poster_pdf(size=size, **texts)
        cache.set(key, data, CACHE_SECONDS)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}-poster-{size.lower()}.pdf"'
    response["Content-Security-Policy"] = "frame-ancestors 'self'"
    response["Cache-Control"] = "public, max-age=600"
    return response


def poster_pdf(kicker, title, text, url, call, site_name, size="A4"):
    """The poster's PDF bytes. `kicker` over the title ("Sign the petition"), `text` under
    it, `call` over the address ("Scan the code or type the address:")."""
    scale = SCALES.get(size, 1.0)
    margin = 15 * scale
    document = pdf.new_document(title=title, author=site_name, margin_mm=margin, page_format=size)
    document.set_auto_page_break(auto=False)
    width = document.epw

    document.set_text_color(139, 30, 30)
    pdf.write(document, site_name.upper(), size=14 * scale, bold=True, space_after=4 * scale)
    pdf.write(document, kicker, size=22 * scale, bold=True, space_after=2 * scale)
    document.set_text_color(0, 0, 0)

    # The title as big as fits in the top half of the page.
    qr_size = 95 * scale
    room = document.h - margin - document.get_y() - qr_size - 45 * scale
    title = pdf.printable(title)
    for points in (60, 52, 44, 38, 32, 27, 23, 20):
        size_pt = points * scale
        document.set_font(pdf.FONT, "B", size_pt)
        # No word broken in two: at this size the longest word must fit on a line.
        if max((document.get_string_width(word) for word in title.split()), default=0) > width - 2:
            continue
        height = document.multi_cell(
            width, size_pt * 0.45, title, align="L", dry_run=True, output=MethodReturnValue.HEIGHT, new_x="LMARGIN"
        )
        if height <= room * 0.8:
            break
    # Flush left: fpdf2's default, justified, stretches the gaps of a few big words across the line.
    document.multi_cell(width, size_pt * 0.45, title, align="L", new_x="LMARGIN", new_y="NEXT")
    document.ln(3 * scale)
    if text:
        pdf.write(document, text, size=16 * scale, space_after=0)

    # The code and the address at the foot of the page, where a passer-by's eye ends.
    top = document.h - margin - qr_size - 30 * scale
    document.set_y(top)
    pdf.write(document, call, size=16 * scale, bold=True, space_after=2 * scale, align="C")
    document.image(qr_png(url), x=(document.w - qr_size) / 2, y=document.get_y(), w=qr_size, h=qr_size)
    document.set_y(document.get_y() + qr_size + 2 * scale)
    shown = url.split("://", 1)[-1]
    pdf.write(document, shown, size=26 * scale, bold=True, space_after=0, align="C")
    return pdf.to_bytes(document)
