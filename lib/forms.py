"""Form helpers for every form that takes a person's name, organisation or town."""

from django import forms
from django.utils.translation import gettext_lazy as _


def no_control_characters(value):
    # A name is one line: line breaks and other control characters are typing slips or mischief.
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
        raise forms.ValidationError(_("Please use a single line without special characters."))
    return value


class OneLineFieldsMixin:
    """Name, organisation and town are one line each: trimmed, without control characters.
    For any form that has some of these fields."""

    def clean_name(self):
        return no_control_characters(self.cleaned_data["name"].strip())

    def clean_organisation(self):
        return no_control_characters(self.cleaned_data["organisation"].strip())

    def clean_town(self):
        return no_control_characters(self.cleaned_data["town"].strip())
