from django.db import migrations, models


def blank_to_null(apps, schema_editor):
    Signature = apps.get_model("petitions", "Signature")
    Signature.objects.filter(email_hash="").update(email_hash=None)


def null_to_blank(apps, schema_editor):
    Signature = apps.get_model("petitions", "Signature")
    Signature.objects.filter(email_hash=None).update(email_hash="")


class Migration(migrations.Migration):
    """A signature with no address (paper) has no fingerprint (NULL, not ""), so that one
    signature per address is a plain unique constraint, as INSERT … ON CONFLICT needs. The
    constraint comes back in 0012, in a transaction of its own after the rows are changed."""

    dependencies = [
        ("petitions", "0010_signatures_are_their_own_outbox"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="signature",
            name="one_signature_per_address",
        ),
        migrations.AlterField(
            model_name="signature",
            name="email_hash",
            field=models.CharField(
                blank=True,
                default=None,
                editable=False,
                help_text="A keyed hash of the normalised address: one signature per address, without keeping it.",
                max_length=64,
                null=True,
                verbose_name="email fingerprint",
            ),
        ),
        migrations.RunPython(blank_to_null, null_to_blank),
    ]
