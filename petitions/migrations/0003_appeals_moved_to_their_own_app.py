# Petitions link to appeals, which moved from the app "campaign" to "appeals": the same
# tables and columns, so only Django's idea of the link changes.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("appeals", "0001_initial"),
        ("petitions", "0002_signers_told_of_delivery"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='historicalpetition_appeals',
                    name='appeal',
                    field=models.ForeignKey(blank=True, db_constraint=False, db_tablespace='', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='appeals.appeal'),
                ),
                migrations.AlterField(
                    model_name='petition',
                    name='appeals',
                    field=models.ManyToManyField(blank=True, related_name='petitions', to='appeals.appeal', verbose_name='appeals'),
                ),
            ],
            database_operations=[],
        ),
    ]
