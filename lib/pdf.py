"""Small PDF helpers on fpdf2 with the vendored DejaVu Sans, which covers Latin,
Cyrillic and the Kazakh letters (ә ғ қ ң ө ұ ү һ і). Used for letters here and for
petitions' paper sheets.

    pdf = new_document(title="...")
    write(pdf, "Heading", size=14, bold=True)
    write(pdf, "A paragraph\\nwith lines.")
    data = to_bytes(pdf)
"""

import logging
from pathlib import Path

from fpdf import FPDF

# fontTools reports every font subset at INFO: dozens of lines per PDF in the site's log.
logging.getLogger("fontTools").setLevel(logging.WARNING)

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT = "DejaVu"


def new_document(title="", author="", margin_mm=20, page_format="A4"):
    """A portrait document (A4 unless `page_format` says otherwise, e.g. "A3") with DejaVu
    Sans (regular and bold) ready to use."""
    pdf = FPDF(orientation="portrait", unit="mm", format=page_format)
    pdf.set_margins(margin_mm, margin_mm, margin_mm)
    pdf.set_auto_page_break(auto=True, margin=margin_mm)
    pdf.add_font(FONT, "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font(FONT, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    if title:
        pdf.set_title(title)
    if author:
        pdf.set_author(author)
    pdf.add_page()
    pdf.set_font(FONT, size=11)
    return pdf


def write(pdf, text, size=11, bold=False, space_after=4, align="L"):
    """A block of text wrapped to the page width; line breaks in text are kept."""
    pdf.set_font(FONT, "B" if bold else "", size)
    # Keep only characters the font can draw or fpdf2 would fail on them (emoji).
    text = printable(text)
    pdf.multi_cell(0, size * 0.5, text, align=align, new_x="LMARGIN", new_y="NEXT")
    if space_after:
        pdf.ln(space_after)


def to_bytes(pdf):
    return bytes(pdf.output())


_GLYPHS = {}


def printable(text):
    """Drop characters DejaVu Sans has no glyph for, such as most emoji, rather than
    print empty boxes or fail."""
    font = _font_cmap()
    return "".join(ch for ch in text if ch in "\n\t" or ord(ch) in font)


def _font_cmap():
    if "cmap" not in _GLYPHS:
        from fontTools.ttLib import TTFont

        _GLYPHS["cmap"] = set(TTFont(str(FONT_DIR / "DejaVuSans.ttf")).getBestCmap())
    return _GLYPHS["cmap"]
