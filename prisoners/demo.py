"""Demo content for case files, taken from the campaign's source documents.

The facts live in demo/prisoners.json; this module only puts them in the database.
A prisoner whose slug already exists is left alone, so running it again creates
nothing twice and never undoes an organiser's edits.
"""

import datetime
import json
from pathlib import Path

from django.db import transaction

from .models import CaseEvent, Charge, PlaceOfDetention, Prisoner, Source

DATA = Path(__file__).resolve().parent / "demo" / "prisoners.json"


def _date(value):
    return datetime.date.fromisoformat(value) if value else None


def _fuzzy(value):
    """{"date": "2014-11-01", "precision": "month"} -> (date, precision)."""
    if not value:
        return None, "day"
    return _date(value["date"]), value.get("precision", "day")


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
        if Prisoner.objects.filter(slug=item["slug"]).exists():
            continue
        dates = {}
        for name in ("arrested", "sentenced", "expected_release", "released"):
            dates[f"{name}_on"], dates[f"{name}_precision"] = _fuzzy(item.get(f"{name}_on"))
        # The date the documents give for the status, which is not always their latest date.
        dates["status_confirmed_on"], dates["status_confirmed_precision"] = _fuzzy(item.get("status_as_of"))
        prisoner = Prisoner.objects.create(
            slug=item["slug"],
            name=item["name"],
            name_original=item.get("name_original", ""),
            status=item["status"],
            held_at_latest_report=item.get("held_at_latest_report", True),
            occupation=item.get("occupation", ""),
            affiliation=item.get("affiliation", ""),
            town=item.get("town", ""),
            region=item.get("region", ""),
            sentence=item.get("sentence", ""),
            place_of_detention=places.get(item.get("place")),
            hunger_strike=item.get("hunger_strike", False),
            health_denied=item.get("health_denied", False),
            torture_alleged=item.get("torture_alleged", False),
            summary=item["summary"],
            biography=item.get("biography", ""),
            is_published=True,
            **dates,
        )
        own_sources = [sources[key] for key in item.get("sources", []) if key in sources]
        prisoner.sources.set(own_sources)
        dated = [source.published_on for source in own_sources if source.published_on]
        if dated and not prisoner.status_confirmed_on:
            prisoner.status_confirmed_on = max(dated)
            prisoner.save(update_fields=["status_confirmed_on"])
        Charge.objects.bulk_create(
            Charge(prisoner=prisoner, article=c.get("article", ""), description=c["description"], position=i)
            for i, c in enumerate(item.get("charges", []))
        )
        CaseEvent.objects.bulk_create(
            CaseEvent(
                prisoner=prisoner,
                date=_date(e["date"]),
                precision=e.get("precision", "day"),
                kind=e.get("kind", "other"),
                text=e["text"],
                source=sources.get(e.get("source")),
            )
            for e in item.get("events", [])
        )
        created += 1
    return created
