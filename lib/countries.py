"""The country a supporter or signer chooses: one list, drawn fast, in the page's language."""

import functools

from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_countries.fields import LazyTypedChoiceField


def country_choices():
    return _country_choices(translation.get_language())


@functools.cache
def _country_choices(language):
    # Translating and sorting some 250 names costs more than the rest of the page; the
    # list only changes with the language, so it is made once per language.
    return [("", str(_("Choose your country")))] + [(code, str(name)) for code, name in countries]


def country_name(code):
    """The country's name in the active language ("" for none): as django-countries names it,
    from the list made once per language instead of translated again on every call."""
    return _country_names(translation.get_language()).get(code, "")


@functools.cache
def _country_names(language):
    return dict(_country_choices(language)[1:])


class CountryField(LazyTypedChoiceField):
    """django-countries' own form field and select, with the list in the page's language made
    once per language. Checking a code costs a signature 0.3 ms and drawing the list 6.5 ms
    (bench/countries.py): about an eighth of a signature's CPU, and the lists a surge sees (the
    empty forms) are cached fragments, so nothing faster of our own is needed."""

    def __init__(self, **kwargs):
        kwargs.setdefault("choices", country_choices)
        super().__init__(**kwargs)


def country_code(value):
    """A two-letter code from what someone typed in a file: a code or an English name."""
    value = (value or "").strip()
    if not value:
        return ""
    if len(value) == 2 and countries.name(value.upper()):
        return value.upper()
    return countries.by_name(value) or value  # an unknown value fails validation with its own message
