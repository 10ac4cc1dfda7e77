import datetime

from django.contrib import admin, messages
from django.core.paginator import Paginator
from django.db import connection, transaction
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_countries import countries
from simple_history.admin import SimpleHistoryAdmin

from campaign import dashboard

from . import services
from .models import PaperBatch, Petition, Signature, SignatureCount

GROWTH_DAYS = 60


class EstimatedCountPaginator(Paginator):
    """On PostgreSQL, the unfiltered list of a large table is counted from the planner's
    statistics: an exact COUNT(*) over a million signatures on every page load is the
    slowest part of the page, and "about 1,000,000" is all an organiser needs there.
    Filtered lists (by status, petition, country...) are counted exactly."""

    ESTIMATE_ABOVE = 50_000

    @cached_property
    def count(self):
        query = getattr(self.object_list, "query", None)
        if connection.vendor == "postgresql" and query is not None and not query.where:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT reltuples::bigint FROM pg_class WHERE relname = %s", [query.model._meta.db_table]
                )
                row = cursor.fetchone()
            if row and row[0] > self.ESTIMATE_ABOVE:
                return row[0]
        return super().count


@admin.register(Petition)
class PetitionAdmin(SimpleHistoryAdmin):
    list_display = ["title", "status", "deadline", "confirmed", "pending", "goal", "view_link"]
    list_filter = ["status", "deadline"]
    search_fields = ["title", "summary", "text", "addressed_to"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["prisoners", "appeals"]
    readonly_fields = ["growth", "created_at", "updated_at"]
    date_hierarchy = "deadline"
    fieldsets = [
        (None, {"fields": ["title", "slug", "status", "deadline", "goal", "summary", "addressed_to", "text"]}),
        (_("On the page"), {"fields": ["list_signers", "prisoners", "appeals", "source_note"]}),
        (
            _("Hand-over"),
            {
                "fields": ["delivered_on", "delivered_where", "delivered_to", "delivery_note", "delivery_photo"],
                "description": _("When it has been handed over: fill these in and set the status to Delivered."),
            },
        ),
        (_("How it grows"), {"fields": ["growth"]}),
        (_("Record"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    def get_queryset(self, request):
        pending = (
            Signature.objects.filter(petition=OuterRef("pk"), status=Signature.Status.PENDING)
            .values("petition")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return super().get_queryset(request).with_totals().annotate(pending_count=Coalesce(Subquery(pending), 0))

    @admin.display(description=_("confirmed"), ordering="total")
    def confirmed(self, obj):
        return obj.total

    @admin.display(description=_("waiting"), ordering="pending_count")
    def pending(self, obj):
        return obj.pending_count

    @admin.display(description=_("page"))
    def view_link(self, obj):
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), _("View"))

    @admin.display(description=_("confirmed signatures per day"))
    def growth(self, obj):
        if not obj.pk:
            return "-"
        today = timezone.localdate()
        counts = dashboard.daily_counts(
            Signature.objects.filter(petition=obj, status=Signature.Status.CONFIRMED),
            "confirmed_at",
            "petition__title",
            today - datetime.timedelta(days=GROWTH_DAYS - 1),
            today,
        )
        chart = dashboard.line_chart_svg(
            list(counts.items()), title=_("Confirmed signatures per day, last %(days)d days") % {"days": GROWTH_DAYS}
        )
        return chart or _("No confirmed signatures in the last %(days)d days.") % {"days": GROWTH_DAYS}


class CountryFilter(admin.SimpleListFilter):
    """Countries that have signatures, read from the counters rather than by scanning
    every signature."""

    title = _("country")
    parameter_name = "country"

    def lookups(self, request, model_admin):
        codes = SignatureCount.objects.filter(n__gt=0).values_list("country", flat=True).distinct().order_by()
        return sorted(((code, countries.name(code)) for code in set(codes) if code), key=lambda item: str(item[1]))

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(country=self.value())
        return queryset


@admin.register(Signature)
class SignatureAdmin(admin.ModelAdmin):
    list_display = ["name", "petition", "country", "organisation", "status", "source", "public", "created_at"]
    list_filter = ["status", "source", CountryFilter, "public", "wants_updates", "possible_duplicate", "petition"]
    list_select_related = ["petition"]
    search_fields = ["name", "organisation"]
    search_help_text = _("A name or organisation, or a whole email address.")
    raw_id_fields = ["petition", "paper_batch"]
    readonly_fields = ["status", "confirmed_at", "created_at", "source"]
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    list_per_page = 50
    actions = ["confirm_selected", "reject_selected"]
    fields = [
        "petition",
        "name",
        "email",
        ("country", "town"),
        "organisation",
        "comment",
        ("public", "wants_updates"),
        ("status", "confirmed_at", "created_at"),
        ("source", "paper_batch", "possible_duplicate"),
    ]

    def get_search_results(self, request, queryset, search_term):
        # Addresses are mostly kept only as fingerprints: a whole address is found by its
        # fingerprint, which matches however the signer typed it.
        term = search_term.strip()
        if "@" in term and " " not in term:
            return queryset.filter(Q(email_hash=services.email_fingerprint(term)) | Q(email__iexact=term)), False
        return super().get_search_results(request, queryset, search_term)

    def save_model(self, request, obj, form, change):
        if "email" in form.changed_data and obj.email:
            obj.email_hash = services.email_fingerprint(obj.email)
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            if change and "country" in form.changed_data and obj.status == Signature.Status.CONFIRMED:
                services.move_count(obj.petition_id, form.initial.get("country") or "", obj.country or "")

    @admin.action(description=_("Confirm the selected signatures"), permissions=["change"])
    def confirm_selected(self, request, queryset):
        changed = services.set_status(list(queryset), Signature.Status.CONFIRMED)
        self.message_user(
            request,
            ngettext("%(n)d signature confirmed.", "%(n)d signatures confirmed.", changed) % {"n": changed},
            messages.SUCCESS,
        )

    @admin.action(description=_("Reject the selected signatures"), permissions=["change"])
    def reject_selected(self, request, queryset):
        changed = services.set_status(list(queryset), Signature.Status.REJECTED)
        self.message_user(
            request,
            ngettext("%(n)d signature rejected.", "%(n)d signatures rejected.", changed) % {"n": changed},
            messages.SUCCESS,
        )

    def delete_model(self, request, obj):
        services.delete_signatures([obj])

    def delete_queryset(self, request, queryset):
        services.delete_signatures(list(queryset))


@admin.register(PaperBatch)
class PaperBatchAdmin(admin.ModelAdmin):
    list_display = ["collected_where", "collected_on", "collected_by", "petition"]
    list_filter = ["petition", "collected_on"]
    search_fields = ["collected_where", "collected_by"]
    raw_id_fields = ["petition"]
