from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('petitions', '0003_appeals_moved_to_their_own_app'),
    ]

    operations = [
        migrations.AddField(
            model_name='signature',
            name='language',
            field=models.CharField(blank=True, choices=[('en', 'English'), ('ru', 'Russian'), ('kk', 'Kazakh')], db_default='', max_length=7, verbose_name='language'),
        ),
    ]
