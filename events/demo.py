"""Demo days of action, from the campaign's source documents (demo/events.json): past
events only, each citing its document, with only what the document says (no end time, no
contact, no city where it gives none).

Running this again creates nothing twice and never undoes an organiser's edits: an event
someone has edited is left alone; one nobody has touched is brought up to date with the file.
"""

import datetime
import json
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from appeals.models import Appeal
from lib.history import bring_up_to_date, edited_by_someone
from lib.translation import in_original_language, translated_fields, translations_beside, with_translations

from .models import Event

DATA = Path(__file__).resolve().parent / "demo" / "events.json"
PLAIN = ["kind", "status", "time_zone", "country", "online_url", "contact", "source_url"]
TEXTS = ["title", "summary", "city", "address", "source_note"]


def _fields(item, translated):
    fields = {name: item.get(name, "") for name in PLAIN + TEXTS}
    fields["date"] = datetime.date.fromisoformat(item["date"])
    fields["start_time"] = datetime.time.fromisoformat(item["start_time"]) if item.get("start_time") else None
    fields["end_time"] = datetime.time.fromisoformat(item["end_time"]) if item.get("end_time") else None
    fields["appeal"] = Appeal.objects.filter(slug=item["appeal"]).first() if item.get("appeal") else None
    return with_translations(fields, translated_fields(Event), translated)


@in_original_language  # the files' plain texts are the English ones
@transaction.atomic
def load(data_path=DATA):
    data = json.loads(Path(data_path).read_text(encoding="utf-8"))
    translations = translations_beside(Path(data_path))
    created = 0
    for item in data["events"]:
        translated = {code: texts.get("events", {}).get(item["key"], {}) for code, texts in translations.items()}
        fields = _fields(item, translated)
        event = Event.objects.filter(key=item["key"]).first()
        if event is None:
            Event.objects.create(key=item["key"], approved_at=timezone.now(), **fields)
            created += 1
        elif not edited_by_someone(event):
            bring_up_to_date(event, fields)
    return created
