# Joins the two lines of migrations made side by side: the signer's language (the
# Russian and Kazakh branch) and the end of network fingerprints (main). Neither touches
# what the other does.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("petitions", "0004_signature_language"),
        ("petitions", "0005_no_network_fingerprint_on_signatures"),
    ]

    operations = []
