"""Operations on appeals that span several models: building a supporter's letters,
counting a letter sent, importing the embassy directory."""

import copy
import csv
import io
from dataclasses import dataclass, field

from django import forms
from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from lib.countries import country_code, country_name
from lib.pagecache import kept
from lib.translation import in_original_language

from .directory import FOREIGN_MINISTRY, PRESIDENTIAL_ADMINISTRATION
from .letters import Sender, render_letter
from .models import Appeal, DirectoryReport, LetterOutcome, LetterSent, Recipient, Target


@dataclass
class LetterSet:
    letters: list
    embassy_asked: bool = False  # the appeal goes to the embassy in the supporter's country
    embassy_missing: bool = False  # ... and the directory has none for that country
    country_name: str = ""
    language: str = ""
    # When there is no embassy to write to, who the letter goes to instead (STAND_IN_*), and
    # whether the appeal already writes to them.
    stand_in: str = ""
    stand_in_already: bool = False


# Who a letter "to the embassy in your country" goes to when there is no such embassy.
STAND_IN_HOME = "home"  # from inside Kazakhstan: the President's Administration at Ak-Orda
STAND_IN_MINISTRY = "ministry"  # a country the directory knows no embassy for: the foreign ministry


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
        if not embassies:
            kind, stand_in = kept(f"stand-in:{code}", lambda: stand_in_for(code))
            if stand_in is not None:
                result.stand_in = kind
                if _already_written_to(stand_in, kind, targets):
                    result.stand_in_already = True
                else:
                    targets = [stand_in] + targets
    if not targets:
        targets = [None]
    result.letters = [render_letter(letter_text, demands, sender, target, cc, today) for target in targets]
    return result


def embassies_for(code):
    """Where a letter to "the Kazakhstan embassy in your country" goes: the embassy serving
    that country (resident, or accredited from a neighbour), else a consulate there."""
    serving = list(
        Target.objects.filter(kind__in=[Target.Kind.EMBASSY, Target.Kind.CONSULATE], country=code)
        .order_by("kind", "name")
        .prefetch_related("sources")
    )
    embassies = [t for t in serving if t.kind == Target.Kind.EMBASSY]
    return embassies or serving


def stand_in_for(code):
    """Who a letter to "the Kazakhstan embassy in your country" goes to when the directory has
    no embassy (resident or accredited) or consulate for the country: from inside Kazakhstan,
    where there is no Kazakhstan embassy, the President's Administration at Ak-Orda; from
    anywhere else, the Ministry of Foreign Affairs in Astana, which directs the embassies.
    Returns (STAND_IN_*, target), or ("", None) when the directory has neither loaded (or an
    organiser deleted it): the page then says there is no embassy yet, as it did before."""
    kind, key = (STAND_IN_HOME, PRESIDENTIAL_ADMINISTRATION) if code == "KZ" else (STAND_IN_MINISTRY, FOREIGN_MINISTRY)
    target = Target.objects.filter(key=key).first()
    return (kind, target) if target else ("", None)


def _already_written_to(stand_in, kind, targets):
    """The appeal already writes to the stand-in, or, from inside Kazakhstan, to the President
    (at Ak-Orda, where the Administration works): a second letter there would be a copy."""
    return any(
        target.pk == stand_in.pk or (kind == STAND_IN_HOME and target.kind == Target.Kind.HEAD_OF_STATE)
        for target in targets
    )


class AppealClosed(Exception):
    """The appeal takes no more letters (closed, or back to a draft)."""


@transaction.atomic
def record_letter_sent(appeal, channel, country=""):
    """Count one letter; only the appeal, channel, country, today's date and whom the site
    addressed it to (to count replies by recipient) are kept."""
    if appeal.status != Appeal.Status.ACTIVE:
        raise AppealClosed(appeal)
    letter = LetterSent.objects.create(appeal=appeal, channel=channel, country=country or "")
    letter.targets.set(addressed_to(appeal, country))
    return letter


def addressed_to(appeal, country=""):
    """The targets a letter from `country` went to: the embassy (when the appeal asks for
    it) and the appeal's recipients, as build_letters addresses them."""
    targets = [r.target for r in appeal.recipients.all() if r.role == Recipient.Role.TO]
    if appeal.goes_to_embassy and country:
        targets = kept(f"embassies:{country}", lambda: embassies_for(country)) + targets
    return targets


# --- what came of a letter -----------------------------------------------------------------

OUTCOME_SALT = "appeals.letter-outcome"
# WriteToThem asks its writers weeks later; a reply to a letter may take months.
OUTCOME_LINK_DAYS = 400


def outcome_token(letter):
    """The private link's code for one letter sent: it names the letter and nothing else,
    signed so that nobody can make one up for another letter."""
    return signing.dumps(letter.pk, salt=OUTCOME_SALT, compress=True)


def letter_from_token(token, appeal):
    """The letter the code names, if the code is ours, recent enough, and for this appeal."""
    try:
        pk = signing.loads(str(token), salt=OUTCOME_SALT, max_age=OUTCOME_LINK_DAYS * 86400)
    except (signing.BadSignature, ValueError, TypeError, OverflowError):
        return None
    if not isinstance(pk, int) or isinstance(pk, bool) or not 0 < pk < 2**63:
        return None
    return LetterSent.objects.filter(pk=pk, appeal=appeal).prefetch_related("targets").first()


@transaction.atomic
def record_outcome(letter, kind, target=None, text="", file=None):
    """What a supporter says came of their letter. A second report of the same kind about the
    same recipient replaces the first, so that pressing twice counts once."""
    outcome, _created = LetterOutcome.objects.update_or_create(
        letter=letter,
        target=target,
        kind=kind,
        defaults={
            "text": text,
            "file_name": file["name"] if file else "",
            "file_type": file["type"] if file else "",
            "file_data": file["data"] if file else b"",
            "status": LetterOutcome.Status.NEW,
        },
    )
    return outcome


def published_replies(appeal):
    return list(
        LetterOutcome.objects.published_replies()
        .filter(letter__appeal=appeal)
        .select_related("target")
        .order_by("-reported_on", "-id")[:20]
    )


# --- supporters' reports on the directory ----------------------------------------------------


def directory_targets():
    return Target.objects.filter(kind__in=[Target.Kind.EMBASSY, Target.Kind.CONSULATE])


def record_directory_report(cleaned):
    """Put a supporter's report in the organisers' queue. The directory is not touched."""
    target = directory_targets().filter(pk=cleaned.get("target")).first() if cleaned.get("target") else None
    kind = cleaned["kind"]
    return DirectoryReport.objects.create(
        kind=kind,
        target=target if kind == DirectoryReport.Kind.WRONG else None,
        country=(target.country.code if target else "") if kind == DirectoryReport.Kind.WRONG else cleaned["country"],
        details=cleaned["details"],
        source=cleaned["source"],
        email=cleaned.get("email") or "",
    )


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
