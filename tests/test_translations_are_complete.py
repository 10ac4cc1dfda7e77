"""The Russian and Kazakh catalogues: complete, with no fuzzy entry, and compiled.

Pure Python (polib), so it runs wherever the suite runs, with no GNU gettext. To fix a
failure: translate in locale/<lang>/LC_MESSAGES/django.po (or in the admin's translation
pages), then `make translations` to compile; docs/translation.md.
"""

from pathlib import Path

import polib
import pytest
from django.utils import translation

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "locale"
# The site's strings in each language, the Kazakh country names, and the catalogues that
# apps keep beside their code (<app>/locale/…), which Django merges with the site's.
FOLDERS = {
    "ru": LOCALE / "ru",
    "kk": LOCALE / "kk",
    "countries/kk": LOCALE / "countries" / "kk",
    "events/ru": ROOT / "events" / "locale" / "ru",
    "events/kk": ROOT / "events" / "locale" / "kk",
}
CATALOGUES = list(FOLDERS)
LANGUAGES = CATALOGUES


def catalogue(language):
    return polib.pofile(str(FOLDERS[language] / "LC_MESSAGES" / "django.po"))


def entries(messages):
    """What a catalogue says, as the translation machinery reads it."""
    return {
        (entry.msgctxt, entry.msgid, entry.msgid_plural): (
            tuple(entry.msgstr_plural[n] for n in sorted(entry.msgstr_plural)) if entry.msgid_plural else entry.msgstr
        )
        for entry in messages
        if entry.msgid
    }


def described(entry):
    context = f" (context {entry.msgctxt!r})" if entry.msgctxt else ""
    return f"{entry.linenum}: {entry.msgid!r}{context}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_string_is_translated(language):
    po = catalogue(language)
    missing = [described(e) for e in po if not e.obsolete and not e.fuzzy and not e.translated()]
    assert not missing, f"untranslated in {language}:\n" + "\n".join(missing)


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_translation_is_fuzzy(language):
    po = catalogue(language)
    fuzzy = [described(e) for e in po if not e.obsolete and e.fuzzy]
    assert not fuzzy, f"fuzzy in {language} (check the translation, then remove the flag):\n" + "\n".join(fuzzy)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalogue_matches_its_source(language):
    po = catalogue(language)
    mo = polib.mofile(str(FOLDERS[language] / "LC_MESSAGES" / "django.mo"))
    assert entries(mo) == entries(po.translated_entries()), (
        f"locale/{language}/LC_MESSAGES/django.mo is out of date: run `make translations` and commit it"
    )
    assert mo.metadata.get("Plural-Forms") == po.metadata.get("Plural-Forms")


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_placeholder_in_a_string_is_in_its_translation(language):
    # A translation that drops or misspells %(title)s breaks the page (KeyError) or says
    # less than the English.
    import re

    placeholder = re.compile(r"%\(\w+\)[sd]|\{\w+\}")
    po = catalogue(language)
    wrong = []
    for entry in po.translated_entries():
        wanted = set(placeholder.findall(entry.msgid + (entry.msgid_plural or "")))
        for text in entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]:
            if set(placeholder.findall(text)) - wanted or (
                not entry.msgid_plural and wanted - set(placeholder.findall(text))
            ):
                wrong.append(f"{described(entry)} -> {text!r}")
    assert not wrong, "\n".join(wrong)


def test_russian_counts_take_the_right_plural_form():
    from django.utils.translation import ngettext

    with translation.override("ru"):
        forms = [
            ngettext("%(counter)s signature", "%(counter)s signatures", n) % {"counter": n} for n in (1, 2, 5, 21, 11)
        ]
    assert forms == ["1 подпись", "2 подписи", "5 подписей", "21 подпись", "11 подписей"]


def test_kazakh_counts_keep_the_noun_singular():
    from django.utils.translation import ngettext

    with translation.override("kk"):
        forms = [ngettext("%(counter)s signature", "%(counter)s signatures", n) % {"counter": n} for n in (1, 2, 5)]
    assert forms == ["1 қолтаңба", "2 қолтаңба", "5 қолтаңба"]
