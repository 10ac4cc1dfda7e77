"""The petition page's "latest signers" after a burst of unlisted signatures, on PostgreSQL.

Loads 1,000,000 confirmed signatures (a third listed) into a petition, then 22,000 unlisted
ones on top, as a surge of people who chose not to be named leaves it, and prints the plan,
rows read and time of the query the page makes (Signature.objects.newest_listed) beside the
plain query it replaced (listed(...).order_by("-id")[:10]), in one run.

    .venv/bin/python bench/latest_signers.py   # makes and drops the database campaign_bench_latest
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DB = "campaign_bench_latest"
os.environ.update(
    DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{DB}",
    DJANGO_SETTINGS_MODULE="campaign.settings",
    DATABASE_STATEMENT_TIMEOUT="0",
    DATABASE_LOCK_TIMEOUT="0",
)
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]


def explain(connection, label, queryset):
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        plan = [row[0] for row in cursor.fetchall()]
    print(f"\n== {label}")
    print("\n".join(plan))


def psql_tool(*args):
    subprocess.run([shutil.which(args[0]), "-h", "127.0.0.1", "-U", "postgres", *args[1:]], check=True)  # noqa: S603


def main():
    psql_tool("dropdb", "--if-exists", DB)
    psql_tool("createdb", DB)
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection
        from petition_signing import bulk_load

        from petitions.models import Petition, Signature

        call_command("migrate", verbosity=0)
        petition = Petition.objects.create(
            slug="latest", title="Latest", text="Text", addressed_to="Someone", status="open"
        )
        print("loading 1,000,000 signatures and a burst of 22,000 unlisted ones…")
        bulk_load(petition, 1_000_000)
        with connection.cursor() as cursor:
            cursor.execute(
                """
                INSERT INTO petitions_signature (
                    petition_id, name, email, email_hash, country, town, organisation, comment, public,
                    wants_updates, status, source, paper_batch_id, possible_duplicate,
                    created_at, confirmed_at, mailed_at, nonce)
                SELECT %s, 'Unlisted ' || i, '', encode(sha256(('burst:' || i)::bytea), 'hex'), 'GB', '', '', '',
                       false, false, 'confirmed', 'online', NULL, false, now(), now(), now(),
                       substr(md5(i::text), 1, 22)
                FROM generate_series(1, 22000) AS i
                """,
                [petition.pk],
            )
            cursor.execute("VACUUM ANALYZE petitions_signature")
        explain(
            connection,
            "before: one query, listed(...).order_by('-id')[:10]",
            Signature.objects.listed(petition).order_by("-id")[:10],
        )
        explain(connection, "now: newest_listed(petition, 10)", Signature.objects.newest_listed(petition, 10))
        connection.close()
    finally:
        psql_tool("dropdb", "--if-exists", "--force", DB)


if __name__ == "__main__":
    main()
