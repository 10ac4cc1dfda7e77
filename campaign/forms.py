import functools

from django import forms
from django.forms.utils import flatatt
from django.utils import translation
from django.utils.html import format_html, format_html_join
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from .letters import PLACEHOLDERS, braced, unknown_placeholders
from .models import LetterSent, LetterText


def country_choices():
    return _country_choices(translation.get_language())


@functools.cache
def _country_choices(language):
    # Translating and sorting some 250 names costs more than the rest of the page; the
    # list only changes with the language, so it is made once per language.
    return [("", str(_("Choose your country")))] + [(code, str(name)) for code, name in countries]


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


class CountryField(forms.ChoiceField):
    """A country from the list. A value is checked by looking it up rather than by
    walking some 250 choices, which cost a signature more than its database writes."""

    widget = CountrySelect

    def __init__(self, **kwargs):
        super().__init__(choices=country_choices, **kwargs)

    def valid_value(self, value):
        return value in countries


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


class EmbassyImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        required=False,
        help_text=_(
            "UTF-8, first row the column names: country (ISO code such as GB or country name), name, "
            "and optionally organisation, postal_address, email, fax, phone, salutation."
        ),
    )
    csv_text = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        if upload:
            if upload.size > 2_000_000:
                raise forms.ValidationError(_("The file is too large (2 MB at most)."))
            raw = upload.read()
            try:
                cleaned["csv_text"] = raw.decode("utf-8-sig")
            except UnicodeDecodeError as error:
                raise forms.ValidationError(_("The file is not UTF-8 text. Save it as “CSV UTF-8”.")) from error
        if not cleaned.get("csv_text"):
            raise forms.ValidationError(_("Choose a CSV file."))
        return cleaned
