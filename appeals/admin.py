from django.contrib import admin, messages
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from lib.csv_import import csv_import_view

from .forms import LetterTextAdminForm, SenderForm
from .letters import PLACEHOLDERS, braced
from .models import Appeal, Demand, LetterSent, LetterText, Recipient, Target
from .services import MAX_ROWS, build_letters, import_embassies, parse_embassy_csv

# What the preview signs the letter with: a supporter's details, invented.
SAMPLE_SENDER = {
    "name": "Alex Example",
    "organisation": "Example Trades Council",
    "town": "Leeds",
    "country": "GB",
}


class DemandInline(admin.TabularInline):
    model = Demand
    extra = 0
    fields = ["text", "position"]


class RecipientInline(admin.TabularInline):
    model = Recipient
    extra = 0
    fields = ["role", "target", "position"]
    autocomplete_fields = ["target"]
    verbose_name = _("recipient or copy")
    verbose_name_plural = _("who it goes to, and copies")


class LetterTextInline(admin.StackedInline):
    model = LetterText
    form = LetterTextAdminForm
    extra = 0


@admin.register(Appeal)
class AppealAdmin(SimpleHistoryAdmin):
    list_display = ["title", "status", "deadline", "goes_to_embassy", "letters_sent_count", "preview_link"]
    list_filter = ["status", "goes_to_embassy", "deadline"]
    list_editable = ["status"]
    search_fields = ["title", "summary", "background"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["prisoners"]
    readonly_fields = ["placeholders_help", "preview_link", "created_at", "updated_at"]
    inlines = [DemandInline, RecipientInline, LetterTextInline]
    date_hierarchy = "deadline"
    fieldsets = [
        (None, {"fields": ["title", "slug", "status", "deadline", "summary", "background", "source_note"]}),
        (_("Who it goes to"), {"fields": ["goes_to_embassy", "prisoners"]}),
        (_("The letter"), {"fields": ["placeholders_help", "preview_link"]}),
        (_("Record"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(sent_count=Count("letters_sent"))

    @admin.display(description=_("letters sent"), ordering="sent_count")
    def letters_sent_count(self, obj):
        return obj.sent_count

    @admin.display(description=_("placeholders"))
    def placeholders_help(self, obj):
        items = format_html_join("", "<li><code>{}</code>: {}</li>", ((braced(k), v) for k, v in PLACEHOLDERS.items()))
        return format_html("<ul>{}</ul>", items)

    @admin.display(description=_("preview"))
    def preview_link(self, obj):
        if not obj.pk:
            return _("Save the appeal to preview its letter.")
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:appeals_appeal_preview", args=[obj.pk]), _("Preview the letter")
        )

    def get_urls(self):
        return [
            path(
                "<int:pk>/preview/",
                self.admin_site.admin_view(self.preview_view),
                name="appeals_appeal_preview",
            )
        ] + super().get_urls()

    def preview_view(self, request, pk):
        appeal = get_object_or_404(Appeal.objects.prefetch_related("demands", "letters", "recipients__target"), pk=pk)
        if not self.has_view_permission(request, appeal):
            raise Http404
        languages = [(t.language, t.get_language_display()) for t in appeal.letters.all()]
        data = SAMPLE_SENDER | {
            "language": request.GET.get("language", "en"),
            "country": request.GET.get("country", "GB"),
        }
        form = SenderForm(data, languages=languages)
        letter_set = build_letters(appeal, form.cleaned_data) if form.is_valid() else None
        context = self.admin_site.each_context(request) | {
            "opts": self.model._meta,
            "original": appeal,
            "title": _("Preview: %(title)s") % {"title": appeal.title},
            "appeal": appeal,
            "letter_set": letter_set,
            "languages": languages,
            "sample": SAMPLE_SENDER,
            "form": form,
        }
        return TemplateResponse(request, "admin/appeals/appeal/preview.html", context)


class HasEmailFilter(admin.SimpleListFilter):
    title = _("contact")
    parameter_name = "contact"

    def lookups(self, request, model_admin):
        return [("email", _("Has an email")), ("no_email", _("No email")), ("no_address", _("No postal address"))]

    def queryset(self, request, queryset):
        if self.value() == "email":
            return queryset.exclude(email="")
        if self.value() == "no_email":
            return queryset.filter(email="")
        if self.value() == "no_address":
            return queryset.filter(postal_address="")
        return queryset


@admin.register(Target)
class TargetAdmin(SimpleHistoryAdmin):
    list_display = ["name", "organisation", "kind", "country", "email", "fax"]
    list_filter = ["kind", "country", HasEmailFilter]
    search_fields = ["name", "organisation", "postal_address", "email", "country"]
    change_list_template = "admin/appeals/target/change_list.html"
    fieldsets = [
        (None, {"fields": ["kind", "name", "organisation", "country", "salutation"]}),
        (_("How to reach them"), {"fields": ["postal_address", "email", "fax", "phone"]}),
        (_("Notes"), {"fields": ["notes"]}),
    ]

    def get_urls(self):
        return [
            path("import-embassies/", self.admin_site.admin_view(self.import_view), name="appeals_target_import"),
        ] + super().get_urls()

    def import_view(self, request):
        if not self.has_add_permission(request):
            raise Http404

        def saved(result):
            created, skipped = result
            self.message_user(
                request,
                _("%(created)d embassies imported, %(skipped)d already in the directory left alone.")
                % {"created": created, "skipped": skipped},
                messages.SUCCESS,
            )
            return redirect(reverse("admin:appeals_target_changelist") + "?kind__exact=embassy")

        return csv_import_view(
            request,
            self,
            parse=parse_embassy_csv,
            save=import_embassies,
            saved=saved,
            template="admin/appeals/target/import.html",
            title=_("Import embassies from a CSV file"),
            help_text=_(
                "UTF-8, first row the column names: country (ISO code such as GB or country name), name, "
                "and optionally organisation, postal_address, email, fax, phone, salutation."
            ),
            max_rows=MAX_ROWS,
        )


@admin.register(LetterSent)
class LetterSentAdmin(admin.ModelAdmin):
    list_display = ["sent_on", "appeal", "channel", "country"]
    list_filter = ["appeal", "channel", "country", "sent_on"]
    date_hierarchy = "sent_on"
    list_select_related = ["appeal"]

    def has_change_permission(self, request, obj=None):
        return False  # a count, not a record to edit
