from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.db import models
from django.db.models import Count, IntegerField, Max, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, Lower, NullIf
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TranslationStackedInline
from simple_history.admin import SimpleHistoryAdmin

from lib.csv_import import csv_import_view
from lib.translated_admin import TranslatedAdmin, every_language

from .forms import LetterTextAdminForm, SenderForm
from .letters import PLACEHOLDERS, braced
from .models import (
    Appeal,
    Demand,
    DirectoryReport,
    LetterOutcome,
    LetterSent,
    LetterText,
    Recipient,
    Source,
    Target,
    stale_before,
)
from .salutations import default_closing, default_salutation
from .services import MAX_ROWS, build_letters, import_embassies, parse_embassy_csv

# What the preview signs the letter with: a supporter's details, invented.
SAMPLE_SENDER = {
    "name": "Alex Example",
    "organisation": "Example Trades Council",
    "town": "Leeds",
    "country": "GB",
}


class DemandInline(TranslationStackedInline):
    """Each demand's English, Russian and Kazakh one under another, with its order and delete
    box beside the first: as table columns, three languages of a paragraph each made the
    appeal's page twice as wide as a laptop's screen."""

    model = Demand
    extra = 0
    fields = ["text", "position"]
    classes = ["demands-stacked"]
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 3})}}

    class Media:
        css = {"all": ["css/admin-translations.css"]}


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
    list_display = [
        "title",
        "status",
        "deadline",
        "goes_to_embassy",
        "letters_sent_count",
        "replies_count",
        "returned_count",
        "preview_link",
    ]
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
        outcomes = LetterOutcome.objects.filter(letter__appeal=OuterRef("pk"))
        return (
            super()
            .get_queryset(request)
            .annotate(
                sent_count=Count("letters_sent"),
                replies=_count(outcomes.filter(kind=LetterOutcome.Kind.REPLY), "letter__appeal"),
                returned=_count(outcomes.filter(kind=LetterOutcome.Kind.RETURNED), "letter__appeal"),
            )
        )

    @admin.display(description=_("letters sent"), ordering="sent_count")
    def letters_sent_count(self, obj):
        return obj.sent_count

    @admin.display(description=_("replies"), ordering="replies")
    def replies_count(self, obj):
        return outcomes_link(obj.replies, LetterOutcome.Kind.REPLY, letter__appeal__id__exact=obj.pk)

    @admin.display(description=_("came back"), ordering="returned")
    def returned_count(self, obj):
        return outcomes_link(obj.returned, LetterOutcome.Kind.RETURNED, letter__appeal__id__exact=obj.pk)

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
            "letter_languages": languages,
            "sample": SAMPLE_SENDER,
            "form": form,
        }
        return TemplateResponse(request, "admin/appeals/appeal/preview.html", context)


def outcomes_link(count, kind, **lookups):
    if not count:
        return 0
    query = "&".join(f"{k}={v}" for k, v in {"kind__exact": kind, **lookups}.items())
    return format_html('<a href="{}?{}">{}</a>', reverse("admin:appeals_letteroutcome_changelist"), query, count)


# Independent sources of an entry's address: sources whose origin (else publisher) differ,
# not counting one that gives another address. As Target.address_sources counts them.
_ADDRESS = Q(sources__covers=Source.Covers.ADDRESS, sources__disagrees=False)
INDEPENDENT_SOURCES = Count(
    Lower(Coalesce(NullIf("sources__origin", Value("")), "sources__publisher")), distinct=True, filter=_ADDRESS
)


def _count(queryset, by):
    """A count per row as a subquery: joining letters, outcomes and sources in one query would
    multiply the rows to count."""
    counted = queryset.order_by().values(by).annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


class SourcesFilter(admin.SimpleListFilter):
    title = _("sources")
    parameter_name = "sources"

    def lookups(self, request, model_admin):
        return [
            ("none", _("No source recorded")),
            ("one", _("One source only")),
            ("two", _("Two or more independent sources")),
            ("conflict", _("A source disagrees")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "none":
            return queryset.filter(independent_sources=0)
        if self.value() == "one":
            return queryset.filter(independent_sources=1)
        if self.value() == "two":
            return queryset.filter(independent_sources__gte=2)
        if self.value() == "conflict":
            return queryset.filter(sources__disagrees=True).distinct()
        return queryset


class SourceInline(admin.StackedInline):
    model = Source
    extra = 0
    fields = [("url", "read_on"), ("publisher", "origin"), ("published", "covers", "disagrees"), "excerpt"]


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
    list_display = [
        "name",
        "organisation",
        "kind",
        "country",
        "based_in",
        "email",
        "checked",
        "sources_count",
        "letters_count",
        "replies_count",
        "returned_count",
        "check_button",
    ]
    list_filter = [CheckedFilter, SourcesFilter, "kind", "country", HasEmailFilter]
    inlines = [SourceInline]
    search_fields = [*every_language("name", "organisation"), "postal_address", "email", "country"]
    change_list_template = "admin/appeals/target/change_list.html"
    actions = ["mark_checked_today"]
    readonly_fields = ["default_wording"]
    fieldsets = [
        (None, {"fields": ["kind", "name", "organisation", "country", "based_in"]}),
        (
            _("How letters to them open and close"),
            {"fields": ["form_of_address", "salutation", "closing", "default_wording"]},
        ),
        (_("How to reach them"), {"fields": ["postal_address", "email", "fax", "phone"]}),
        (_("Where the address comes from"), {"fields": ["source_url", "checked_on"]}),
        (_("Notes"), {"fields": ["notes"]}),
    ]

    @admin.display(description=_("defaults for this kind"))
    def default_wording(self, obj):
        """What an empty salutation or closing becomes, in each language: the organiser sees
        what they would be replacing."""
        if obj is None or not obj.pk:
            return _("Save the entry to see the defaults for its kind.")
        rows = []
        for code, name in settings.LANGUAGES:
            with translation.override(code):
                rows.append(
                    (
                        translation.gettext(name),
                        str(default_salutation(obj.kind, obj.form_of_address)),
                        str(default_closing(obj.kind)),
                    )
                )
        items = format_html_join("", "<li>{}: {} … {}</li>", rows)
        return format_html('<ul class="default-wording">{}</ul>', items)

    def get_queryset(self, request):
        outcomes = LetterOutcome.objects.filter(target=OuterRef("pk"))
        return (
            super()
            .get_queryset(request)
            .annotate(
                independent_sources=INDEPENDENT_SOURCES,
                newest_source=Max("sources__published", filter=_ADDRESS),
                sent_count=_count(LetterSent.objects.filter(targets=OuterRef("pk")), "targets"),
                replies=_count(outcomes.filter(kind=LetterOutcome.Kind.REPLY), "target"),
                returned=_count(outcomes.filter(kind=LetterOutcome.Kind.RETURNED), "target"),
            )
        )

    @admin.display(description=_("independent sources"), ordering="independent_sources")
    def sources_count(self, obj):
        newest = obj.newest_source or _("undated")
        css = "target-stale" if obj.independent_sources < 2 else "target-fresh"
        return format_html('<span class="{}">{} ({})</span>', css, obj.independent_sources, newest)

    @admin.display(description=_("letters sent"), ordering="sent_count")
    def letters_count(self, obj):
        return obj.sent_count

    @admin.display(description=_("replies"), ordering="replies")
    def replies_count(self, obj):
        return outcomes_link(obj.replies, LetterOutcome.Kind.REPLY, target__id__exact=obj.pk)

    @admin.display(description=_("came back"), ordering="returned")
    def returned_count(self, obj):
        return outcomes_link(obj.returned, LetterOutcome.Kind.RETURNED, target__id__exact=obj.pk)

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


@admin.register(DirectoryReport)
class DirectoryReportAdmin(admin.ModelAdmin):
    """Supporters' reports on the directory: nothing in it changes until an organiser has
    read the source and edited the entry."""

    list_display = ["created_on", "kind", "about", "source_short", "status", "handled_on"]
    list_filter = ["status", "kind", "country"]
    search_fields = ["details", "source", "target__name", "country"]
    list_select_related = ["target"]
    ordering = ["-created_on", "-id"]
    readonly_fields = ["kind", "target", "country", "details", "source", "created_on", "handled_on", "status"]
    fields = [
        "status",
        "kind",
        "target",
        "country",
        "details",
        "source",
        "email",
        "created_on",
        "handled_on",
        "organiser_note",
    ]
    actions = ["accept", "reject"]
    change_form_template = "admin/appeals/directoryreport/change_form.html"

    def has_add_permission(self, request):
        return False  # reports come from supporters

    def get_fields(self, request, obj=None):
        # The reporter's address is personal data: only those who may see signers' data
        # (the Organiser role, campaign/roles.py) see it; Editors handle the report without.
        fields = super().get_fields(request, obj)
        if not request.user.has_perm("petitions.view_signature"):
            fields = [name for name in fields if name != "email"]
        return fields

    @admin.display(description=_("about"))
    def about(self, obj):
        if obj.target:
            return obj.target
        return obj.country.name if obj.country else "—"

    @admin.display(description=_("source"))
    def source_short(self, obj):
        return obj.source[:80]

    def _handle(self, request, queryset, status):
        count = 0
        for report in queryset.filter(status=DirectoryReport.Status.NEW):
            report.handle(status)
            count += 1
        return count

    @admin.action(description=_("Accept the selected reports (then edit the entries)"), permissions=["change"])
    def accept(self, request, queryset):
        count = self._handle(request, queryset, DirectoryReport.Status.ACCEPTED)
        self.message_user(
            request,
            ngettext(
                "%(count)d report accepted. Edit its entry to make the change.",
                "%(count)d reports accepted. Edit their entries to make the changes.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Reject the selected reports"), permissions=["change"])
    def reject(self, request, queryset):
        count = self._handle(request, queryset, DirectoryReport.Status.REJECTED)
        self.message_user(
            request,
            ngettext("%(count)d report rejected.", "%(count)d reports rejected.", count) % {"count": count},
            messages.SUCCESS,
        )

    def response_change(self, request, obj):
        # "Accept and edit the entry": the report is accepted, and the organiser lands on the
        # entry (or a new one for the country) to make the change the source supports.
        if "_accept" in request.POST and obj.status == DirectoryReport.Status.NEW:
            obj.handle(DirectoryReport.Status.ACCEPTED)
            self.message_user(request, _("Report accepted: now edit the entry as the source says."), messages.SUCCESS)
            if obj.target_id:
                return redirect("admin:appeals_target_change", obj.target_id)
            return redirect(reverse("admin:appeals_target_add") + f"?kind=embassy&country={obj.country.code}")
        if "_reject" in request.POST and obj.status == DirectoryReport.Status.NEW:
            obj.handle(DirectoryReport.Status.REJECTED)
            self.message_user(request, _("Report rejected."), messages.SUCCESS)
            return redirect("admin:appeals_directoryreport_changelist")
        return super().response_change(request, obj)


@admin.register(LetterOutcome)
class LetterOutcomeAdmin(admin.ModelAdmin):
    """What supporters say came of their letters. A reply is public only once published."""

    list_display = ["reported_on", "kind", "appeal", "target", "status", "has_file"]
    list_filter = ["status", "kind", "letter__appeal", "target"]
    list_select_related = ["letter__appeal", "target"]
    readonly_fields = ["kind", "letter", "target", "text", "reported_on", "file_link"]
    fields = ["status", "kind", "letter", "target", "reported_on", "text", "file_link", "public_text"]
    actions = ["publish", "not_publish"]

    def has_add_permission(self, request):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).defer("file_data")

    @admin.display(description=_("appeal"), ordering="letter__appeal")
    def appeal(self, obj):
        return obj.letter.appeal

    @admin.display(description=_("file"), boolean=True)
    def has_file(self, obj):
        return bool(obj.file_name)

    @admin.display(description=_("file"))
    def file_link(self, obj):
        if not obj.file_name:
            return "—"
        return format_html(
            '<a href="{}">{}</a> ({})',
            reverse("admin:appeals_letteroutcome_file", args=[obj.pk]),
            _("Download the file"),
            obj.file_type,
        )

    @admin.action(description=_("Publish the selected replies on their appeals"), permissions=["change"])
    def publish(self, request, queryset):
        count = queryset.filter(kind=LetterOutcome.Kind.REPLY).update(status=LetterOutcome.Status.PUBLISHED)
        self.message_user(
            request,
            ngettext("%(count)d reply published.", "%(count)d replies published.", count) % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Keep the selected replies unpublished"), permissions=["change"])
    def not_publish(self, request, queryset):
        count = queryset.update(status=LetterOutcome.Status.NOT_PUBLISHED)
        self.message_user(
            request,
            ngettext("%(count)d report marked read.", "%(count)d reports marked read.", count) % {"count": count},
            messages.SUCCESS,
        )

    def get_urls(self):
        return [
            path("<int:pk>/file/", self.admin_site.admin_view(self.file_view), name="appeals_letteroutcome_file")
        ] + super().get_urls()

    def file_view(self, request, pk):
        """The reply's file, to organisers only, as a download that the browser runs nothing in."""
        outcome = get_object_or_404(LetterOutcome, pk=pk)
        if not self.has_view_permission(request, outcome) or not outcome.file_name:
            raise Http404
        response = HttpResponse(bytes(outcome.file_data), content_type=outcome.file_type or "application/octet-stream")
        response["Content-Disposition"] = f'attachment; filename="{outcome.file_name}"'
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        response["X-Content-Type-Options"] = "nosniff"
        return response
