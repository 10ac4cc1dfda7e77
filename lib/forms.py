"""Form helpers for every form that takes a person's name, organisation or town."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from .email_typos import suggest

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


class EmailTypoCheckMixin:
    """For a form with an `email` field: an address at a near miss of a common mail domain
    (…@gmial.com) comes back once with "Did you mean …@gmail.com?" and two buttons, one to
    take the suggestion and one to keep what was typed (lib/email_typos.py). Both buttons
    send the form again with `use_email`, so it works without JavaScript, in one press.
    Templates show it with "_email_suggestion.html" (`form.email_suggestion`)."""

    choice_field = "use_email"
    email_suggestion = None

    def clean_email(self):
        return self.check_email_typo(self.cleaned_data.get("email") or "")

    def check_email_typo(self, email):
        """`email`, or the suggestion if the person chose it; a "did you mean" error while
        they have not chosen. For a form whose address field has another name, call it from
        that field's clean_<name>()."""
        email = email.strip()
        suggestion = suggest(email) if email else None
        if not suggestion:
            return email
        chosen = self.data.get(self.choice_field, "")
        if chosen == suggestion:
            return suggestion
        if chosen == email:
            return email
        self.email_suggestion = suggestion
        self.typed_email = email
        raise forms.ValidationError(
            _("Did you mean %(suggestion)s? Choose below, or correct the address."),
            code="typo",
            params={"suggestion": suggestion},
        )


class CommentField(forms.CharField):
    """A free text with a limit, such as a signer's comment: one longer than the limit is
    refused with its length and the limit, never cut. The browser is not told the limit
    (no maxlength): it would cut a pasted text silently, mid-word."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 3}))
        super().__init__(*args, **kwargs)
        # Field.run_validators puts this in place of the validator's own message.
        self.error_messages.setdefault(
            "max_length",
            _(
                "This is %(show_value)d characters long, and the limit is %(limit_value)d. "
                "Please shorten it: nothing has been cut."
            ),
        )

    def to_python(self, value):
        # A browser sends a line break as two characters; the person counts one.
        value = super().to_python(value)
        return value.replace("\r\n", "\n") if value else value

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        return attrs
