from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("petitions", "0011_an_address_less_signature_has_no_fingerprint"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="signature",
            constraint=models.UniqueConstraint(fields=("petition", "email_hash"), name="one_signature_per_address"),
        ),
    ]
