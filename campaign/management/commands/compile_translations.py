"""Compile the catalogues in locale/ (.po to .mo) in pure Python.

Django's compilemessages needs GNU gettext's msgfmt; this needs only polib, so that
`make messages` works wherever the site runs. The .mo files are committed:
tests/test_translations_are_complete.py fails when one no longer matches its .po.
Fuzzy and untranslated entries are left out, as msgfmt leaves them out.
"""

from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Compile locale/*/LC_MESSAGES/*.po into .mo files, without GNU gettext."

    def handle(self, *args, **options):
        for folder in settings.LOCALE_PATHS:
            for po_path in sorted(Path(folder).glob("*/LC_MESSAGES/*.po")):
                catalogue = polib.pofile(str(po_path))
                catalogue.save_as_mofile(str(po_path.with_suffix(".mo")))
                self.stdout.write(f"{po_path}: {catalogue.percent_translated()}% translated")
