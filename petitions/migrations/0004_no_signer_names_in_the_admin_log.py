# The admin's action log kept signers' names after their signatures were withdrawn or
# deleted: as the name of a signature logged, and inside a paper batch's change messages.
# Scrubbed here; petitions/admin.py (NoSignerNamesInTheLog) keeps them out from now on.

import json

from django.db import migrations


def scrub(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    LogEntry = apps.get_model("admin", "LogEntry")
    db = schema_editor.connection.alias
    types = dict(
        ContentType.objects.using(db)
        .filter(app_label="petitions", model__in=["signature", "paperbatch"])
        .values_list("model", "pk")
    )
    if "signature" in types:
        for entry in LogEntry.objects.using(db).filter(content_type_id=types["signature"]).iterator():
            entry.object_repr = f"signature #{entry.object_id}"
            entry.change_message = scrubbed(entry.change_message)
            entry.save(update_fields=["object_repr", "change_message"])
    if "paperbatch" in types:
        for entry in LogEntry.objects.using(db).filter(content_type_id=types["paperbatch"]).iterator():
            entry.change_message = scrubbed(entry.change_message)
            entry.save(update_fields=["change_message"])


def scrubbed(message):
    try:
        parsed = json.loads(message or "[]")
    except ValueError:
        return ""  # free text could hold anything
    if not isinstance(parsed, list):
        return ""
    cleaned = []
    for entry in parsed:
        if isinstance(entry, dict):
            entry = {
                action: {k: v for k, v in detail.items() if k != "object"} if isinstance(detail, dict) else detail
                for action, detail in entry.items()
            }
        cleaned.append(entry)
    return json.dumps(cleaned)


class Migration(migrations.Migration):
    dependencies = [
        ("admin", "0003_logentry_add_action_flag_choices"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("petitions", "0003_appeals_moved_to_their_own_app"),
    ]

    operations = [migrations.RunPython(scrub, migrations.RunPython.noop)]
