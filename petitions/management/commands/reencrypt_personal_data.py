from django.core.management.base import BaseCommand
from django.db import transaction

from lib import crypto
from petitions.models import Signature

# Every encrypted column: another app with encrypted fields adds its own here.
ENCRYPTED = {Signature: ["name", "email", "town", "organisation", "comment", "resend_to"]}
BATCH = 1000


class Command(BaseCommand):
    help = (
        "Rewrite every encrypted value with the current DATA_ENCRYPTION_KEY. Run it after putting the old key in "
        "DATA_ENCRYPTION_KEY_FALLBACKS and a new one in DATA_ENCRYPTION_KEY; then remove the old key (SECURITY.md)."
    )

    def handle(self, *args, **options):
        for model, fields in ENCRYPTED.items():
            table = model._meta.db_table
            changed = 0
            last = 0
            while True:
                # The raw tokens, not the values: each is rotated without being decrypted
                # into memory more than once.
                rows = list(model.objects.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:BATCH])
                if not rows:
                    break
                last = rows[-1]
                with transaction.atomic():
                    tokens = _raw(model, fields, rows)
                    for pk, values in tokens.items():
                        update = {}
                        for field, token in zip(fields, values, strict=True):
                            rotated = crypto.rotate(token)
                            if rotated is not None:
                                update[field] = rotated
                        if update:
                            _write(model, pk, update)
                            changed += 1
            self.stdout.write(f"{table}: {changed} row(s) re-encrypted with the current key.")


def _raw(model, fields, pks):
    from django.db import connection

    quote = connection.ops.quote_name
    columns = ", ".join(quote(model._meta.get_field(field).column) for field in fields)
    marks = ", ".join(["%s"] * len(pks))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {quote(model._meta.pk.column)}, {columns} FROM {quote(model._meta.db_table)} "  # noqa: S608
            f"WHERE {quote(model._meta.pk.column)} IN ({marks})",
            pks,
        )
        return {row[0]: row[1:] for row in cursor.fetchall()}


def _write(model, pk, update):
    from django.db import connection

    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(model._meta.get_field(field).column)} = %s" for field in update)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {quote(model._meta.db_table)} SET {assignments} WHERE {quote(model._meta.pk.column)} = %s",  # noqa: S608
            [*update.values(), pk],
        )
