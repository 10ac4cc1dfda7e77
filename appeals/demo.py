"""Demo appeals, taken from the campaign's source documents (demo/appeals.json).

An appeal whose slug exists, or a target whose key exists, is left alone: running this
again creates nothing twice and never undoes an organiser's edits. The documents give no
embassy addresses, so the embassy directory starts empty.
"""

import datetime
import json
from pathlib import Path

from django.db import transaction

from prisoners.models import Prisoner

from .models import Appeal, Demand, LetterText, Recipient, Target

DATA = Path(__file__).resolve().parent / "demo" / "appeals.json"
TARGET_FIELDS = ["kind", "name", "organisation", "postal_address", "email", "fax", "phone", "salutation", "country"]


@transaction.atomic
def load(data_path=DATA):
    data = json.loads(Path(data_path).read_text(encoding="utf-8"))
    created = 0
    targets = {}
    for item in data["targets"]:
        fields = {name: item.get(name, "") for name in TARGET_FIELDS}
        fields["notes"] = "Source: " + item["source"] if item.get("source") else ""
        targets[item["key"]], new = Target.objects.get_or_create(key=item["key"], defaults=fields)
        created += new

    for item in data["appeals"]:
        if Appeal.objects.filter(slug=item["slug"]).exists():
            continue
        appeal = Appeal.objects.create(
            slug=item["slug"],
            title=item["title"],
            status=item["status"],
            summary=item["summary"],
            background=item.get("background", ""),
            source_note=item.get("source_note", ""),
            deadline=datetime.date.fromisoformat(item["deadline"]) if item.get("deadline") else None,
            goes_to_embassy=item.get("goes_to_embassy", False),
        )
        Demand.objects.bulk_create(
            Demand(appeal=appeal, text=text, position=i) for i, text in enumerate(item.get("demands", []))
        )
        Recipient.objects.bulk_create(
            [Recipient(appeal=appeal, target=targets[key], role="to", position=i) for i, key in enumerate(item["to"])]
            + [Recipient(appeal=appeal, target=targets[key], role="cc", position=i) for i, key in enumerate(item["cc"])]
        )
        LetterText.objects.bulk_create(LetterText(appeal=appeal, **letter) for letter in item.get("letters", []))
        appeal.prisoners.set(Prisoner.objects.filter(slug__in=item.get("prisoners", [])))
        created += 1
    return created
