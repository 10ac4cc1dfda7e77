"""Signatures kept before their personal fields were encrypted: encrypt what is still in
the clear (a value no configured key opens), fingerprint the names, and start the count
towards forgetting for petitions already closed or delivered.

Raw SQL, not the models: a model field would try to decrypt the plain text it reads."""

from django.db import migrations

from lib import crypto
from lib.hashing import name_fingerprint

FIELDS = ["name", "email", "town", "organisation", "comment", "resend_to"]


def _plain(value):
    if not value:
        return None
    try:
        crypto.decrypt(value)
    except crypto.UnreadableData:
        return value
    return None  # already a token under a configured key


def encrypt_rows(apps, schema_editor):
    connection = schema_editor.connection
    quote = connection.ops.quote_name
    table = quote("petitions_signature")
    columns = ", ".join(quote(field) for field in FIELDS)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, {columns}, {quote('name_hash')} FROM {table}")  # noqa: S608
        rows = cursor.fetchall()
    for pk, *values, name_hash in rows:
        changes = {}
        for field, value in zip(FIELDS, values, strict=True):
            plain = _plain(value)
            if plain is not None:
                changes[field] = crypto.encrypt(plain)
                if field == "name" and not name_hash:
                    changes["name_hash"] = name_fingerprint(plain)
        if changes:
            assignments = ", ".join(f"{quote(field)} = %s" for field in changes)
            with connection.cursor() as cursor:
                cursor.execute(f"UPDATE {table} SET {assignments} WHERE id = %s", [*changes.values(), pk])  # noqa: S608

    Petition = apps.get_model("petitions", "Petition")
    for petition in Petition.objects.filter(status__in=["closed", "delivered"], finished_on__isnull=True):
        Petition.objects.filter(pk=petition.pk).update(finished_on=petition.delivered_on or petition.updated_at.date())


def decrypt_rows(apps, schema_editor):
    connection = schema_editor.connection
    quote = connection.ops.quote_name
    table = quote("petitions_signature")
    columns = ", ".join(quote(field) for field in FIELDS)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, {columns} FROM {table}")  # noqa: S608
        rows = cursor.fetchall()
    for pk, *values in rows:
        changes = {field: crypto.decrypt(value) for field, value in zip(FIELDS, values, strict=True) if value}
        if changes:
            assignments = ", ".join(f"{quote(field)} = %s" for field in changes)
            with connection.cursor() as cursor:
                cursor.execute(f"UPDATE {table} SET {assignments} WHERE id = %s", [*changes.values(), pk])  # noqa: S608


class Migration(migrations.Migration):
    dependencies = [("petitions", "0015_personal_data_encrypted_and_forgotten")]

    operations = [migrations.RunPython(encrypt_rows, decrypt_rows)]
