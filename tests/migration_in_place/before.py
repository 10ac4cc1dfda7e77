"""Run by the tree from before the move (`manage.py shell`): a database as organisers
had it, with appeals, letters sent, their history, admin log entries and both roles."""

import json

from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType

from campaign.models import Appeal, Demand, LetterSent, LetterText, Recipient, Target
from petitions.models import Petition
from prisoners.models import Prisoner

organiser = User.objects.create_user("organiser-before", password="x", is_staff=True)
organiser.groups.add(Group.objects.get(name="Organiser"))
editor = User.objects.create_user("editor-before", password="x", is_staff=True)
editor.groups.add(Group.objects.get(name="Editor"))
prisoner = Prisoner.objects.create(name="Natalia Sokolova", slug="natalia-sokolova", is_published=True)
embassy = Target.objects.create(kind="embassy", name="Embassy of Kazakhstan", country="GB", postal_address="London")
appeal = Appeal.objects.create(title="Free Natalia", slug="free-natalia", summary="s", status="active")
appeal.prisoners.add(prisoner)
Demand.objects.create(appeal=appeal, text="Release Natalia Sokolova.")
Recipient.objects.create(appeal=appeal, target=embassy, role="to")
LetterText.objects.create(appeal=appeal, language="en", subject="Protest", body="{salutation}\n{demands}")
appeal.title = "Free Natalia Sokolova"
appeal.save()
for country in ("FR", "DE", ""):
    LetterSent.objects.create(appeal=appeal, channel="email", country=country)
petition = Petition.objects.create(title="P", slug="p", text="t", addressed_to="KazMinerals", status="open")
petition.appeals.add(appeal)
# Signers as the tree before kept them: names and addresses in the clear.
from petitions.models import Signature  # noqa: E402

Signature.objects.create(
    petition=petition,
    name="Plain Signer",
    email="plain.signer@example.org",
    email_hash="h-plain",
    town="Zhanaozen",
    organisation="Oil workers",
    comment="In solidarity",
    country="KZ",
    status="confirmed",
    wants_updates=True,
)
Petition.objects.create(title="Q", slug="q", text="t", addressed_to="K", status="closed")
LogEntry.objects.create(
    user=organiser,
    content_type=ContentType.objects.get_for_model(Appeal),
    object_id=str(appeal.pk),
    object_repr=str(appeal),
    action_flag=CHANGE,
    change_message="Changed the title.",
)
print(
    json.dumps(
        {
            "appeal": appeal.pk,
            "history": appeal.history.count(),
            "history_titles": sorted(appeal.history.values_list("title", flat=True)),
            "history_prisoners": appeal.history.latest().prisoners.count(),
            "target_history": embassy.history.count(),
            "permissions": sorted(
                organiser.get_all_permissions() & {f"campaign.{p}" for p in ("change_appeal", "view_lettersent")}
            ),
        }
    )
)
