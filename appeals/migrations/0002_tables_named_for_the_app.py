# The tables made under the app "campaign" take the names of their app, "appeals"
# (an auto-created many-to-many table follows its model). Rows, keys and sequences stay.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("appeals", "0001_initial"),
        ("campaign", "0004_appeals_moved_to_their_own_app"),
        ("petitions", "0003_appeals_moved_to_their_own_app"),
    ]

    operations = [
        migrations.AlterModelTable(name="Appeal", table=None),
        migrations.AlterModelTable(name="Demand", table=None),
        migrations.AlterModelTable(name="HistoricalAppeal", table=None),
        migrations.AlterModelTable(name="HistoricalAppeal_prisoners", table=None),
        migrations.AlterModelTable(name="HistoricalDemand", table=None),
        migrations.AlterModelTable(name="HistoricalLetterText", table=None),
        migrations.AlterModelTable(name="HistoricalTarget", table=None),
        migrations.AlterModelTable(name="LetterSent", table=None),
        migrations.AlterModelTable(name="Target", table=None),
        migrations.AlterModelTable(name="HistoricalRecipient", table=None),
        migrations.AlterModelTable(name="LetterText", table=None),
        migrations.AlterModelTable(name="Recipient", table=None),
        migrations.RenameIndex(
            model_name="target", new_name="appeals_tar_kind_69a50e_idx", old_name="campaign_ta_kind_5190ce_idx"
        ),
    ]
