"""Operations on appeals that span several models: building a supporter's letters,
counting a letter sent, importing the embassy directory."""

import copy
import csv
import io
from dataclasses import dataclass, field

from django import forms
from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from lib.countries import country_code, country_name
from lib.pagecache import kept
from lib.translation import in_original_language

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
    result = LetterSet(letters=[], embassy_asked=appeal.goes_to_embassy, country_name=country_name(code))
    if letter_text is None:
        return result
    result.language = letter_text.language
    # The page speaks the supporter's language; the letter names the country, and lists the
    # demands, in its own.
    with translation.override(letter_text.language):
        country_in_letter = country_name(code)
        demands = [demand.text for demand in appeal.demands.all()]
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
        # Public directory entries, kept a few seconds: a surge of letters asks for the same few.
        embassies = kept(f"embassies:{code}", lambda: embassies_for(code))
        result.embassy_missing = not embassies
        targets = embassies + targets
    if not targets:
        targets = [None]
    result.letters = [render_letter(letter_text, demands, sender, target, cc, today) for target in targets]
    return result


def embassies_for(code):
    """Where a letter to "the Kazakhstan embassy in your country" goes: the embassy serving
    that country (resident, or accredited from a neighbour), else a consulate there."""
    serving = list(
        Target.objects.filter(kind__in=[Target.Kind.EMBASSY, Target.Kind.CONSULATE], country=code).order_by(
            "kind", "name"
        )
    )
    embassies = [t for t in serving if t.kind == Target.Kind.EMBASSY]
    return embassies or serving


@transaction.atomic
def record_letter_sent(appeal, channel, country=""):
    """Count one letter; only the appeal, channel, country and today's date are kept."""
    if appeal.status != Appeal.Status.ACTIVE:
        raise ValueError("This appeal is not taking letters.")
    return LetterSent.objects.create(appeal=appeal, channel=channel, country=country or "")


# --- embassy directory import -------------------------------------------------------

MAX_ROWS = 2000
COLUMNS = [
    "country",
    "name",
    "kind",
    "based_in",
    "organisation",
    "postal_address",
    "email",
    "fax",
    "phone",
    "salutation",
    "source_url",
    "checked_on",
]
DIRECTORY_KINDS = [Target.Kind.EMBASSY, Target.Kind.CONSULATE]


class EmbassyRowForm(forms.ModelForm):
    class Meta:
        model = Target
        fields = COLUMNS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].required = True
        unknown_country = _(
            "“%(value)s” is not a country we know: use a two-letter code such as GB, or the English name."
        )
        self.fields["country"].error_messages["invalid_choice"] = unknown_country
        self.fields["based_in"].error_messages["invalid_choice"] = unknown_country
        self.fields["kind"].choices = [(k.value, k.label) for k in DIRECTORY_KINDS]
        self.fields["checked_on"].input_formats = ["%Y-%m-%d"]


@dataclass
class ImportRow:
    line: int
    data: dict
    errors: list = field(default_factory=list)
    duplicate: bool = False  # already in the directory, as the file has it
    changes: list = field(default_factory=list)  # already in the directory: the columns the file changes
    cleaned: dict = field(default_factory=dict)


def parse_embassy_csv(text):
    """Check every row without saving. Returns (rows, file_errors). A row whose country, kind
    and name are already in the directory updates that entry: it is an updated list."""
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
    # The file's names, organisations and salutations are the English texts (name_en, …).
    with translation.override(settings.LANGUAGE_CODE):
        existing = {(t.country.code, t.kind, t.name): t for t in Target.objects.filter(kind__in=DIRECTORY_KINDS)}
    seen = set()
    for number, raw in enumerate(reader, start=2):
        data = {c: (raw.get(c) or "").strip() for c in COLUMNS if c in headers}
        if not any(data.values()):
            continue
        data["country"] = country_code(data["country"])
        if data.get("based_in"):
            data["based_in"] = country_code(data["based_in"])
        data["kind"] = (data.get("kind") or Target.Kind.EMBASSY).lower()
        row = ImportRow(line=number, data=data)
        key = (data["country"], data["kind"], data["name"])
        current = existing.get(key)
        # A copy: validating a model form writes the row's values into its instance.
        form = EmbassyRowForm(data, instance=copy.copy(current) if current else None)
        if not form.is_valid():
            for name, errors in form.errors.items():
                for error in errors:
                    row.errors.append(f"{name}: {error}")
        else:
            row.cleaned = {name: form.cleaned_data[name] for name in data}
            if current is not None:
                with translation.override(settings.LANGUAGE_CODE):
                    row.changes = [
                        name for name, value in row.cleaned.items() if _stored(current, name) != _stored_value(value)
                    ]
                row.duplicate = not row.changes
        if key in seen:
            row.errors.append(_("This embassy is on an earlier line of the file too."))
        seen.add(key)
        rows.append(row)
    if len(rows) > MAX_ROWS:
        file_errors.append(_("At most %(max)d rows at a time.") % {"max": MAX_ROWS})
    return rows, file_errors


def _stored(target, name):
    return _stored_value(getattr(target, name))


def _stored_value(value):
    code = getattr(value, "code", None)  # a django-countries Country
    return code if code is not None else value


@transaction.atomic
@in_original_language
def import_embassies(text):
    """Add the entries of a checked CSV and update the ones already in the directory with the
    file's columns. Saves nothing when any row has an error. Returns ((created, updated,
    unchanged), rows), or (None, rows) when nothing was saved."""
    rows, file_errors = parse_embassy_csv(text)
    if not rows or len(rows) > MAX_ROWS or any(row.errors for row in rows):
        return None, rows
    created = updated = unchanged = 0
    for row in rows:
        if row.duplicate:
            unchanged += 1
            continue
        target = Target.objects.filter(
            kind=row.cleaned["kind"], country=row.cleaned["country"], name=row.cleaned["name"]
        ).first()
        if target is None:
            Target.objects.create(**row.cleaned)
            created += 1
            continue
        for name in row.changes:
            setattr(target, name, row.cleaned[name])
        target.save()
        updated += 1
    return (created, updated, unchanged), rows
