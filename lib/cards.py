"""Link-preview images ("cards"): the 1200×630 PNG that Telegram, VK, WhatsApp and the rest
show when a link to a case, an appeal or a petition is pasted. Drawn here, on the server,
with the vendored DejaVu Sans (Latin, Cyrillic and the Kazakh letters), so a preview
costs no third-party service and no font from elsewhere.

    data = cached_card(("petition", pk, updated, language, bucket), lambda: draw_card(...))

Drawing takes some tens of milliseconds; each version of a card (the object, its last
change, the language, the count's bucket) is drawn once and kept in the cache.
"""

import hashlib
import io
from urllib.parse import urlsplit

from django.core.cache import cache
from django.http import HttpResponse
from PIL import Image, ImageDraw, ImageFont

from . import origin
from .pdf import FONT_DIR, printable

WIDTH, HEIGHT = 1200, 630
MARGIN = 72
CACHE_SECONDS = 7 * 24 * 3600
# Part of every card's version: raised when the drawing changes, so that cards drawn before
# get new addresses and are drawn again, not kept by the cache and chat apps.
DESIGN = 2

RED_DARK = (94, 17, 17)
RED = (139, 30, 30)
INK = (31, 35, 40)
MUTED = (89, 95, 102)
PAPER = (247, 245, 242)
TRACK = (221, 214, 206)


def _font(size, bold=False):
    return ImageFont.truetype(str(FONT_DIR / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")), size)


def count_bucket(n):
    """The count as a card shows it: exact below 100, then rounded down to two significant
    figures (1,234 → 1,200), so a busy petition's card is drawn again only every few dozen
    signatures, not at each one."""
    if n < 100:
        return n
    step = 10 ** (len(str(n)) - 2)
    return n - n % step


def wrap(text, font, width, max_lines):
    """`text` in lines no wider than `width`; the last one ends with … if it did not fit."""
    words = text.split()
    lines, line = [], ""
    for word in words:
        candidate = f"{line} {word}".strip()
        if font.getlength(candidate) <= width or not line:
            line = candidate
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    if len(lines) > max_lines:
        last = " ".join(lines[max_lines - 1 :])
        while last and font.getlength(last + "…") > width:
            last = last[:-1]
        lines = lines[: max_lines - 1] + [last.rstrip() + "…"]
    # A single word wider than the card (a long URL, say) is cut, not drawn past the edge.
    return [_fit(one, font, width) for one in lines]


def _fit(line, font, width):
    if font.getlength(line) <= width:
        return line
    while line and font.getlength(line + "…") > width:
        line = line[:-1]
    return line + "…"


def draw_card(title, subtitle="", highlight="", progress=None, site_name="", footer="", note=""):
    """The PNG bytes of a card: the campaign's name in a band, the title as large as fits,
    an optional subtitle, a highlighted line (a petition's count, a case's status) with a
    progress bar (0 to 1) or a note under it (the date a status was reported), and a footer
    (the site's address)."""
    title, subtitle, highlight, site_name, footer, note = (
        printable(text or "").replace("\n", " ") for text in (title, subtitle, highlight, site_name, footer, note)
    )
    image = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    draw = ImageDraw.Draw(image)
    width = WIDTH - 2 * MARGIN

    band = 96
    draw.rectangle((0, 0, WIDTH, band), fill=RED_DARK)
    draw.text((MARGIN, band / 2), site_name, font=_font(36, bold=True), fill=(255, 255, 255), anchor="lm")

    bottom = HEIGHT - 60  # the footer's line
    room_below = (140 if progress is not None or note else 90) if highlight else 0
    room_below += 50 if subtitle else 0
    top = band + 48
    title_room = bottom - 40 - room_below - top
    for size in (66, 58, 50, 44, 38):
        font = _font(size, bold=True)
        line_height = round(size * 1.22)
        lines = wrap(title, font, width, max(1, title_room // line_height))
        if len(lines) * line_height <= title_room and not lines[-1].endswith("…"):
            break
    y = top
    for line in lines:
        draw.text((MARGIN, y), line, font=font, fill=INK)
        y += line_height

    if subtitle:
        font = _font(32)
        y += 8
        draw.text((MARGIN, y), _fit(subtitle, font, width), font=font, fill=MUTED)
        y += 50

    if highlight:
        y = max(y + 16, bottom - 40 - room_below + (50 if subtitle else 0))
        font = _font(48, bold=True)
        draw.text((MARGIN, y), _fit(highlight, font, width), font=font, fill=RED)
        y += 70
        if progress is not None:
            share = min(1.0, max(0.0, float(progress)))
            draw.rounded_rectangle((MARGIN, y, WIDTH - MARGIN, y + 26), radius=13, fill=TRACK)
            if share > 0:
                draw.rounded_rectangle((MARGIN, y, MARGIN + max(26, round(width * share)), y + 26), radius=13, fill=RED)
        elif note:
            draw.text((MARGIN, y - 6), _fit(note, _font(30), width), font=_font(30), fill=MUTED)

    if footer:
        draw.text((MARGIN, bottom), _fit(footer, _font(28), width), font=_font(28), fill=MUTED, anchor="lm")

    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def site_host():
    """The site's address as a card or poster prints it: solidarity.example.org."""
    base = origin.site_url()
    return urlsplit(base).netloc or base


def version(*parts):
    """A short tag for one version of a card, for its address (?v=…): a new version gets a
    new address, which chat apps and browsers then fetch instead of their old copy."""
    return hashlib.sha256(repr((DESIGN, *parts, origin.site_url())).encode()).hexdigest()[:12]


def cached_card(tag, draw):
    key = f"card:{tag}"
    data = cache.get(key)
    if data is None:
        data = draw()
        cache.set(key, data, CACHE_SECONDS)
    return data


def card_response(request, tag, draw):
    """The card's PNG. At its versioned address it never changes: kept a year; at any other
    (an old ?v= or none) an hour."""
    response = HttpResponse(cached_card(tag, draw), content_type="image/png")
    if request.GET.get("v") == tag:
        response["Cache-Control"] = "public, max-age=31536000, immutable"
    else:
        response["Cache-Control"] = "public, max-age=3600"
    return response
