from django.contrib import admin, messages
from django.db.models import Count, Q
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from lib.csv_import import csv_import_view
from lib.translated_admin import TranslatedAdmin, TranslatedTabularInline, every_language

from .forms import LetterTextAdminForm, SenderForm
from .letters import PLACEHOLDERS, braced
from .models import Appeal, Demand, LetterSent, LetterText, Recipient, Target, stale_before
from .services import MAX_ROWS, build_letters, import_embassies, parse_embassy_csv

# What the preview signs the letter with: a supporter's details, invented.
SAMPLE_SENDER = {
    "name": "Alex Example",
    "organisation": "Example Trades Council",
    "town": "Leeds",
    "country": "GB",
}


class DemandInline(TranslatedTabularInline):
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
class AppealAdmin(TranslatedAdmin, SimpleHistoryAdmin):
    list_display = ["title", "status", "deadline", "goes_to_embassy", "letters_sent_count", "preview_link"]
    list_filter = ["status", "goes_to_embassy", "deadline"]
    list_editable = ["status"]
    search_fields = every_language("title", "summary", "background")
    prepopulated_fields = {"slug": ["title_en"]}
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


class CheckedFilter(admin.SimpleListFilter):
    title = _("address checked")
    parameter_name = "checked"

    def lookups(self, request, model_admin):
        return [("stale", _("Not checked in 12 months")), ("recent", _("Checked in the last 12 months"))]

    def queryset(self, request, queryset):
        old = Q(checked_on__isnull=True) | Q(checked_on__lt=stale_before())
        if self.value() == "stale":
            return queryset.filter(old)
        if self.value() == "recent":
            return queryset.exclude(old)
        return queryset


def mark_checked(targets, today=None):
    """Record that the addresses were read at their source today: one save each, so the
    check goes into each entry's history with who made it."""
    today = today or timezone.localdate()
    for target in targets:
        target.checked_on = today
        target.save(update_fields=["checked_on"])
    return len(targets)


@admin.register(Target)
class TargetAdmin(TranslatedAdmin, SimpleHistoryAdmin):
    list_display = ["name", "organisation", "kind", "country", "based_in", "email", "checked", "check_button"]
    list_filter = [CheckedFilter, "kind", "country", HasEmailFilter]
    search_fields = [*every_language("name", "organisation"), "postal_address", "email", "country"]
    change_list_template = "admin/appeals/target/change_list.html"
    actions = ["mark_checked_today"]
    fieldsets = [
        (None, {"fields": ["kind", "name", "organisation", "country", "based_in", "salutation"]}),
        (_("How to reach them"), {"fields": ["postal_address", "email", "fax", "phone"]}),
        (_("Where the address comes from"), {"fields": ["source_url", "checked_on"]}),
        (_("Notes"), {"fields": ["notes"]}),
    ]

    @admin.display(description=_("address checked"), ordering="checked_on")
    def checked(self, obj):
        if obj.checked_on is None:
            return format_html('<span class="target-stale">{}</span>', _("never"))
        months = (timezone.localdate() - obj.checked_on).days * 12 // 365
        age = _("this month") if months < 1 else ngettext("%(n)d month ago", "%(n)d months ago", months) % {"n": months}
        css = "target-stale" if obj.needs_checking() else "target-fresh"
        return format_html('<span class="{}">{} ({})</span>', css, obj.checked_on.isoformat(), age)

    @admin.display(description=_("check"))
    def check_button(self, obj):
        # A submit button of the change list's own form (which carries the CSRF token), sent to
        # this entry's URL: one click, no JavaScript.
        return format_html(
            '<button type="submit" class="button" formaction="{}" formmethod="post">{}</button>',
            reverse("admin:appeals_target_mark_checked", args=[obj.pk]),
            _("Mark checked today"),
        )

    @admin.action(description=_("Mark the selected addresses checked today"))
    def mark_checked_today(self, request, queryset):
        count = mark_checked(list(queryset))
        self.message_user(
            request,
            ngettext("%(count)d address marked checked today.", "%(count)d addresses marked checked today.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    def get_urls(self):
        return [
            path("import-embassies/", self.admin_site.admin_view(self.import_view), name="appeals_target_import"),
            path(
                "<int:pk>/mark-checked/",
                self.admin_site.admin_view(self.mark_checked_view),
                name="appeals_target_mark_checked",
            ),
        ] + super().get_urls()

    def mark_checked_view(self, request, pk):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        target = get_object_or_404(Target, pk=pk)
        if not self.has_change_permission(request, target):
            raise Http404
        mark_checked([target])
        self.message_user(request, _("“%(name)s” marked checked today.") % {"name": target}, messages.SUCCESS)
        back = request.META.get("HTTP_REFERER", "")
        if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
            back = reverse("admin:appeals_target_changelist")
        return redirect(back)

    def import_view(self, request):
        if not self.has_add_permission(request):
            raise Http404

        def saved(result):
            created, updated, unchanged = result
            self.message_user(
                request,
                _(
                    "%(created)d entries added, %(updated)d updated from the file, %(unchanged)d already "
                    "in the directory as the file has them."
                )
                % {"created": created, "updated": updated, "unchanged": unchanged},
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
                "and optionally kind (embassy or consulate), based_in, organisation, postal_address, email, fax, "
                "phone, salutation, source_url, checked_on (YYYY-MM-DD)."
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
