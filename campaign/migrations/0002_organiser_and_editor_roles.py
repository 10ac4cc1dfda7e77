from django.db import migrations

# The groups; their permissions are set after every migrate from campaign/roles.py.
ROLE_NAMES = ["Organiser", "Editor"]


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLE_NAMES:
        Group.objects.using(schema_editor.connection.alias).get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("auth", "0012_alter_user_first_name_max_length"), ("campaign", "0001_initial")]

    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
