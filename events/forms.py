import time

from django import forms
from django.conf import settings
from django.core import signing
from django.utils.translation import gettext_lazy as _

from appeals.models import Appeal
from lib.countries import CountryField
from lib.forms import CommentField, EmailTypoCheckMixin, OneLineFieldsMixin
from petitions.forms import FORM_MAX_AGE, STARTED_SALT, fresh_started
from petitions.models import Petition
from prisoners.models import Prisoner

from .models import Event, time_zone_choices


class PublicChoice(forms.ModelChoiceField):
    """An appeal, petition or case the event is for, among the public ones; optional."""

    def __init__(self, queryset, **kwargs):
        super().__init__(queryset=queryset, required=False, empty_label=_("None"), **kwargs)


class ProposalForm(EmailTypoCheckMixin, OneLineFieldsMixin, forms.Form):
    """A day of action proposed by a union branch or a supporter. Nothing of it is public
    until an Organiser approves it; the proposer's address is never shown, and is deleted
    once they have decided (services.decide). The same traps as the signing form: a honeypot
    field and a signed start time (too fast is software), and an hourly limit per network."""

    title = forms.CharField(
        label=_("What is it called?"),
        max_length=200,
        help_text=_("E.g. “Picket for Roza Tuletaeva at the Kazakhstan embassy”."),
        error_messages={"required": _("Please give the event a title.")},
    )
    kind = forms.ChoiceField(label=_("Kind of event"), choices=Event.Kind.choices)
    date = forms.DateField(
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Please give the date."),
            "invalid": _("Please give the date as year-month-day, e.g. 2026-12-16."),
        },
    )
    start_time = forms.TimeField(
        label=_("Starts at"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=_("Local time where it happens. Optional."),
        error_messages={"invalid": _("Please give the time as hours:minutes, e.g. 12:00.")},
    )
    end_time = forms.TimeField(
        label=_("Ends at"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=_("Optional."),
        error_messages={"invalid": _("Please give the time as hours:minutes, e.g. 12:00.")},
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        choices=time_zone_choices,
        initial="Europe/London",
        help_text=_("Where it happens, e.g. Europe/London, Asia/Almaty or Europe/Moscow."),
        error_messages={"invalid_choice": _("Please choose a time zone from the list.")},
    )
    country = CountryField(
        label=_("Country"),
        required=False,
        help_text=_("Leave empty for an online action."),
        error_messages={"invalid_choice": _("Please choose the country from the list.")},
    )
    city = forms.CharField(label=_("Town or city"), max_length=100, required=False)
    address = forms.CharField(
        label=_("Address"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Where exactly: the building, the street."),
    )
    online_url = forms.URLField(
        label=_("Online link"),
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text=_("For an online action: where to join."),
        error_messages={"invalid": _("This does not look like a web address.")},
    )
    summary = CommentField(
        label=_("What will happen"),
        max_length=2000,
        required=False,
        help_text=_("Optional, up to 2,000 characters. Shown on the event's page once it is approved."),
    )
    appeal = PublicChoice(Appeal.objects.none(), label=_("For the appeal"))
    petition = PublicChoice(Petition.objects.none(), label=_("For the petition"))
    prisoner = PublicChoice(Prisoner.objects.none(), label=_("For the case of"))
    contact = forms.CharField(
        label=_("Public contact"),
        max_length=200,
        required=False,
        help_text=_("Optional, shown on the page: e.g. a branch's public address. Never a private address."),
    )
    proposed_by = forms.CharField(
        label=_("Your union branch or organisation"),
        max_length=150,
        required=False,
        help_text=_("Optional. Seen by the organisers only."),
    )
    proposer_email = forms.EmailField(
        label=_("Your email"),
        max_length=254,
        help_text=_(
            "For the organisers to write back about it. Never shown anywhere, and deleted once they have "
            "approved or declined the event."
        ),
        error_messages={
            "required": _("Please give your email address, so that the organisers can write back."),
            "invalid": _("This does not look like an email address. Please check it for typing mistakes."),
        },
    )
    proposer_note = CommentField(
        label=_("A note to the organisers"),
        max_length=1000,
        required=False,
        help_text=_("Optional, up to 1,000 characters. Not published."),
    )
    website = forms.CharField(
        label=_("Leave this empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )
    started = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["appeal"].queryset = Appeal.objects.public().only("pk", "title")
        self.fields["petition"].queryset = Petition.objects.public().only("pk", "title")
        self.fields["prisoner"].queryset = Prisoner.objects.published().only("pk", "name")
        if not self.is_bound:
            self.initial["started"] = fresh_started()

    def clean_proposer_email(self):
        return self.check_email_typo(self.cleaned_data.get("proposer_email") or "")

    def clean_city(self):
        return self._one_line("city")

    def clean_title(self):
        return self._one_line("title")

    def clean_proposed_by(self):
        return self._one_line("proposed_by")

    def clean_contact(self):
        return self._one_line("contact")

    @property
    def is_trap(self):
        if self.data.get("website"):
            return True
        seconds = self.seconds_taken()
        return seconds is not None and seconds < settings.SIGN_MIN_SECONDS

    def seconds_taken(self):
        try:
            started = float(signing.loads(self.data.get("started", ""), salt=STARTED_SALT, max_age=FORM_MAX_AGE))
        except (signing.BadSignature, TypeError, ValueError):
            return None
        return time.time() - started

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_time"), cleaned.get("end_time")
        if end and not start:
            self.add_error("start_time", _("Give the time it starts too, or leave both empty."))
        elif start and end and end <= start:
            self.add_error("end_time", _("It must end after it starts."))
        if cleaned.get("kind") == Event.Kind.ONLINE:
            if not cleaned.get("online_url"):
                self.add_error("online_url", _("Give the link where people join the online action."))
        elif not cleaned.get("country") and "country" not in self.errors:
            self.add_error("country", _("Please choose the country where it happens."))
        if not self.data.get("website") and self.seconds_taken() is None:
            self.add_error(None, _("This form was open too long. Please check the details and send it again."))
            self.data = self.data.copy()
            self.data["started"] = signing.dumps(time.time() - settings.SIGN_MIN_SECONDS, salt=STARTED_SALT)
        return cleaned
