"""From an organiser's model letter to the letter a supporter sends.

Placeholders are `{name}` from PLACEHOLDERS and nothing else. They are filled by plain
string substitution, never by the template engine: organisers' text and supporters'
input are data, not code. A line whose placeholders all came out empty disappears, and
the commas and spaces around an empty optional field are tidied away, so a letter
signed without a town does not read ", France".

The mailto: link follows RFC 6068: every field is percent-encoded as UTF-8, so nothing
typed (CR/LF, &, ?, %, quotes) can end a field early or add a header.
"""

import functools
import re
from dataclasses import dataclass, field
from urllib.parse import quote

from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from lib import pdf

from .salutations import closing_for, salutation_for

PLACEHOLDERS = {
    "salutation": _("How the letter opens for each recipient, e.g. “Your Excellency,”"),
    "closing": _("How the letter closes for each recipient, e.g. “Yours faithfully,”"),
    "recipient_name": _("The recipient's name (and organisation)"),
    "demands": _("The appeal's demands, numbered, one per line"),
    "sender_name": _("The supporter's name"),
    "sender_organisation": _("The supporter's organisation or trade union (optional)"),
    "sender_town": _("The supporter's town (optional)"),
    "sender_country": _("The supporter's country (optional)"),
    "date": _("Today's date"),
}

PLACEHOLDER_RE = re.compile(r"\{([^{}\n]*)\}")

# How long a mailto: link may be, counted in characters of the encoded link (each Cyrillic
# letter takes six). Sources, read 2026-12-03; docs/development.md, "Letters that arrive
# whole", has the whole list:
# - Chrome and Edge on Windows hand the link to the mail program through ShellExecute and drop
#   one longer than 2,048 characters with the two quotes they add, opening nothing
#   (github.com/chromium/chromium, chrome/browser/platform_util_win.cc, OpenExternalOnWorkerThread,
#   kMaxUrlLength = 2048, "It may be possible to increase this. https://crbug.com/727909").
# - The rest take far more: Chrome's URLs go up to 2 MB (chromium docs/security/
#   url_display_guidelines/url_display_guidelines.md), iOS has no documented limit and took
#   1 MB of text (stackoverflow.com/questions/4473959, as copied at
#   newbedev.com/effective-maximum-mailto-body-lengths), Outlook on the web took an 8,000
#   character body and refused only past about 31,000 (InteractionDesignFoundation/
#   add-event-to-calendar-docs#65, 2026-08-19). The lowest measured is Gmail on the web set up
#   as the browser's mail program, which answered "Request too large" from about 6,400
#   characters (defund12/defund12.org#893, 2020).
# So: up to WINDOWS_MAILTO_LIMIT one link carries the letter everywhere; up to MAILTO_LIMIT it
# still carries it in every other mail program, and the page also offers copy-then-open;
# beyond that, copy-then-open only.
WINDOWS_MAILTO_LIMIT = 2046
MAILTO_LIMIT = 6000


def braced(name):
    return "{" + name + "}"


def unknown_placeholders(text):
    """Names in braces that are not placeholders, in order, without repeats."""
    seen = []
    for name in PLACEHOLDER_RE.findall(text or ""):
        if name not in PLACEHOLDERS and name not in seen:
            seen.append(name)
    return seen


def _tidy(line):
    """Clean separators left behind by an empty optional field on one line."""
    line = re.sub(r"[ \t]{2,}", " ", line)
    line = re.sub(r"\s+([,;.])", r"\1", line)
    line = re.sub(r"([,;])(\s*[,;])+", r"\1", line)
    line = re.sub(r"^[\s,;]+", "", line)
    line = re.sub(r"[\s,;]+$", "", line)
    return line


def fill(text, values):
    """Put values into the placeholders of text. Unknown names are left as they are
    (the admin refuses them; this keeps a letter readable if one slips through)."""
    lines_out = []
    for line in (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        names = PLACEHOLDER_RE.findall(line)
        if not names:
            lines_out.append(line)
            continue
        emptied = False

        def substitute(match):
            nonlocal emptied
            name = match.group(1)
            if name not in PLACEHOLDERS:
                return match.group(0)
            value = str(values.get(name) or "")
            if not value.strip():
                emptied = True
            return value

        new = PLACEHOLDER_RE.sub(substitute, line)
        if emptied:
            new = "\n".join(_tidy(part) for part in new.split("\n"))
            if not new.strip():
                continue  # the whole line was optional details the supporter left out
        lines_out.append(new)
    return "\n".join(lines_out)


def numbered(demands):
    return "\n".join(f"{i}. {text}" for i, text in enumerate(demands, start=1))


@dataclass
class Sender:
    name: str
    organisation: str = ""
    town: str = ""
    country: str = ""  # the country's name, not its code

    def values(self):
        return {
            "sender_name": self.name,
            "sender_organisation": self.organisation,
            "sender_town": self.town,
            "sender_country": self.country,
        }


@dataclass
class Letter:
    """One letter to one recipient, ready to send."""

    target: object  # a Target, or None when the appeal names no one to write to
    to: list = field(default_factory=list)
    cc: list = field(default_factory=list)
    subject: str = ""
    body: str = ""
    address: str = ""  # the recipient's name and postal address, in the letter's language

    @property
    def mailto(self):
        return mailto(self.to, self.cc, self.subject, self.body)

    # On the class, so that the template reads them from a letter (and from the letter page's
    # kept drawing) without a context of its own.
    mailto_limit = MAILTO_LIMIT
    windows_mailto_limit = WINDOWS_MAILTO_LIMIT

    @property
    def mailto_is_too_long(self):
        """Too long for any link: the page offers copy-then-open only."""
        return len(self.mailto) > MAILTO_LIMIT

    @property
    def mailto_may_not_open(self):
        """Carried whole by most mail programs' links but not by Chrome's or Edge's on Windows:
        the page offers copy-then-open beside the button."""
        return len(self.mailto) > WINDOWS_MAILTO_LIMIT

    @property
    def mailto_without_body(self):
        return mailto(self.to, self.cc, self.subject, "")


def render_letter(letter_text, demands, sender, target=None, cc=(), today=None):
    """The letter_text (a LetterText) filled in for one target."""
    today = today or timezone.localdate()
    # The date, the salutation, the closing and the recipient's name in the letter's language, not the page's.
    with translation.override(letter_text.language or None):
        language = translation.get_language()
        values = sender.values() | {
            "salutation": salutation_for(target, language),
            "closing": closing_for(target, language),
            "recipient_name": target.display_name if target else "",
            "demands": numbered(demands),
            "date": written_date(today, translation.get_language()),
        }
        recipient_address = _address_block(target)
    subject = one_line(fill(letter_text.subject, values))
    body = fill(letter_text.body, values).strip("\n")
    return Letter(
        target=target,
        to=[target.email] if target and target.email else [],
        cc=[address for address in cc if address],
        subject=subject,
        body=body,
        address=recipient_address,
    )


@functools.lru_cache(maxsize=32)
def written_date(day, language):
    """The day as the language writes a date in a letter (campaign/formats). Every letter of
    the day in a language asks for the same one: made once, not once per letter."""
    with translation.override(language):
        return date_format(day, "DATE_FORMAT")


def one_line(text):
    """A subject is one line: newlines typed into it become spaces."""
    return " ".join((text or "").split())


def mailto(to, cc, subject, body):
    """A mailto: URL per RFC 6068. Each address and each header value is
    percent-encoded whole, so '&', '?', '%', '#' and line breaks inside them stay data."""
    to_part = ",".join(quote(address.strip(), safe="@") for address in to if address.strip())
    headers = []
    cc = [address.strip() for address in cc if address.strip()]
    if cc:
        headers.append("cc=" + ",".join(quote(address, safe="@") for address in cc))
    if subject:
        headers.append("subject=" + quote(one_line(subject), safe=""))
    if body:
        # RFC 6068 section 5: line breaks in the body are written as %0D%0A.
        crlf = body.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\r\n")
        headers.append("body=" + quote(crlf, safe=""))
    return "mailto:" + to_part + ("?" + "&".join(headers) if headers else "")


def _address_block(target):
    if not target:
        return ""
    lines = [target.display_name]
    if target.postal_address:
        lines.append(target.postal_address.strip())
    return "\n".join(lines)


def as_text(letter):
    """The letter as a plain-text file: recipient's address, subject, body (the date is
    where the model letter puts {date})."""
    parts = [part for part in (letter.address, letter.subject, letter.body) if part]
    text = "\n\n".join(parts)
    return text.replace("\r\n", "\n").replace("\n", "\r\n") + "\r\n"


def as_pdf(letter):
    """The letter as a one-page A4 PDF (longer letters run on to more pages)."""
    document = pdf.new_document(title=letter.subject)
    address = letter.address
    if address:
        pdf.write(document, address, space_after=10)
    if letter.subject:
        pdf.write(document, letter.subject, bold=True, space_after=6)
    pdf.write(document, letter.body.replace("\r\n", "\n"))
    return pdf.to_bytes(document)
