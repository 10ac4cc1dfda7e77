"""Operations on appeals that span several models: building a supporter's letters,
counting a letter sent, importing the embassy directory."""

import csv
import io
from dataclasses import dataclass, field

from django import forms
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django_countries import countries

from lib.countries import country_code

from .letters import Sender, render_letter
from .models import Appeal, LetterSent, Recipient, Target


@dataclass
class LetterSet:
    letters: list
    embassy_asked: bool = False  # the appeal goes to the embassy in the supporter's country
    embassy_missing: bool = False  # ... and the directory has none for that country
    country_name: str = ""
    language: str = ""


def pick_letter_text(appeal, language):
    """The model letter in the language asked for, else English, else any."""
    texts = {text.language: text for text in appeal.letters.all()}
    return texts.get(language) or texts.get("en") or next(iter(texts.values()), None)


def build_letters(appeal, sender_data, today=None):
    """One letter per recipient for the sender's details (a SenderForm's cleaned_data)."""
    code = sender_data.get("country") or ""
    letter_text = pick_letter_text(appeal, sender_data.get("language") or "")
    # The page speaks the supporter's language; the letter names the country in its own.
    country_name = str(countries.name(code)) if code else ""
    result = LetterSet(letters=[], embassy_asked=appeal.goes_to_embassy, country_name=country_name)
    if letter_text is None:
        return result
    result.language = letter_text.language
    with translation.override(letter_text.language):
        country_in_letter = str(countries.name(code)) if code else ""
    sender = Sender(
        name=sender_data["name"],
        organisation=sender_data.get("organisation", ""),
        town=sender_data.get("town", ""),
        country=country_in_letter,
    )
    recipients = list(appeal.recipients.all())
    targets = [r.target for r in recipients if r.role == Recipient.Role.TO]
    cc = [r.target.email for r in recipients if r.role == Recipient.Role.CC and r.target.email]
    if appeal.goes_to_embassy and code:
        embassies = list(Target.objects.filter(kind=Target.Kind.EMBASSY, country=code))
        result.embassy_missing = not embassies
        targets = embassies + targets
    demands = [demand.text for demand in appeal.demands.all()]
    if not targets:
        targets = [None]
    result.letters = [render_letter(letter_text, demands, sender, target, cc, today) for target in targets]
    return result


@transaction.atomic
def record_letter_sent(appeal, channel, country=""):
    """Count one letter; only the appeal, channel, country and today's date are kept."""
    if appeal.status != Appeal.Status.ACTIVE:
        raise ValueError("This appeal is not taking letters.")
    return LetterSent.objects.create(appeal=appeal, channel=channel, country=country or "")


# --- embassy directory import -------------------------------------------------------

MAX_ROWS = 2000
COLUMNS = ["country", "name", "organisation", "postal_address", "email", "fax", "phone", "salutation"]


class EmbassyRowForm(forms.ModelForm):
    class Meta:
        model = Target
        fields = COLUMNS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].required = True
        self.fields["country"].error_messages["invalid_choice"] = _(
            "“%(value)s” is not a country we know: use a two-letter code such as GB, or the English name."
        )


@dataclass
class ImportRow:
    line: int
    data: dict
    errors: list = field(default_factory=list)
    duplicate: bool = False


def parse_embassy_csv(text):
    """Check every row without saving. Returns (rows, file_errors)."""
    reader = csv.DictReader(io.StringIO(text))
    headers = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in ("country", "name") if c not in headers]
    if missing:
        return [], [_("The first row must name the columns; missing: %(cols)s.") % {"cols": ", ".join(missing)}]
    unknown = [h for h in headers if h and h not in COLUMNS]
    file_errors = []
    if unknown:
        file_errors.append(_("Unknown columns ignored: %(cols)s.") % {"cols": ", ".join(unknown)})
    reader.fieldnames = headers
    rows = []
    existing = set(Target.objects.filter(kind=Target.Kind.EMBASSY).values_list("country", "name"))
    seen = set()
    for number, raw in enumerate(reader, start=2):
        data = {c: (raw.get(c) or "").strip() for c in COLUMNS}
        if not any(data.values()):
            continue
        data["country"] = country_code(data["country"])
        row = ImportRow(line=number, data=data)
        form = EmbassyRowForm(data)
        if not form.is_valid():
            for name, errors in form.errors.items():
                for error in errors:
                    row.errors.append(f"{name}: {error}")
        key = (data["country"], data["name"])
        row.duplicate = key in existing or key in seen
        seen.add(key)
        rows.append(row)
    if len(rows) > MAX_ROWS:
        file_errors.append(_("At most %(max)d rows at a time.") % {"max": MAX_ROWS})
    return rows, file_errors


@transaction.atomic
def import_embassies(text):
    """Create the embassies in a checked CSV; rows already in the directory are left
    alone. Saves nothing when any row has an error. Returns ((created, skipped), rows),
    or (None, rows) when nothing was saved."""
    rows, file_errors = parse_embassy_csv(text)
    if not rows or len(rows) > MAX_ROWS or any(row.errors for row in rows):
        return None, rows
    created = skipped = 0
    for row in rows:
        if row.duplicate:
            skipped += 1
            continue
        Target.objects.create(kind=Target.Kind.EMBASSY, **row.data)
        created += 1
    return (created, skipped), rows
