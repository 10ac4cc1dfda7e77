"""Demo appeals, taken from the campaign's source documents (demo/appeals.json).

Running this again creates nothing twice and never undoes an organiser's edits: an appeal
or target someone has edited (its demands, recipients and letters included) is left alone,
and one nobody has touched is brought up to date with the file, so a correction reaches a
local database made before it. The embassy directory is not demo content: see directory.py.
"""

import datetime
import json
from pathlib import Path

from django.db import transaction

from lib.history import edited_by_someone
from prisoners.models import Prisoner

from .models import Appeal, Demand, LetterText, Recipient, Target

DATA = Path(__file__).resolve().parent / "demo" / "appeals.json"
TARGET_FIELDS = ["kind", "name", "organisation", "postal_address", "email", "fax", "phone", "salutation", "country"]


def _update(obj, fields):
    """Set the fields that differ; True when something changed."""
    changed = [name for name, value in fields.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, fields[name])
    if changed:
        obj.save()
    return bool(changed)


def _load_targets(data):
    targets, created = {}, 0
    for item in data["targets"]:
        fields = {name: item.get(name, "") for name in TARGET_FIELDS}
        fields["notes"] = "Source: " + item["source"] if item.get("source") else ""
        target = Target.objects.filter(key=item["key"]).first()
        if target is None:
            target = Target.objects.create(key=item["key"], **fields)
            created += 1
        elif not edited_by_someone(target):
            _update(target, fields)
        targets[item["key"]] = target
    return targets, created


def _appeal_fields(item):
    return {
        "title": item["title"],
        "status": item["status"],
        "summary": item["summary"],
        "background": item.get("background", ""),
        "source_note": item.get("source_note", ""),
        "deadline": datetime.date.fromisoformat(item["deadline"]) if item.get("deadline") else None,
        "goes_to_embassy": item.get("goes_to_embassy", False),
    }


def _parts(appeal):
    return (
        [d.text for d in appeal.demands.all()],
        [(r.target_id, r.role, r.position) for r in appeal.recipients.all()],
        sorted((t.language, t.subject, t.body) for t in appeal.letters.all()),
        set(appeal.prisoners.values_list("slug", flat=True)),
    )


@transaction.atomic
def load(data_path=DATA):
    data = json.loads(Path(data_path).read_text(encoding="utf-8"))
    targets, created = _load_targets(data)
    for item in data["appeals"]:
        fields = _appeal_fields(item)
        recipients = [(targets[key].pk, "to", i) for i, key in enumerate(item["to"])] + [
            (targets[key].pk, "cc", i) for i, key in enumerate(item["cc"])
        ]
        letters = item.get("letters", [])
        wanted = (
            list(item.get("demands", [])),
            sorted(recipients, key=lambda r: (r[1], r[2])),
            sorted((t["language"], t["subject"], t["body"]) for t in letters),
            set(item.get("prisoners", [])),
        )
        appeal = Appeal.objects.filter(slug=item["slug"]).first()
        if appeal is None:
            appeal = Appeal.objects.create(slug=item["slug"], **fields)
            created += 1
        else:
            touched = edited_by_someone(
                appeal,
                Demand.history.filter(appeal_id=appeal.pk),
                Recipient.history.filter(appeal_id=appeal.pk),
                LetterText.history.filter(appeal_id=appeal.pk),
            )
            if touched:
                continue
            _update(appeal, fields)
            if _parts(appeal) == wanted:
                continue
            appeal.demands.all().delete()
            appeal.recipients.all().delete()
            appeal.letters.all().delete()
        Demand.objects.bulk_create(
            Demand(appeal=appeal, text=text, position=i) for i, text in enumerate(item.get("demands", []))
        )
        Recipient.objects.bulk_create(
            Recipient(appeal=appeal, target_id=target, role=role, position=position)
            for target, role, position in recipients
        )
        LetterText.objects.bulk_create(LetterText(appeal=appeal, **letter) for letter in letters)
        appeal.prisoners.set(Prisoner.objects.filter(slug__in=item.get("prisoners", [])))
    return created
