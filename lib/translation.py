"""Texts that organisers write in English, Russian and Kazakh (django-modeltranslation), with
their change history kept in every language.

Each app's translation.py names its translated fields here. modeltranslation adds a column per
language (summary_en, summary_ru, summary_kk) when the app registry is ready, and reading
`prisoner.summary` gives the page's language, else English. simple_history copies a model's
columns into its history model when that model is registered, so a model with translated texts
registers its history here, after the translation, instead of with `history =
HistoricalRecords()` in models.py: otherwise its history would miss the Russian and Kazakh
texts (simple_history's "common issues", django-modeltranslation).
"""

import functools
import json

import simple_history
from django.conf import settings
from django.utils import translation
from django.utils.translation import get_language
from modeltranslation.translator import NotRegistered, TranslationOptions, translator
from modeltranslation.utils import build_localized_fieldname


def translate(model, fields, **history_options):
    """Make `fields` of `model` translatable, then keep its change history (history_options
    are HistoricalRecords' own, m2m_fields say)."""
    options = type(f"{model.__name__}TranslationOptions", (TranslationOptions,), {"fields": tuple(fields)})
    translator.register(model, options)
    simple_history.register(model, **history_options)


def in_original_language(function):
    """For code that reads and writes translated texts by their plain names (target.name) and
    means the English original, whatever language the admin page is in: CSV imports, loaders.
    `name=` in a lookup, and `obj.name = …`, then use name_en."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        with translation.override(settings.LANGUAGE_CODE):
            return function(*args, **kwargs)

    return wrapper


def translated_fields(model):
    """The names of `model`'s translated fields ("summary", …), or () if it has none."""
    try:
        return tuple(translator.get_options_for_model(model).fields)
    except NotRegistered:
        return ()


def in_language(instance, field, language=None):
    """The text of `field` written in `language` (the active one by default), "" if it has not
    been written in that language: no fallback."""
    language = language or get_language() or settings.LANGUAGE_CODE
    return getattr(instance, build_localized_fieldname(field, language.split("-")[0]), "") or ""


def is_shown_in_original(instance, field):
    """True when the page's language is not English and `field` is shown in English because
    nobody has translated it yet (the fallback): the block then carries lang="en"."""
    language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    if language == settings.LANGUAGE_CODE:
        return False
    return not in_language(instance, field, language) and bool(in_language(instance, field, settings.LANGUAGE_CODE))


def translations_beside(path):
    """The translations of a demo file, from the files beside it: prisoners.json ->
    {"ru": <prisoners.ru.json>, "kk": <prisoners.kk.json>}, for the languages that have one."""
    found = {}
    for code, _ in settings.LANGUAGES:
        translated = path.with_name(f"{path.stem}.{code}{path.suffix}")
        if code != settings.LANGUAGE_CODE and translated.exists():
            found[code] = json.loads(translated.read_text(encoding="utf-8"))
    return found


def with_translations(fields, names, translated):
    """`fields` as the English demo file gives them, plus every language's column of each of
    `names` that is among them: {"name": "Roza Tuletaeva"} -> also name_en, name_ru, name_kk.
    `translated` maps a language to its texts ({"ru": {"name": "Роза Тулетаева"}}); a text
    without a translation stays empty, and the page shows the English, marked as such."""
    localized = {}
    for name in names:
        if name not in fields:
            continue
        localized[build_localized_fieldname(name, settings.LANGUAGE_CODE)] = fields[name]
        for code, _ in settings.LANGUAGES:
            if code != settings.LANGUAGE_CODE:
                localized[build_localized_fieldname(name, code)] = translated.get(code, {}).get(name) or ""
    return fields | localized
