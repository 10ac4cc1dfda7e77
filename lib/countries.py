"""The country a supporter or signer chooses: one list, drawn fast, in the page's language."""

import functools

from django import forms
from django.forms.utils import flatatt
from django.utils import translation
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django_countries import countries


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


@functools.lru_cache(maxsize=1024)
def _country_options(language, selected):
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((code, " selected" if code == selected else "", label) for code, label in _country_choices(language)),
    )


class CountrySelect(forms.Select):
    """The country list in one pass. Django draws each option through a template, which for
    some 250 countries was most of a page's time; here the options are drawn once per
    language and chosen country, and kept."""

    def render(self, name, value, attrs=None, renderer=None):
        options = _country_options(translation.get_language(), "" if value is None else str(value))
        return format_html(
            '<select name="{}"{}>{}</select>', name, flatatt(self.build_attrs(self.attrs, attrs)), options
        )

    def use_required_attribute(self, initial):
        # Select finds out whether its first option is empty by translating and listing all
        # 250 choices, on every form drawn; this list always opens with "Choose your country".
        return not self.is_hidden


class CountryField(forms.ChoiceField):
    """A country from the list. A value is checked by looking it up rather than by
    walking some 250 choices, which cost a signature more than its database writes."""

    widget = CountrySelect

    def __init__(self, **kwargs):
        super().__init__(choices=country_choices, **kwargs)

    def valid_value(self, value):
        return value in countries


def country_code(value):
    """A two-letter code from what someone typed in a file: a code or an English name."""
    value = (value or "").strip()
    if not value:
        return ""
    if len(value) == 2 and countries.name(value.upper()):
        return value.upper()
    return countries.by_name(value) or value  # an unknown value fails validation with its own message
