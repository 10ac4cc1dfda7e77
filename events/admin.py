"""Days of action in the admin. Organisers and Editors add and edit events; only those who
may approve (Organisers: events.approve_event) approve or cancel them, publish one, or see
the address of whoever proposed it."""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from lib.countries import CountryField
from lib.translated_admin import TranslatedAdmin, every_language

from . import services
from .models import Event, time_zone_choices

APPROVE_PERMISSION = "events.approve_event"


class EventAdminForm(forms.ModelForm):
    country = CountryField(label=_("country"), required=False)
    time_zone = forms.ChoiceField(label=_("time zone"), choices=time_zone_choices, initial="Europe/London")

    class Meta:
        model = Event
        fields = "__all__"  # noqa: DJ007 (the admin's fieldsets choose which are shown)


@admin.register(Event)
class EventAdmin(TranslatedAdmin, SimpleHistoryAdmin):
    form = EventAdminForm
    list_display = ["title", "kind", "date", "city", "country", "status", "proposed_by"]
    list_filter = ["status", "kind", "date"]
    search_fields = every_language("title", "city") + ["proposed_by"]
    autocomplete_fields = ["appeal", "petition", "prisoner"]
    date_hierarchy = "date"
    actions = ["approve", "cancel"]
    readonly_fields = ["starts_at", "ends_at", "approved_at", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["title", "kind", "status", "summary"]}),
        (_("When"), {"fields": ["date", "start_time", "end_time", "time_zone", "starts_at", "ends_at"]}),
        (_("Where"), {"fields": ["country", "city", "address", "online_url"]}),
        (_("What it is for"), {"fields": ["appeal", "petition", "prisoner", "contact"]}),
        (_("Source"), {"fields": ["source_note", "source_url"]}),
        (_("Proposed by"), {"fields": ["proposed_by", "proposer_email", "proposer_note"]}),
        (_("Record"), {"fields": ["approved_at", "created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    def may_approve(self, request):
        return request.user.has_perm(APPROVE_PERMISSION)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not self.may_approve(request):
            # An Editor's event waits for an Organiser, as a proposal does.
            fields += ["status", "proposer_email"]
        return fields

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if self.may_approve(request):
            return fieldsets
        # Editors never see a proposer's address.
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f != "proposer_email"]})
            for name, options in fieldsets
        ]

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not self.may_approve(request):
            actions.pop("approve", None)
            actions.pop("cancel", None)
        return actions

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if "status" in form.changed_data and obj.status != Event.Status.PROPOSED:
            # Approved or cancelled on the event's own page: as the actions do it.
            services.decide(obj, obj.status)

    @admin.action(description=_("Approve the selected events (they become public)"))
    def approve(self, request, queryset):
        done, skipped = 0, []
        for event in queryset:
            try:
                services.decide(event, Event.Status.APPROVED)
                done += 1
            except services.NeedsEnglishTitle:
                skipped.append(str(event))
        if done:
            self.message_user(
                request,
                ngettext(
                    "%(count)d event approved: it is public now, and the proposer's address is deleted.",
                    "%(count)d events approved: they are public now, and the proposers' addresses are deleted.",
                    done,
                )
                % {"count": done},
                messages.SUCCESS,
            )
        if skipped:
            self.message_user(
                request,
                _("Not approved, as they have no English title yet (write it on the event's page): %(events)s")
                % {"events": "; ".join(skipped)},
                messages.WARNING,
            )

    @admin.action(description=_("Cancel the selected events"))
    def cancel(self, request, queryset):
        count = 0
        for event in queryset:
            services.decide(event, Event.Status.CANCELLED)
            count += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d event cancelled; the proposer's address is deleted.",
                "%(count)d events cancelled; the proposers' addresses are deleted.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )
