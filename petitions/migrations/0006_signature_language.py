from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('petitions', '0005_no_network_fingerprint_on_signatures'),
    ]

    operations = [
        migrations.AddField(
            model_name='signature',
            name='language',
            field=models.CharField(blank=True, choices=[('en', 'English'), ('ru', 'Russian'), ('kk', 'Kazakh')], db_default='', max_length=7, verbose_name='language'),
        ),
    ]
