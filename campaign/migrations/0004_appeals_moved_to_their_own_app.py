# The appeals' models moved to the app "appeals" (its 0001 takes them over): here they
# leave campaign's idea of the schema only. The tables stay, and appeals 0002 renames them.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("campaign", "0003_change_history"),
        ("appeals", "0001_initial"),
        ("petitions", "0003_appeals_moved_to_their_own_app"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='appeal',
                    name='prisoners',
                ),
                migrations.RemoveField(
                    model_name='historicaldemand',
                    name='appeal',
                ),
                migrations.RemoveField(
                    model_name='demand',
                    name='appeal',
                ),
                migrations.RemoveField(
                    model_name='historicallettertext',
                    name='appeal',
                ),
                migrations.RemoveField(
                    model_name='lettertext',
                    name='appeal',
                ),
                migrations.RemoveField(
                    model_name='historicalappeal_prisoners',
                    name='appeal',
                ),
                migrations.RemoveField(
                    model_name='recipient',
                    name='appeal',
                ),
                migrations.RemoveField(
                    model_name='historicalrecipient',
                    name='appeal',
                ),
                migrations.RemoveField(
                    model_name='historicalappeal',
                    name='history_user',
                ),
                migrations.RemoveField(
                    model_name='historicalappeal_prisoners',
                    name='history',
                ),
                migrations.RemoveField(
                    model_name='historicalappeal_prisoners',
                    name='prisoner',
                ),
                migrations.RemoveField(
                    model_name='historicaldemand',
                    name='history_user',
                ),
                migrations.RemoveField(
                    model_name='historicallettertext',
                    name='history_user',
                ),
                migrations.RemoveField(
                    model_name='historicalrecipient',
                    name='history_user',
                ),
                migrations.RemoveField(
                    model_name='historicalrecipient',
                    name='target',
                ),
                migrations.RemoveField(
                    model_name='historicaltarget',
                    name='history_user',
                ),
                migrations.RemoveField(
                    model_name='recipient',
                    name='target',
                ),
                migrations.DeleteModel(
                    name='LetterSent',
                ),
                migrations.DeleteModel(
                    name='Demand',
                ),
                migrations.DeleteModel(
                    name='LetterText',
                ),
                migrations.DeleteModel(
                    name='Appeal',
                ),
                migrations.DeleteModel(
                    name='HistoricalAppeal',
                ),
                migrations.DeleteModel(
                    name='HistoricalAppeal_prisoners',
                ),
                migrations.DeleteModel(
                    name='HistoricalDemand',
                ),
                migrations.DeleteModel(
                    name='HistoricalLetterText',
                ),
                migrations.DeleteModel(
                    name='HistoricalRecipient',
                ),
                migrations.DeleteModel(
                    name='HistoricalTarget',
                ),
                migrations.DeleteModel(
                    name='Recipient',
                ),
                migrations.DeleteModel(
                    name='Target',
                ),
            ],
            database_operations=[],
        ),
    ]
