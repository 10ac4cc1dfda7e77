"""Demo content for case files, taken from the campaign's source documents.

The facts live in demo/prisoners.json; this module only puts them in the database.
Running it again creates nothing twice and never undoes an organiser's edits: a case
someone has edited (or whose charges or timeline they edited) is left alone, and a case
nobody has touched is brought up to date with the file, so a corrected fact reaches a
local database made before the correction.
"""

import datetime
import json
from pathlib import Path

from django.db import transaction

from lib.history import edited_by_someone

from .models import CaseEvent, Charge, PlaceOfDetention, Prisoner, Source

DATA = Path(__file__).resolve().parent / "demo" / "prisoners.json"


def _date(value):
    return datetime.date.fromisoformat(value) if value else None


def _fuzzy(value):
    """{"date": "2014-11-01", "precision": "month"} -> (date, precision)."""
    if not value:
        return None, "day"
    return _date(value["date"]), value.get("precision", "day")


def _prisoner_fields(item, places):
    fields = {}
    for name in ("arrested", "sentenced", "expected_release", "released"):
        fields[f"{name}_on"], fields[f"{name}_precision"] = _fuzzy(item.get(f"{name}_on"))
    # The date the documents give for the status, which is not always their latest date.
    fields["status_confirmed_on"], fields["status_confirmed_precision"] = _fuzzy(item.get("status_as_of"))
    return fields | {
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


@transaction.atomic
def load(data_path=DATA):
    data = json.loads(Path(data_path).read_text(encoding="utf-8"))
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
        places[item["key"]], _ = PlaceOfDetention.objects.get_or_create(key=item["key"], defaults=fields)

    for item in data.get("prisoners", []):
        existing = Prisoner.objects.filter(slug=item["slug"]).first()
        if existing is not None and edited_by_someone(
            existing,
            Charge.history.filter(prisoner_id=existing.pk),
            CaseEvent.history.filter(prisoner_id=existing.pk),
        ):
            continue
        fields = _prisoner_fields(item, places)
        own_sources = [sources[key] for key in item.get("sources", []) if key in sources]
        dated = [source.published_on for source in own_sources if source.published_on]
        if dated and not fields["status_confirmed_on"]:
            fields["status_confirmed_on"] = max(dated)
        charges = [(c.get("article", ""), c["description"]) for c in item.get("charges", [])]
        events = [
            (
                _date(e["date"]),
                e.get("precision", "day"),
                e.get("kind", "other"),
                e["text"],
                sources.get(e.get("source")),
            )
            for e in item.get("events", [])
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
                and [(c.article, c.description) for c in prisoner.charges.all()] == charges
                and [(e.date, e.precision, e.kind, e.text, e.source) for e in prisoner.events.all()] == events
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
        Charge.objects.bulk_create(
            Charge(prisoner=prisoner, article=article, description=description, position=i)
            for i, (article, description) in enumerate(charges)
        )
        CaseEvent.objects.bulk_create(
            CaseEvent(prisoner=prisoner, date=date, precision=precision, kind=kind, text=text, source=source)
            for date, precision, kind, text, source in events
        )
    return created
