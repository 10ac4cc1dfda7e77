import time

from django import forms
from django.conf import settings
from django.core import signing
from django.utils.translation import gettext_lazy as _

from lib.countries import CountryField
from lib.forms import OneLineFieldsMixin

STARTED_SALT = "petitions.form-started"
# A form older than this is refused with a plain "please send it again".
FORM_MAX_AGE = 24 * 3600


class SignatureForm(OneLineFieldsMixin, forms.Form):
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
    comment = forms.CharField(
        label=_("Comment"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional. Seen by the organisers, not published."),
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
            self.initial["started"] = signing.dumps(time.time(), salt=STARTED_SALT)

    def clean_email(self):
        return self.cleaned_data["email"].strip()

    @property
    def is_trap(self):
        """Filled in by software: the honeypot was filled, or it came back faster than a
        person can type. Only meaningful after is_valid()."""
        if self.data.get("website"):
            return True
        seconds = self.seconds_taken()
        return seconds is not None and seconds < settings.SIGN_MIN_SECONDS

    def seconds_taken(self):
        try:
            started = signing.loads(self.data.get("started", ""), salt=STARTED_SALT, max_age=FORM_MAX_AGE)
        except signing.BadSignature:
            return None
        return time.time() - float(started)

    def clean(self):
        cleaned = super().clean()
        if not self.data.get("website") and self.seconds_taken() is None:
            # Stale (a tab left open for a day) or tampered with: a person just sends it again.
            self.add_error(None, _("This form was open too long. Please check your details and press “Sign” again."))
            self.data = self.data.copy()
            self.data["started"] = signing.dumps(time.time() - settings.SIGN_MIN_SECONDS, salt=STARTED_SALT)
        return cleaned
