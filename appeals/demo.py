"""Demo appeals, taken from the campaign's source documents (demo/appeals.json).

Running this again creates nothing twice and never undoes an organiser's edits: an appeal
or target someone has edited (its demands, recipients and letters included) is left alone,
and one nobody has touched is brought up to date with the file, so a correction reaches a
local database made before it. The embassy directory is not demo content: see directory.py.

The Russian and Kazakh texts, and each language's model letter, come from the translations
beside the file (appeals.ru.json, appeals.kk.json).
"""

import datetime
import json
from pathlib import Path

from django.conf import settings
from django.db import transaction

from lib.history import bring_up_to_date, edited_by_someone
from lib.translation import in_original_language, translated_fields, translations_beside, with_translations
from prisoners.models import Prisoner

from .models import Appeal, Demand, LetterText, Recipient, Target

DATA = Path(__file__).resolve().parent / "demo" / "appeals.json"
DEMAND_COLUMNS = ["text"] + [f"text_{code}" for code, _ in settings.LANGUAGES]
TARGET_FIELDS = [
    "kind",
    "name",
    "organisation",
    "postal_address",
    "email",
    "fax",
    "phone",
    "form_of_address",
    "salutation",
    "closing",
    "country",
]


def _load_targets(data, translations):
    targets, created = {}, 0
    for item in data["targets"]:
        fields = {name: item.get(name, "") for name in TARGET_FIELDS}
        fields["notes"] = "Source: " + item["source"] if item.get("source") else ""
        translated = {code: texts.get("targets", {}).get(item["key"], {}) for code, texts in translations.items()}
        fields = with_translations(fields, translated_fields(Target), translated)
        target = Target.objects.filter(key=item["key"]).first()
        if target is None:
            target = Target.objects.create(key=item["key"], **fields)
            created += 1
        elif not edited_by_someone(target):
            bring_up_to_date(target, fields)
        targets[item["key"]] = target
    return targets, created


def _appeal_fields(item, translated):
    fields = {
        "title": item["title"],
        "status": item["status"],
        "summary": item["summary"],
        "background": item.get("background", ""),
        "source_note": item.get("source_note", ""),
        "deadline": datetime.date.fromisoformat(item["deadline"]) if item.get("deadline") else None,
        "goes_to_embassy": item.get("goes_to_embassy", False),
    }
    return with_translations(fields, translated_fields(Appeal), translated)


def _demands(item, translated):
    """Each demand's text in every language (the translations list them in the same order)."""
    return [
        with_translations(
            {"text": text},
            ["text"],
            {
                code: {"text": texts["demands"][i]}
                for code, texts in translated.items()
                if i < len(texts.get("demands", []))
            },
        )
        for i, text in enumerate(item.get("demands", []))
    ]


def _letters(item, translated):
    """The file's model letters, and each translation's letter in its own language."""
    given = {letter["language"] for letter in item.get("letters", [])}
    return item.get("letters", []) + [
        {"language": code, "subject": texts["letter"]["subject"], "body": texts["letter"]["body"]}
        for code, texts in translated.items()
        if texts.get("letter") and code not in given
    ]


def _parts(appeal):
    return (
        [{name: getattr(d, name) for name in DEMAND_COLUMNS} for d in appeal.demands.all()],
        [(r.target_id, r.role, r.position) for r in appeal.recipients.all()],
        sorted((t.language, t.subject, t.body) for t in appeal.letters.all()),
        set(appeal.prisoners.values_list("slug", flat=True)),
    )


@in_original_language  # the files' plain texts are the English ones
@transaction.atomic
def load(data_path=DATA):
    data = json.loads(Path(data_path).read_text(encoding="utf-8"))
    translations = translations_beside(Path(data_path))
    targets, created = _load_targets(data, translations)
    for item in data["appeals"]:
        translated = {code: texts.get("appeals", {}).get(item["slug"], {}) for code, texts in translations.items()}
        fields = _appeal_fields(item, translated)
        demands = _demands(item, translated)
        recipients = [(targets[key].pk, "to", i) for i, key in enumerate(item["to"])] + [
            (targets[key].pk, "cc", i) for i, key in enumerate(item["cc"])
        ]
        letters = _letters(item, translated)
        wanted = (
            demands,
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
            bring_up_to_date(appeal, fields)
            if _parts(appeal) == wanted:
                continue
            appeal.demands.all().delete()
            appeal.recipients.all().delete()
            appeal.letters.all().delete()
        Demand.objects.bulk_create(Demand(appeal=appeal, position=i, **demand) for i, demand in enumerate(demands))
        Recipient.objects.bulk_create(
            Recipient(appeal=appeal, target_id=target, role=role, position=position)
            for target, role, position in recipients
        )
        LetterText.objects.bulk_create(LetterText(appeal=appeal, **letter) for letter in letters)
        appeal.prisoners.set(Prisoner.objects.filter(slug__in=item.get("prisoners", [])))
    return created
