import time

from django import forms
from django.conf import settings
from django.core import signing
from django.utils.translation import gettext_lazy as _

from petitions.forms import FORM_MAX_AGE, STARTED_SALT

from .models import Update


class AlertForm(forms.Form):
    """ "Email me when there is news about …": an address, and the signing form's traps."""

    email = forms.EmailField(
        label=_("Your email"),
        max_length=254,
        help_text=_("We send you a link to confirm. Your address is never shown anywhere."),
        error_messages={
            "required": _("Please give your email address: we send the confirmation link there."),
            "invalid": _("This does not look like an email address. Please check it for typing mistakes."),
        },
    )
    # The same spam traps as the signing form (petitions/forms.py): a field hidden from people
    # that software fills in, and the signed time the form was shown.
    website = forms.CharField(
        label=_("Leave this empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    started = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean_email(self):
        return self.cleaned_data["email"].strip()

    def seconds_taken(self):
        try:
            started = float(signing.loads(self.data.get("started", ""), salt=STARTED_SALT, max_age=FORM_MAX_AGE))
        except (signing.BadSignature, ValueError, TypeError):
            return None
        return time.time() - started

    @property
    def is_trap(self):
        """Filled in by software: the honeypot, or back faster than a person types."""
        if self.data.get("website"):
            return True
        seconds = self.seconds_taken()
        return seconds is not None and seconds < settings.SIGN_MIN_SECONDS

    def clean(self):
        cleaned = super().clean()
        if not self.data.get("website") and self.seconds_taken() is None:
            self.add_error(None, _("This form was open too long. Please press “Email me” again."))
            self.data = self.data.copy()
            self.data["started"] = signing.dumps(time.time() - settings.SIGN_MIN_SECONDS, salt=STARTED_SALT)
        return cleaned


class SendUpdateForm(forms.Form):
    """The confirmation step of sending an update."""

    reason = forms.CharField(
        label=_("Why another update this week"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("An update went out less than a week ago: say why this one cannot wait."),
    )

    def __init__(self, *args, needs_reason=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.needs_reason = needs_reason
        if not needs_reason:
            del self.fields["reason"]

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if self.needs_reason and not reason:
            raise forms.ValidationError(_("Please say why this update cannot wait a week."))
        return reason


class UpdateAdminForm(forms.ModelForm):
    class Meta:
        model = Update
        fields = ["petition", "appeal", "prisoner", "subject", "text"]

    def clean(self):
        cleaned = super().clean()
        about = [name for name in ("petition", "appeal", "prisoner") if cleaned.get(name)]
        if len(about) != 1:
            raise forms.ValidationError(_("Choose one petition, one appeal or one case: the update is about it."))
        return cleaned
