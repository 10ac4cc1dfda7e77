"""The embassy directory as shipped: real addresses, each read at a source we can link to,
loaded from data/embassies.json (docs/organisers.md, "The embassy directory", says how it was
made and how to update it).

Loading is keyed and careful with people's work: an entry is created once; an entry nobody
has edited follows the data file when it changes; an entry an organiser edited, or deleted,
or entered by hand under the same name, is left as they left it.

An entry's name, organisation and salutation in Russian and Kazakh are under its "ru" and
"kk" keys: a letter in Russian to the London embassy opens «Ваше превосходительство».
"""

import datetime
import json
import re
from pathlib import Path

from django.conf import settings
from django.db import transaction

from lib.history import bring_up_to_date, edited_by_someone
from lib.translation import in_original_language, translated_fields, with_translations

from .models import Source, Target

DATA = Path(__file__).resolve().parent / "data" / "embassies.json"
# The Kazakh authorities a letter "to the embassy in your country" goes to when there is no
# embassy to write to (services.stand_in_for): from inside Kazakhstan, and from a country the
# directory knows no embassy for.
AUTHORITIES = Path(__file__).resolve().parent / "data" / "authorities.json"
PRESIDENTIAL_ADMINISTRATION = "kz-presidential-administration"
FOREIGN_MINISTRY = "kz-foreign-ministry"
FIELDS = [
    "kind",
    "country",
    "based_in",
    "name",
    "organisation",
    "postal_address",
    "email",
    "phone",
    "fax",
    "salutation",
    "source_url",
]
# A source is a page anyone can open; a search-index number is not.
SOURCE = re.compile(r"https?://\S+$")


SOURCE_FIELDS = ["url", "publisher", "origin", "published", "read_on", "covers", "excerpt", "disagrees"]


def entries(data_path=DATA):
    """The data file's entries, each with a source someone can open and the day it was read."""
    items = json.loads(Path(data_path).read_text(encoding="utf-8"))
    return [item for item in items if SOURCE.match(item.get("source_url", "")) and item.get("read_on")]


def authorities(data_path=AUTHORITIES):
    """The authorities' entries, each with a source (a page, or the campaign's own documents)
    and the day it was read."""
    items = json.loads(Path(data_path).read_text(encoding="utf-8"))
    return [
        item
        for item in items
        if (SOURCE.match(item.get("source_url", "")) or item.get("source_document")) and item.get("read_on")
    ]


def _fields(item):
    fields = {name: item.get(name, "") for name in FIELDS}
    fields["checked_on"] = datetime.date.fromisoformat(item["read_on"])
    notes = [item.get("notes", "")]
    if item.get("source_date"):
        notes.insert(0, f"The source is dated {item['source_date']}.")
    if item.get("source_document"):
        notes.insert(0, f"Source: {item['source_document']}")
    fields["notes"] = "\n".join(n for n in notes if n)
    translated = {code: item.get(code, {}) for code, _ in settings.LANGUAGES if code != settings.LANGUAGE_CODE}
    return with_translations(fields, translated_fields(Target), translated)


@in_original_language  # the files' plain texts are the English ones
@transaction.atomic
def load(data_path=DATA, items=None):
    """Returns (created, updated, left alone)."""
    created = updated = left = 0
    for item in entries(data_path) if items is None else items:
        fields = _fields(item)
        target = Target.objects.filter(key=item["key"]).first()
        if target is None:
            deleted = Target.history.filter(key=item["key"], history_type="-").exists()
            by_hand = Target.objects.filter(
                kind=fields["kind"], country=fields["country"], name=fields["name"]
            ).exists()
            if deleted or by_hand:
                left += 1
                continue
            target = Target.objects.create(key=item["key"], **fields)
            _bring_sources_up_to_date(target, item.get("sources", []))
            created += 1
            continue
        if edited_by_someone(target):
            left += 1  # and its sources with it: they are the organiser's to keep
            continue
        changed = bring_up_to_date(target, fields)
        if _bring_sources_up_to_date(target, item.get("sources", [])) or changed:
            updated += 1
    return created, updated, left


def _source_values(source):
    values = {name: source.get(name, "") for name in SOURCE_FIELDS}
    values["read_on"] = datetime.date.fromisoformat(values["read_on"])
    values["covers"] = values["covers"] or Source.Covers.ADDRESS
    values["disagrees"] = bool(values["disagrees"])
    return values


def _bring_sources_up_to_date(target, sources):
    """The entry's sources as the data file lists them; True if any changed. Sources an
    organiser added by hand are kept."""
    wanted = [_source_values(source) for source in sources]
    shipped = list(target.sources.filter(from_data_file=True).order_by("id"))
    if [{name: getattr(s, name) for name in SOURCE_FIELDS} for s in shipped] == wanted:
        return False
    target.sources.filter(from_data_file=True).delete()
    Source.objects.bulk_create(Source(target=target, from_data_file=True, **values) for values in wanted)
    return True


def load_authorities(data_path=AUTHORITIES):
    """The authorities' entries, loaded as the embassies are. Returns (created, updated, left alone)."""
    return load(items=authorities(data_path))
