"""Run by today's tree (`manage.py shell`) on the database `before.py` filled and `migrate`
then brought up to date: everything is found under the app "appeals"."""

import json
import sys

from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission, User
from django.contrib.contenttypes.models import ContentType
from django.db import connection  # noqa: E402

from appeals.models import Appeal, LetterSent, Target
from lib import crypto  # noqa: E402
from petitions.models import (
    Petition,
    Signature,  # noqa: E402
)


def _raw_signer():
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, email, town, organisation, comment FROM petitions_signature")
        return cursor.fetchone()


before = json.loads(sys.stdin.read())
appeal = Appeal.objects.get(pk=before["appeal"])
found = {
    "title": appeal.title,
    "prisoners": list(appeal.prisoners.values_list("slug", flat=True)),
    "demands": list(appeal.demands.values_list("text", flat=True)),
    "recipients": [str(r.target.name) for r in appeal.recipients.all()],
    "letter": appeal.letters.get().subject,
    "letters_sent": LetterSent.objects.filter(appeal=appeal).count(),
    "petition_links": list(Petition.objects.filter(appeals=appeal).values_list("slug", flat=True)),
    "history": appeal.history.count(),
    "history_titles": sorted(appeal.history.values_list("title", flat=True)),
    "history_prisoners": appeal.history.latest().prisoners.count(),
    "target_history": Target.objects.get(kind="embassy").history.count(),
    "log_entry_object": str(LogEntry.objects.get(change_message="Changed the title.").get_edited_object()),
    "log_entry_app": LogEntry.objects.get(change_message="Changed the title.").content_type.app_label,
    "organiser_may": sorted(
        p
        for p in ("appeals.change_appeal", "appeals.view_lettersent")
        if User.objects.get(username="organiser-before").has_perm(p)
    ),
    "editor_may_edit_appeals": User.objects.get(username="editor-before").has_perm("appeals.change_appeal"),
    # The appeals' models' types, once the project package's: campaign's own
    # (sitetranslation, which carries a permission) are not left behind.
    "content_types_left_behind": list(
        ContentType.objects.filter(app_label="campaign")
        .exclude(model="sitetranslation")
        .values_list("model", flat=True)
    ),
    "appeal_permissions": Permission.objects.filter(
        content_type__app_label="appeals", codename="change_appeal"
    ).count(),
    "new_appeal_gets_an_id": Appeal.objects.create(title="After", slug="after", summary="s").pk > appeal.pk,
    # Signers' details kept in the clear before are encrypted in place, and read back.
    "signer": list(
        Signature.objects.named("plain  SIGNER").values_list("name", "email", "town", "organisation", "comment")
    ),
    "signer_columns_encrypted": all(crypto.is_token(value) for value in _raw_signer()),
    "closed_petition_counts_towards_forgetting": Petition.objects.get(slug="q").finished_on is not None,
}
print(json.dumps(found))
