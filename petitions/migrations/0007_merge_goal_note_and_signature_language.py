# Joins two lines of migrations made side by side: the goal's note and longer sources (main)
# and the signer's language (the Russian and Kazakh branch). Neither touches the other's fields.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("petitions", "0006_goal_note_and_longer_sources"),
        ("petitions", "0006_signature_language"),
    ]

    operations = []
