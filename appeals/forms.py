from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from lib.countries import CountryField, CountrySelect
from lib.forms import OneLineFieldsMixin

from .letters import PLACEHOLDERS, braced, unknown_placeholders
from .models import LetterSent, LetterText


class SenderForm(OneLineFieldsMixin, forms.Form):
    """Who signs the letter. Nothing here is stored."""

    name = forms.CharField(label=_("Your name"), max_length=100)
    organisation = forms.CharField(
        label=_("Organisation or trade union"), max_length=150, required=False, help_text=_("Optional.")
    )
    town = forms.CharField(label=_("Town"), max_length=100, required=False, help_text=_("Optional."))
    country = CountryField(
        label=_("Country"),
        required=False,
        help_text=_("Optional. We add the Kazakhstan embassy in your country when the appeal asks for it."),
    )
    language = forms.CharField(label=_("Language of the letter"), required=False, widget=forms.Select)

    def __init__(self, *args, languages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = list(languages)
        self.fields["language"].widget.choices = list(languages)
        if len(languages) <= 1:
            self.fields["language"].widget = forms.HiddenInput()

    def clean_language(self):
        # An unknown language (an old link, a hand-made request) falls back to English.
        value = self.cleaned_data.get("language") or ""
        return value if value in dict(self.fields["language"].choices) else ""


class EditedLetterForm(forms.Form):
    """The letter after the supporter has edited it, for the mailto link and downloads."""

    recipient = forms.IntegerField(required=False, widget=forms.HiddenInput)
    subject = forms.CharField(label=_("Subject"), max_length=300)
    body = forms.CharField(label=_("Your letter"), max_length=20000, widget=forms.Textarea(attrs={"rows": 18}))


class SentForm(forms.Form):
    channel = forms.ChoiceField(
        label=_("How did you send it?"),
        choices=LetterSent.Channel.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    country = CountryField(
        label=_("From which country?"), required=False, widget=CountrySelect(attrs={"class": "form-select"})
    )


class LetterTextAdminForm(forms.ModelForm):
    class Meta:
        model = LetterText
        fields = ["language", "subject", "body"]
        help_texts = {
            "body": format_lazy(_("Placeholders: {names}."), names=", ".join(map(braced, PLACEHOLDERS))),
        }

    def _check(self, field):
        value = self.cleaned_data.get(field, "")
        unknown = unknown_placeholders(value)
        if unknown:
            raise forms.ValidationError(
                _("Unknown placeholder: %(unknown)s. Use only: %(known)s.")
                % {
                    "unknown": ", ".join(map(braced, unknown)),
                    "known": ", ".join(map(braced, PLACEHOLDERS)),
                }
            )
        return value

    def clean_subject(self):
        return self._check("subject")

    def clean_body(self):
        return self._check("body")
