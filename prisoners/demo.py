"""Demo content for case files, taken from the campaign's source documents.

The facts live in demo/prisoners.json; their Russian and Kazakh translations beside it
(prisoners.ru.json, prisoners.kk.json) give each text in that language. This module only puts
them in the database.
Running it again creates nothing twice and never undoes an organiser's edits: a case
someone has edited (or whose charges or timeline they edited) is left alone, and a case
nobody has touched is brought up to date with the file, so a corrected fact reaches a
local database made before the correction.
"""

import datetime
import json
from pathlib import Path

from django.db import transaction

from lib.history import bring_up_to_date, edited_by_someone
from lib.translation import in_original_language, translated_fields, translations_beside, with_translations

from .models import CaseEvent, Charge, PlaceOfDetention, Prisoner, Source

DATA = Path(__file__).resolve().parent / "demo" / "prisoners.json"


def _date(value):
    return datetime.date.fromisoformat(value) if value else None


def _fuzzy(value):
    """{"date": "2014-11-01", "precision": "month"} -> (date, precision)."""
    if not value:
        return None, "day"
    return _date(value["date"]), value.get("precision", "day")


def _prisoner_fields(item, places, translated):
    fields = {}
    for name in ("arrested", "sentenced", "expected_release", "released"):
        fields[f"{name}_on"], fields[f"{name}_precision"] = _fuzzy(item.get(f"{name}_on"))
    # The date the documents give for the status, which is not always their latest date.
    fields["status_confirmed_on"], fields["status_confirmed_precision"] = _fuzzy(item.get("status_as_of"))
    fields |= {
        "name": item["name"],
        "name_original": item.get("name_original", ""),
        "status": item["status"],
        "held_at_latest_report": item.get("held_at_latest_report", True),
        "occupation": item.get("occupation", ""),
        "affiliation": item.get("affiliation", ""),
        "town": item.get("town", ""),
        "region": item.get("region", ""),
        "sentence": item.get("sentence", ""),
        "place_of_detention": places.get(item.get("place")),
        "hunger_strike": item.get("hunger_strike", False),
        "health_denied": item.get("health_denied", False),
        "torture_alleged": item.get("torture_alleged", False),
        "summary": item["summary"],
        "biography": item.get("biography", ""),
        "is_published": True,
    }
    return with_translations(fields, translated_fields(Prisoner), translated)


def _list_texts(field, english, translated):
    """A charge's or event's text in every language, for each item of a list in the file:
    the translation files give each list's texts in the same order."""
    return [
        with_translations(
            {field: text}, [field], {code: {field: texts[i]} for code, texts in translated.items() if i < len(texts)}
        )
        for i, text in enumerate(english)
    ]


def _as_in_file(objects, items):
    """The objects' values of the columns the file's items give, to compare with them."""
    columns = items[0].keys() if items else ()
    return [{name: getattr(obj, name) for name in columns} for obj in objects]


@in_original_language  # the files' plain texts are the English ones
@transaction.atomic
def load(data_path=DATA):
    data = json.loads(Path(data_path).read_text(encoding="utf-8"))
    translations = translations_beside(Path(data_path))
    created = 0

    sources = {}
    for item in data.get("sources", []):
        sources[item["key"]], _ = Source.objects.get_or_create(
            key=item["key"],
            defaults={
                "title": item["title"],
                "publisher": item.get("publisher", ""),
                "url": item.get("url", ""),
                "published_on": _date(item.get("published_on")),
            },
        )

    places = {}
    for item in data.get("places", []):
        fields = {
            k: item.get(k, "") for k in ("name", "name_original", "town", "region", "postal_address", "writing_notes")
        }
        translated = {code: texts.get("places", {}).get(item["key"], {}) for code, texts in translations.items()}
        fields = with_translations(fields, translated_fields(PlaceOfDetention), translated)
        place, created_now = PlaceOfDetention.objects.get_or_create(key=item["key"], defaults=fields)
        if not created_now and not edited_by_someone(place):
            bring_up_to_date(place, fields)
        places[item["key"]] = place

    for item in data.get("prisoners", []):
        existing = Prisoner.objects.filter(slug=item["slug"]).first()
        if existing is not None and edited_by_someone(
            existing,
            Charge.history.filter(prisoner_id=existing.pk),
            CaseEvent.history.filter(prisoner_id=existing.pk),
        ):
            continue
        translated = {code: texts.get("prisoners", {}).get(item["slug"], {}) for code, texts in translations.items()}
        fields = _prisoner_fields(item, places, translated)
        own_sources = [sources[key] for key in item.get("sources", []) if key in sources]
        dated = [source.published_on for source in own_sources if source.published_on]
        if dated and not fields["status_confirmed_on"]:
            fields["status_confirmed_on"] = max(dated)
        charge_texts = _list_texts(
            "description",
            [c["description"] for c in item.get("charges", [])],
            {code: texts.get("charges", []) for code, texts in translated.items()},
        )
        charges = [
            {"article": c.get("article", "")} | texts
            for c, texts in zip(item.get("charges", []), charge_texts, strict=True)
        ]
        event_texts = _list_texts(
            "text",
            [e["text"] for e in item.get("events", [])],
            {code: texts.get("events", []) for code, texts in translated.items()},
        )
        events = [
            {
                "date": _date(e["date"]),
                "precision": e.get("precision", "day"),
                "kind": e.get("kind", "other"),
                "source": sources.get(e.get("source")),
            }
            | texts
            for e, texts in zip(item.get("events", []), event_texts, strict=True)
        ]
        if existing is None:
            prisoner = Prisoner.objects.create(slug=item["slug"], **fields)
            created += 1
        else:
            # Untouched by anyone: bring it up to date with the file (in place, so the
            # appeals and petitions that link to it keep their links).
            prisoner = existing
            same = (
                all(getattr(prisoner, name) == value for name, value in fields.items())
                and _as_in_file(prisoner.charges.all(), charges) == charges
                and _as_in_file(prisoner.events.all(), events) == events
                and set(prisoner.sources.all()) == set(own_sources)
            )
            if same:
                continue
            for name, value in fields.items():
                setattr(prisoner, name, value)
            prisoner.save()
            prisoner.charges.all().delete()
            prisoner.events.all().delete()
        prisoner.sources.set(own_sources)
        Charge.objects.bulk_create(Charge(prisoner=prisoner, position=i, **charge) for i, charge in enumerate(charges))
        CaseEvent.objects.bulk_create(CaseEvent(prisoner=prisoner, **event) for event in events)
    return created
