import time

from django import forms
from django.conf import settings
from django.core import signing
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_countries import countries
from modeltranslation.utils import build_localized_fieldname

from lib.countries import CountryField, country_code
from lib.forms import CommentField, EmailTypoCheckMixin, OneLineFieldsMixin

from .models import DELIVERY_TEXTS, Petition, Signature

STARTED_SALT = "petitions.form-started"
# A form older than this is refused with a plain "please send it again".
FORM_MAX_AGE = 24 * 3600


def fresh_started(request=None):
    """The signed time a visitor was given the form: the minimum fill time runs from it."""
    return signing.dumps(time.time(), salt=STARTED_SALT)


# A page kept for every visitor (lib/pagecache.py) carries this instead, and each visitor
# gets their own fresh_started() in its place.
STARTED_PLACEHOLDER = "form-started-5e1d7a0c"


class SignatureForm(EmailTypoCheckMixin, OneLineFieldsMixin, forms.Form):
    name = forms.CharField(
        label=_("Your name"), max_length=100, error_messages={"required": _("Please give your name.")}
    )
    email = forms.EmailField(
        label=_("Your email"),
        max_length=254,
        help_text=_("We send you a link to confirm your signature. It is never shown anywhere."),
        error_messages={
            "required": _("Please give your email address: we send the confirmation link there."),
            "invalid": _("This does not look like an email address. Please check it for typing mistakes."),
        },
    )
    country = CountryField(
        label=_("Country"),
        error_messages={
            "required": _("Please choose your country."),
            "invalid_choice": _("Please choose your country from the list."),
        },
    )
    town = forms.CharField(label=_("Town"), max_length=100, required=False, help_text=_("Optional."))
    organisation = forms.CharField(
        label=_("Organisation or trade union"), max_length=150, required=False, help_text=_("Optional.")
    )
    comment = CommentField(
        label=_("Comment"),
        max_length=1000,
        required=False,
        help_text=_("Optional, up to 1,000 characters. Seen by the organisers, not published."),
    )
    public = forms.BooleanField(
        label=_("List my name publicly"),
        required=False,
        help_text=_("Your name, your town or country, and your organisation, on the list of signers."),
    )
    wants_updates = forms.BooleanField(
        label=_("Send me updates about this petition"),
        required=False,
        help_text=_("Then we keep your email address until the campaign ends or you unsubscribe."),
    )
    # Spam traps. `website` is hidden from people (a CSS class, and out of the tab order);
    # software that fills in every field fills it. `started` is when the form was shown.
    website = forms.CharField(
        label=_("Leave this empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    started = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, petition=None, **kwargs):
        super().__init__(*args, **kwargs)
        if petition is not None and not petition.list_signers:
            del self.fields["public"]
        if not self.is_bound:
            self.initial["started"] = fresh_started()

    @property
    def is_trap(self):
        """Filled in by software: the honeypot was filled, or it came back faster than a
        person can type. Only meaningful after is_valid()."""
        if self.data.get("website"):
            return True
        seconds = self.seconds_taken()
        return seconds is not None and seconds < settings.SIGN_MIN_SECONDS

    def seconds_taken(self):
        started = self._started()
        return None if started is None else time.time() - started

    def _started(self):
        """When the form was given, from the signed `started` field; None if it is not ours
        or is too old. Checked once per value: clean() and is_trap both ask."""
        raw = self.data.get("started", "")
        read = getattr(self, "_started_read", None)
        if read is None or read[0] != raw:
            try:
                started = float(signing.loads(raw, salt=STARTED_SALT, max_age=FORM_MAX_AGE))
            except signing.BadSignature:
                started = None
            self._started_read = read = (raw, started)
        return read[1]

    def clean(self):
        cleaned = super().clean()
        if not self.data.get("website") and self.seconds_taken() is None:
            # Stale (a tab left open for a day) or tampered with: a person just sends it again.
            self.add_error(None, _("This form was open too long. Please check your details and press “Sign” again."))
            self.data = self.data.copy()
            self.data["started"] = signing.dumps(time.time() - settings.SIGN_MIN_SECONDS, salt=STARTED_SALT)
        return cleaned


class EmbedSignatureForm(SignatureForm):
    """The compact form of the embedded petition (petitions/<slug>/embed/): what a union
    branch's page has room for. The same checks, traps and privacy as the full form; town
    and comment are left to the full page."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["town"]
        del self.fields["comment"]
        for name, autocomplete in (("name", "name"), ("email", "email"), ("organisation", "organization")):
            self.fields[name].widget.attrs["autocomplete"] = autocomplete
        self.fields["country"].widget.attrs["autocomplete"] = "country"


# --- paper signatures, keyed in by organisers -------------------------------------------

YES = {"yes", "y", "1", "true", "x", "✓", "✔", "on", "да", "д", "иә", "и"}
NO = {"", "no", "n", "0", "false", "off", "нет", "н", "жоқ", "ж"}


def _yes_no(value, column):
    text = (value or "").strip().casefold()
    if text in YES:
        return True
    if text in NO:
        return False
    raise forms.ValidationError(
        _("%(column)s: write yes or no (or leave it empty), not “%(value)s”.") % {"column": column, "value": value}
    )


class PaperSignatureForm(OneLineFieldsMixin, forms.ModelForm):
    """One row of a paper sheet, keyed in by an organiser (the paper batch's inline)."""

    class Meta:
        model = Signature
        fields = ["name", "organisation", "town", "country", "public", "email", "wants_updates"]
        help_texts = {"email": "", "public": ""}
        # Narrow enough for a whole row of the sheet on one line of the screen.
        widgets = {
            "name": forms.TextInput(attrs={"size": 16}),
            "organisation": forms.TextInput(attrs={"size": 14}),
            "town": forms.TextInput(attrs={"size": 10}),
            "email": forms.EmailInput(attrs={"size": 14}),
        }

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("wants_updates") and not cleaned.get("email"):
            self.add_error("email", _("Give an email address to send the updates to, or untick “wants updates”."))
        return cleaned


class PaperRowForm(OneLineFieldsMixin, forms.Form):
    """One row of a CSV file of paper signatures."""

    name = forms.CharField(max_length=100)
    organisation = forms.CharField(max_length=150, required=False)
    town = forms.CharField(max_length=100, required=False)
    country = forms.CharField(required=False)
    public = forms.CharField(required=False)
    email = forms.EmailField(max_length=254, required=False)
    wants_updates = forms.CharField(required=False)
    comment = forms.CharField(max_length=1000, required=False)

    def clean_country(self):
        raw = self.cleaned_data["country"].strip()
        code = country_code(raw)
        if code and not countries.name(code):
            raise forms.ValidationError(
                _("“%(value)s” is not a country we know: use a two-letter code such as GB, or the English name.")
                % {"value": raw}
            )
        return code

    def clean_public(self):
        return _yes_no(self.cleaned_data["public"], "public")

    def clean_wants_updates(self):
        return _yes_no(self.cleaned_data["wants_updates"], "wants_updates")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("wants_updates") and not cleaned.get("email") and "email" not in self.errors:
            raise forms.ValidationError(_("wants_updates is yes but there is no email to send the updates to."))
        return cleaned


# --- the hand-over -------------------------------------------------------------------------


def localized(fields):
    """Each field's column in every language, a field's languages together: delivered_to_en, …"""
    return [build_localized_fieldname(field, code) for field in fields for code, _name in settings.LANGUAGES]


class DeliveryForm(forms.ModelForm):
    """The hand-over, its place, recipient and note each in the three languages, English first:
    a Russian page then names the recipient in Russian, not "(получатель: the company secretary)"."""

    tell_signers = forms.BooleanField(label=_("Tell the signers who asked for updates"), required=False)

    class Meta:
        model = Petition
        fields = ["delivered_on", *localized(DELIVERY_TEXTS), "delivery_photo"]
        widgets = {"delivered_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, to_tell=0, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["delivered_on"].required = True
        helps = {
            "delivered_where": _("E.g. “KazMinerals plc, head office, London”."),
            "delivered_to": _("Who received it, e.g. “the company secretary”."),
            "delivery_note": _("Shown on the petition's page and in the email."),
        }
        for field, help_text in helps.items():
            for code, language in settings.LANGUAGES:
                form_field = self.fields[build_localized_fieldname(field, code)]
                form_field.label = f"{Petition._meta.get_field(field).verbose_name} ({translation.gettext(language)})"
                if code == settings.LANGUAGE_CODE:
                    form_field.help_text = help_text
                else:
                    form_field.help_text = _("Empty: the page in this language shows the English.")
        if to_tell:
            self.fields["tell_signers"].help_text = ngettext(
                "One email to the %(n)d signer who asked for updates, with a link to stop them, sent slowly over "
                "the next minutes. Only once per petition.",
                "One email to each of the %(n)d signers who asked for updates, with a link to stop them, sent "
                "slowly over the next minutes or hours. Only once per petition.",
                to_tell,
            ) % {"n": to_tell}
        else:
            del self.fields["tell_signers"]


class ForgetForm(forms.Form):
    """ "Forget me everywhere": the address to mail the link to, and the signing form's traps."""

    email = forms.EmailField(
        label=_("Your email"),
        max_length=254,
        error_messages={
            "required": _("Please give your email address: we send the link there."),
            "invalid": _("This does not look like an email address. Please check it for typing mistakes."),
        },
    )
    website = forms.CharField(
        label=_("Leave this empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    started = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["started"] = fresh_started()

    def clean_email(self):
        return self.cleaned_data["email"].strip()

    def _started(self):
        try:
            return float(signing.loads(self.data.get("started", ""), salt=STARTED_SALT, max_age=FORM_MAX_AGE))
        except (signing.BadSignature, ValueError, TypeError):
            return None

    def clean(self):
        cleaned = super().clean()
        if not self.data.get("website") and self._started() is None:
            # Stale (a tab left open for a day) or tampered with: a person just sends it again.
            self.add_error(None, _("This form was open too long. Please press the button again."))
            self.data = self.data.copy()
            self.data["started"] = signing.dumps(time.time() - settings.SIGN_MIN_SECONDS, salt=STARTED_SALT)
        return cleaned

    @property
    def is_trap(self):
        """The honeypot was filled, or the form came back faster than a person types."""
        if self.data.get("website"):
            return True
        started = self._started()
        return started is None or time.time() - started < settings.SIGN_MIN_SECONDS
