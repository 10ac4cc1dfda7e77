"""Form helpers for every form that takes a person's name, organisation or town."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

# Characters that change how the text around them is shown without being seen themselves:
# bidirectional embeddings, overrides and isolates (a right-to-left override makes
# "Evil Kingdom United" read backwards on a signers' list), the Arabic letter mark, and
# zero-width spaces and joiners (an invisible "name", or two names that look the same).
# A person's name, town or organisation never needs them.
INVISIBLE = re.compile("[\u061c\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]")


def without_invisible_characters(value):
    return INVISIBLE.sub("", value)


def no_control_characters(value):
    # A name is one line: line breaks and other control characters are typing slips or mischief.
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
        raise forms.ValidationError(_("Please use a single line without special characters."))
    return value


class OneLineFieldsMixin:
    """Name, organisation and town are one line each: trimmed, without control characters,
    without invisible characters that reorder or hide text. For any form that has some of
    these fields."""

    def _one_line(self, name):
        raw = self.cleaned_data[name]
        value = without_invisible_characters(raw).strip()
        if raw and not value and self.fields[name].required:
            raise forms.ValidationError(
                _("This has only invisible characters. Please type it with letters."), code="invisible"
            )
        return no_control_characters(value)

    def clean_name(self):
        return self._one_line("name")

    def clean_organisation(self):
        return self._one_line("organisation")

    def clean_town(self):
        return self._one_line("town")
