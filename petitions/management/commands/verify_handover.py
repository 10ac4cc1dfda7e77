from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from petitions import handover
from petitions.models import Petition


class Command(BaseCommand):
    help = (
        "Check a hand-over pack (its PDF, or the list's CSV) against a published digest: every row's hash and "
        "the list's digest are worked out again from the names (SECURITY.md, the hand-over list)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the pack's PDF or the hand-over list's CSV")
        given = parser.add_mutually_exclusive_group(required=True)
        given.add_argument("--digest", help="the digest as published (64 hexadecimal digits)")
        given.add_argument("--petition", help="the petition's slug: the digest recorded with its delivery")

    def handle(self, *args, file, digest=None, petition=None, **options):
        if petition is not None:
            found = Petition.objects.filter(slug=petition).first()
            if found is None or not found.handover_digest:
                raise CommandError(f"No delivered petition {petition!r} with a digest of its list.")
            digest = found.handover_digest
        try:
            data = Path(file).read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error}") from error
        try:
            if data.startswith(b"%PDF"):
                rows = handover.rows_from_pack_pdf(data)
            else:
                rows = handover.read_handover_csv(data.decode("utf-8"))
            count = handover.verify_rows(rows, digest)
        except UnicodeDecodeError as error:
            raise CommandError(f"{file} is neither a PDF nor a UTF-8 CSV file.") from error
        except handover.ListDoesNotMatch as error:
            raise CommandError(f"The list does NOT match the digest: {error}.") from error
        self.stdout.write(f"The list matches the digest {digest}: {count} name(s), none changed, added or removed.")
