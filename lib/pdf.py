"""Small PDF helpers on fpdf2 with the vendored DejaVu Sans, which covers Latin,
Cyrillic and the Kazakh letters (ә ғ қ ң ө ұ ү һ і), and Arabic and Hebrew. Used for
letters here and for petitions' paper sheets and hand-over packs.

Text in a script whose letters join or that runs right to left (a signer's Arabic or Hebrew
name) is shaped by HarfBuzz (uharfbuzz), which fpdf2 calls when text shaping is on: without
it, Arabic letters print in their isolated forms and both scripts print backwards. Shaping
is switched on only for the texts that need it (`shape_for`): it makes drawing a line
about eight times slower, and a hand-over pack can name tens of thousands of signers.

    pdf = new_document(title="...")
    write(pdf, "Heading", size=14, bold=True)
    write(pdf, "A paragraph\\nwith lines.")
    data = to_bytes(pdf)
"""

import logging
import unicodedata
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
    shape_for(pdf, text)
    pdf.multi_cell(0, size * 0.5, text, align=align, new_x="LMARGIN", new_y="NEXT")
    if space_after:
        pdf.ln(space_after)


def needs_shaping(text):
    """Whether text holds letters that run right to left (Hebrew, Arabic) or that take
    their form from their neighbours (Arabic, Syriac, the Indic scripts...). Latin and
    Cyrillic, Kazakh's letters included, print right as they are."""
    for ch in text:
        if ch < "\u0590":
            continue
        if unicodedata.bidirectional(ch) in ("R", "AL") or "\u0900" <= ch < "\u1100":
            return True
    return False


def shape_for(pdf, text):
    """Turn fpdf2's text shaping on for a text that needs it and off for one that does not,
    before measuring or drawing it."""
    wanted = needs_shaping(text)
    if wanted != bool(pdf.text_shaping):
        pdf.set_text_shaping(wanted)


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


def fit(document, text, width):
    """`text` as it fits `width` (mm) on one line in the current font: whole if it fits, else
    cut after its last whole word that leaves room for an ellipsis, never inside a word."""
    if document.get_string_width(text) <= width:
        return text
    ellipsis = "…"
    words = text.split()
    while words and document.get_string_width(" ".join(words) + ellipsis) > width:
        words.pop()
    if not words:  # one word longer than the line: cut it, as nothing else would fit
        cut = text
        while cut and document.get_string_width(cut + ellipsis) > width:
            cut = cut[:-1]
        return cut + ellipsis
    return " ".join(words).rstrip(",;:·–—-") + ellipsis
