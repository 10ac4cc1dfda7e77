import time

from django import forms
from django.conf import settings
from django.core import signing
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from lib.countries import CountryField
from lib.forms import OneLineFieldsMixin

from .letters import PLACEHOLDERS, braced, unknown_placeholders
from .models import DirectoryReport, LetterOutcome, LetterSent, LetterText


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

    @property
    def letter_languages(self):
        """The languages the appeal's letter is written in, and the one chosen at first:
        all the empty form depends on, beside the page's language."""
        codes = ",".join(code for code, _name in self.fields["language"].choices)
        return f"{codes}:{self.initial.get('language')}"

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
        label=_("From which country?"), required=False, widget=forms.Select(attrs={"class": "form-select"})
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


# --- supporters' reports on the directory, and what came of a letter ----------------------

STARTED_SALT = "appeals.form-started"
FORM_MAX_AGE = 24 * 3600


class PersonCheckMixin:
    """Spam traps, as on the signing form (petitions/forms.py): a field hidden from people
    (`website`) that software fills in, and the signed time the form was shown (`started`):
    sent back faster than SIGN_MIN_SECONDS, it is software. Stale or tampered-with: a person
    is asked to send it again."""

    def _add_traps(self):
        self.fields["website"] = forms.CharField(
            label=_("Leave this empty"),
            required=False,
            widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
        )
        self.fields["started"] = forms.CharField(widget=forms.HiddenInput, required=False)
        if not self.is_bound:
            self.initial["started"] = signing.dumps(time.time(), salt=STARTED_SALT)

    def _seconds_taken(self):
        raw = self.data.get("started", "")
        try:
            started = float(signing.loads(str(raw), salt=STARTED_SALT, max_age=FORM_MAX_AGE))
        except (signing.BadSignature, TypeError, ValueError):
            return None
        return time.time() - started

    @property
    def is_trap(self):
        if self.data.get("website"):
            return True
        seconds = self._seconds_taken()
        return seconds is not None and seconds < settings.SIGN_MIN_SECONDS

    def clean(self):
        cleaned = super().clean()
        if not self.data.get("website") and self._seconds_taken() is None:
            self.add_error(None, _("This form was open too long. Please check it and send it again."))
            self.data = self.data.copy()
            self.data["started"] = signing.dumps(time.time() - settings.SIGN_MIN_SECONDS, salt=STARTED_SALT)
        return cleaned


class DirectoryReportForm(PersonCheckMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("What is it?"), choices=DirectoryReport.Kind.choices, widget=forms.RadioSelect, initial="wrong"
    )
    target = forms.TypedChoiceField(label=_("Which entry"), required=False, coerce=int, empty_value=None)
    country = CountryField(
        label=_("Country"),
        required=False,
        help_text=_("For an embassy we don't list: the country it serves."),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    details = forms.CharField(
        label=_("What is wrong, or what the right details are"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Please tell us what is wrong, or the embassy's address.")},
    )
    source = forms.CharField(
        label=_("Where you read it"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The address of the page (the embassy's own site is best), or the words you read and where."),
        error_messages={"required": _("Please say where you read it, so that an organiser can check.")},
    )
    email = forms.EmailField(
        label=_("Your email"),
        required=False,
        max_length=254,
        help_text=_(
            "Optional: only if we may ask you about it. Never shown anywhere, and erased once the report is handled."
        ),
        error_messages={"invalid": _("This does not look like an email address. Please check it for typing mistakes.")},
    )

    def __init__(self, *args, targets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = [("", _("None: an embassy you don't list"))] + [
            (t.pk, f"{t.country.name}: {t.display_name}") for t in targets
        ]
        self._add_traps()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == DirectoryReport.Kind.WRONG and not cleaned.get("target"):
            self.add_error("target", _("Please choose the entry that is wrong."))
        if cleaned.get("kind") == DirectoryReport.Kind.MISSING and not cleaned.get("country"):
            self.add_error("country", _("Please choose the country the embassy serves."))
        return cleaned


# A reply's file: what a reply usually comes as (a scan, a photo, a PDF, an email saved as
# text), recognised by its first bytes, not by the name or type the browser gives.
REPLY_FILE_TYPES = {
    b"%PDF-": ("application/pdf", "pdf"),
    b"\x89PNG\r\n\x1a\n": ("image/png", "png"),
    b"\xff\xd8\xff": ("image/jpeg", "jpg"),
}
REPLY_FILE_MAX_BYTES = 5 * 1024 * 1024


def sniff_reply_file(data):
    """(content type, extension) of an accepted file, else None. Plain text in UTF-8 too."""
    for magic, kind in REPLY_FILE_TYPES.items():
        if data.startswith(magic):
            return kind
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if "\x00" in text:
        return None
    return ("text/plain", "txt")


class LetterOutcomeForm(PersonCheckMixin, forms.Form):
    kind = forms.ChoiceField(label=_("What happened?"), choices=LetterOutcome.Kind.choices, widget=forms.RadioSelect)
    target = forms.TypedChoiceField(label=_("From whom?"), required=False, coerce=int, empty_value=None)
    text = forms.CharField(
        label=_("The reply"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Paste it here, or send it as a file below. Leave out your own name and address."),
    )
    file = forms.FileField(
        label=_("Or the reply as a file"),
        required=False,
        help_text=_("A PDF, a photo (JPEG or PNG) or a text file, at most 5 MB."),
    )

    def __init__(self, *args, targets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = [("", _("I don't know"))] + [(t.pk, t.display_name) for t in targets]
        self._add_traps()

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not upload:
            return None
        if upload.size > REPLY_FILE_MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB: send a smaller scan, or paste the text."))
        data = upload.read()
        kind = sniff_reply_file(data)
        if kind is None:
            raise forms.ValidationError(_("Please send a PDF, a JPEG or PNG photo, or a text file."))
        return {"data": data, "type": kind[0], "name": f"reply.{kind[1]}"}

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") != LetterOutcome.Kind.REPLY:
            cleaned["text"], cleaned["file"] = "", None  # only a reply carries a text
        return cleaned
