"""Petitions on paper: the CSV file of the signatures organisers key in from the sheets
(documents.sheet_pdf), read and checked here and saved by services.add_paper_signatures, as
are those keyed in by hand in the admin.

Paper signatures are confirmed by the organiser who keys them in: they count at once,
through the same counters as online ones (services.count_changes), in the same
transaction that creates them.
"""

import csv
import io
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from . import services
from .forms import PaperRowForm

# --- the CSV file -----------------------------------------------------------------------

COLUMNS = ["name", "organisation", "town", "country", "public", "email", "wants_updates", "comment"]
MAX_ROWS = 5000


@dataclass
class PaperRow:
    line: int
    data: dict  # as written in the file, for the preview
    cleaned: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)
    duplicate: str = ""  # why it may repeat another signature, or ""


def _reader(text):
    """Standard CSV (quotes doubled inside quoted text), with whichever separator splits the
    header into the most columns: spreadsheets set to Russian or Kazakh save with
    semicolons. Only the separator is guessed: csv.Sniffer guessed the quoting too, and
    turned `"O""Brien"` into `O"Brien"`."""
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=lambda candidate: len(next(csv.reader([first_line], delimiter=candidate), [])))
    return csv.DictReader(io.StringIO(text), delimiter=delimiter)


def parse_paper_csv(petition, text):
    """Check every row of a CSV file of paper signatures without saving anything.
    Returns (rows, file_errors)."""
    reader = _reader(text.removeprefix("\ufeff"))
    headers = [(h or "").strip().lower().replace(" ", "_") for h in (reader.fieldnames or [])]
    if "name" not in headers:
        return [], [_("The first row must name the columns, and one must be “name”.")]
    file_errors = []
    unknown = [h for h in headers if h and h not in COLUMNS]
    if unknown:
        file_errors.append(_("Unknown columns ignored: %(cols)s.") % {"cols": ", ".join(unknown)})
    reader.fieldnames = headers
    rows = []
    for raw in reader:
        data = {column: (raw.get(column) or "").strip() for column in COLUMNS}
        if not any(data.values()):
            continue
        row = PaperRow(line=reader.line_num, data=data)
        form = PaperRowForm(data)
        if form.is_valid():
            row.cleaned = form.cleaned_data
        else:
            for name, errors in form.errors.items():
                for error in errors:
                    named = name == "__all__" or error.startswith(f"{name}:")
                    row.errors.append(error if named else f"{name}: {error}")
        rows.append(row)
    if len(rows) > MAX_ROWS:
        file_errors.append(_("At most %(max)d rows at a time: split the file.") % {"max": MAX_ROWS})
    good = [row for row in rows if not row.errors]
    reasons = services.find_duplicates(petition, [row.cleaned for row in good], lines=[row.line for row in good])
    for row, reason in zip(good, reasons, strict=True):
        row.duplicate = reason
    return rows, file_errors


def import_paper_csv(batch, text):
    """Add the rows of a checked CSV file to `batch`, all or none: nothing is saved while
    any row has an error. Returns (signatures added, rows)."""
    rows, _file_errors = parse_paper_csv(batch.petition, text)
    if not rows or len(rows) > MAX_ROWS or any(row.errors for row in rows):
        return [], rows
    with transaction.atomic():
        return services.add_paper_signatures(batch, [row.cleaned for row in rows]), rows
