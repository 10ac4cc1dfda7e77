import datetime
import json
import logging

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import connection, transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_countries import countries
from simple_history.admin import SimpleHistoryAdmin

from lib.charts import daily_counts, line_chart_svg
from lib.csv_import import csv_import_view
from lib.hashing import name_fingerprint
from lib.translated_admin import TranslatedAdmin, every_language

from . import documents, handover, paper, services
from .forms import DeliveryForm, PaperSignatureForm, localized
from .models import DELIVERY_TEXTS, PaperBatch, Petition, Signature, SignatureCount

GROWTH_DAYS = 60

logger = logging.getLogger(__name__)


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


class NoSignerNamesInTheLog:
    """Admin's action log ("Recent actions", an object's History) outlives the rows it
    names: a withdrawn or deleted signer must not live on there. A signature is logged as
    "signature #id", in its own log and in a paper batch's, never by its signer's name."""

    def construct_change_message(self, request, form, formsets, add=False):
        message = super().construct_change_message(request, form, formsets, add)
        # Django names each inline row by str(row), which for a signature is the signer.
        names = {}
        for formset in formsets or ():
            rows = [*formset.new_objects, *(obj for obj, _fields in formset.changed_objects), *formset.deleted_objects]
            names.update((str(obj), loggable_repr(obj)) for obj in rows)
        for entry in message:
            for detail in entry.values():
                if isinstance(detail, dict) and "object" in detail:
                    detail["object"] = names.get(detail["object"], detail["object"])
        return message

    def log_addition(self, request, obj, message):
        return self._log(request, [obj], ADDITION, message)[0]

    def log_change(self, request, obj, message):
        return self._log(request, [obj], CHANGE, message)[0]

    def log_deletions(self, request, queryset):
        return self._log(request, queryset, DELETION)

    def _log(self, request, objects, action_flag, message=""):
        content_type = ContentType.objects.get_for_model(self.model)
        return LogEntry.objects.bulk_create(
            LogEntry(
                user_id=request.user.pk,
                content_type=content_type,
                object_id=str(obj.pk),
                object_repr=loggable_repr(obj),
                action_flag=action_flag,
                change_message=json.dumps(message) if isinstance(message, list) else message,
            )
            for obj in objects
        )


def loggable_repr(obj):
    if isinstance(obj, Signature):
        return f"signature #{obj.pk}" if obj.pk else "signature"
    return str(obj)[:200]


@admin.register(Petition)
class PetitionAdmin(TranslatedAdmin, SimpleHistoryAdmin):
    list_display = ["title", "status", "deadline", "confirmed", "pending", "goal", "view_link"]
    list_filter = ["status", "deadline"]
    search_fields = every_language("title", "summary", "text", "addressed_to")
    prepopulated_fields = {"slug": ["title_en"]}
    autocomplete_fields = ["prisoners", "appeals"]
    readonly_fields = ["growth", "signers_data", "handover_digest", "created_at", "updated_at"]
    date_hierarchy = "deadline"
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "slug",
                    "status",
                    "deadline",
                    ("goal", "goal_note"),
                    "summary",
                    "addressed_to",
                    "text",
                ]
            },
        ),
        (_("On the page"), {"fields": ["list_signers", "prisoners", "appeals", "source_note"]}),
        (
            _("Hand-over"),
            {
                "fields": [
                    "delivered_on",
                    "delivered_where",
                    "delivered_to",
                    "delivery_note",
                    "delivery_photo",
                    "handover_digest",
                ],
                "description": _("Filled in by “Record the hand-over” (above), which also closes the petition."),
            },
        ),
        (_("Signers' personal details"), {"fields": ["signers_data"]}),
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

    @admin.display(description=_("kept until"))
    def signers_data(self, obj):
        days = settings.PERSONAL_DATA_RETENTION_DAYS
        if obj.signers_forgotten_on:
            return _(
                "Deleted on %(date)s: names, towns, organisations and comments are gone; the counts, the hand-over "
                "record and its digest stay."
            ) % {"date": date_format(obj.signers_forgotten_on, "DATE_FORMAT")}
        when = obj.forget_signers_on()
        if when is None:
            return _(
                "Kept while the petition is open. %(days)d days after it is closed or delivered, the daily purge "
                "deletes its signers' names, towns, organisations and comments."
            ) % {"days": days}
        return _(
            "The daily purge deletes its signers' names, towns, organisations and comments on %(date)s "
            "(%(days)d days after it was closed or delivered). Export or print what you need before then."
        ) % {"date": date_format(when, "DATE_FORMAT"), "days": days}

    @admin.display(description=_("confirmed signatures per day"))
    def growth(self, obj):
        if not obj.pk:
            return "-"
        today = timezone.localdate()
        counts = daily_counts(
            Signature.objects.filter(petition=obj).confirmed(),
            "confirmed_at",
            "petition__title",
            today - datetime.timedelta(days=GROWTH_DAYS - 1),
            today,
        )
        chart = line_chart_svg(
            list(counts.items()), title=_("Confirmed signatures per day, last %(days)d days") % {"days": GROWTH_DAYS}
        )
        return chart or _("No confirmed signatures in the last %(days)d days.") % {"days": GROWTH_DAYS}

    # --- the hand-over: pack, export, delivery -----------------------------------------------

    change_form_template = "admin/petitions/petition/change_form.html"

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<path:object_id>/hand-over.pdf", view(self.handover_pack_view), name="petitions_petition_handover"),
            path(
                "<path:object_id>/hand-over-list.csv",
                view(self.handover_list_view),
                name="petitions_petition_handover_list",
            ),
            path("<path:object_id>/signatures.csv", view(self.export_view), name="petitions_petition_export"),
            path("<path:object_id>/delivery/", view(self.delivery_view), name="petitions_petition_delivery"),
        ] + super().get_urls()

    def _petition(self, request, object_id):
        petition = self.get_object(request, unquote(object_id))
        if petition is None:
            raise Http404
        return petition

    def handover_pack_view(self, request, object_id):
        # The permission first: whoever may not make packs learns nothing, not even whether
        # the petition exists.
        if not request.user.has_perm("petitions.handover_pack"):
            raise PermissionDenied
        petition = self._petition(request, object_id)
        logger.info("%s made the hand-over pack of petition %s", request.user.get_username(), petition.pk)
        response = HttpResponse(documents.pack_pdf(petition), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{petition.slug}-hand-over.pdf"'
        add_never_cache_headers(response)
        return response

    def handover_list_view(self, request, object_id):
        """The names of the pack with each row's hash, for `manage.py verify_handover`."""
        if not request.user.has_perm("petitions.handover_pack"):
            raise PermissionDenied
        petition = self._petition(request, object_id)
        logger.info("%s downloaded the hand-over list of petition %s", request.user.get_username(), petition.pk)
        response = HttpResponse(handover.handover_csv(petition), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{petition.slug}-{handover.HANDOVER_CSV_NAME}"'
        add_never_cache_headers(response)
        return response

    def export_view(self, request, object_id):
        if not request.user.has_perm("petitions.export_signatures"):
            raise PermissionDenied
        petition = self._petition(request, object_id)
        with_emails = request.GET.get("emails") == "1"
        logger.info(
            "%s exported the signatures of petition %s%s",
            request.user.get_username(),
            petition.pk,
            " with emails" if with_emails else "",
        )
        response = StreamingHttpResponse(
            handover.export_rows(petition, with_emails=with_emails), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{handover.export_filename(petition, with_emails)}"'
        add_never_cache_headers(response)
        return response

    def delivery_view(self, request, object_id):
        petition = self._petition(request, object_id)
        if not self.has_change_permission(request, petition):
            raise PermissionDenied
        # Mailing the signers uses their addresses: Organisers only.
        may_tell = request.user.has_perm("petitions.view_signature") and not petition.signers_told_at
        to_tell = Signature.objects.filter(petition=petition).wanting_updates().count() if may_tell else 0
        if request.method == "POST":
            form = DeliveryForm(request.POST, request.FILES, instance=petition, to_tell=to_tell)
            if form.is_valid():
                data = form.cleaned_data
                # The form has put the new photo (or none) on the petition already.
                told = services.deliver(
                    petition,
                    data["delivered_on"],
                    texts={name: data[name] for name in localized(DELIVERY_TEXTS)},
                    tell_signers=bool(data.get("tell_signers")),
                )
                self.message_user(request, _("The hand-over is recorded and the petition is closed."), messages.SUCCESS)
                if told:
                    self.message_user(
                        request,
                        ngettext(
                            "%(n)d signer who asked for updates will be told by email.",
                            "%(n)d signers who asked for updates will be told by email, a few each minute.",
                            told,
                        )
                        % {"n": told},
                        messages.SUCCESS,
                    )
                return redirect(reverse("admin:petitions_petition_change", args=[petition.pk]))
        else:
            initial = {} if petition.delivered_on else {"delivered_on": timezone.localdate()}
            form = DeliveryForm(instance=petition, initial=initial, to_tell=to_tell)
        context = self.admin_site.each_context(request) | {
            "opts": self.model._meta,
            "original": petition,
            "title": _("Record the hand-over: %(title)s") % {"title": petition.title},
            "form": form,
            "told_at": petition.signers_told_at,
        }
        return TemplateResponse(
            request,
            "admin/petitions/petition/delivery.html",
            context,
            status=400 if form.errors else 200,
        )


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
class SignatureAdmin(NoSignerNamesInTheLog, admin.ModelAdmin):
    list_display = ["name", "petition", "country", "organisation", "status", "source", "public", "created_at"]
    list_filter = ["status", "source", CountryFilter, "public", "wants_updates", "possible_duplicate", "petition"]
    list_select_related = ["petition"]
    # Names and addresses are encrypted in the database: a signer is found by the
    # fingerprint of what is typed, so only by a whole address or a full name.
    search_fields = ["name"]
    search_help_text = _(
        "Exact address or full name only: names and addresses are encrypted, so parts of them are not found."
    )
    # An encrypted column sorts by its random tokens: no order to offer.
    sortable_by = ["petition", "country", "status", "source", "public", "created_at"]
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
        # A whole address is found by its fingerprint, which matches however the signer
        # typed it; anything else is taken for a whole name (lib/hashing.normalise_name).
        term = search_term.strip()
        if not term:
            return queryset, False
        if "@" in term and " " not in term:
            return queryset.filter(email_hash=services.email_fingerprint(term)), False
        return queryset.filter(name_hash=name_fingerprint(term)), False

    def save_model(self, request, obj, form, change):
        if "email" in form.changed_data and obj.email:
            obj.email_hash = services.email_fingerprint(obj.email)
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            if change and "country" in form.changed_data and obj.status == Signature.Status.CONFIRMED:
                services.move_count(obj.petition_id, form.initial.get("country") or "", obj.country or "")

    @admin.action(description=_("Confirm the selected signatures"), permissions=["change"])
    def confirm_selected(self, request, queryset):
        try:
            changed = services.set_status(list(queryset), Signature.Status.CONFIRMED)
        except services.PetitionClosed as closed:
            self.message_user(
                request,
                _(
                    "Nothing was confirmed: “%(title)s” takes no signatures now, so its waiting signatures can no "
                    "longer be confirmed."
                )
                % {"title": closed.petition.title},
                messages.ERROR,
            )
            return
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


# --- paper batches ---------------------------------------------------------------------------

# A batch with more rows than this is too big to edit in one form (and over Django's limit
# on the number of fields in a POST): its rows are edited in the signatures' list instead.
INLINE_ROWS_LIMIT = 60


class PaperSignatureInline(admin.TabularInline):
    model = Signature
    form = PaperSignatureForm
    fields = ["name", "organisation", "town", "country", "public", "email", "wants_updates", "possible_duplicate"]
    readonly_fields = ["possible_duplicate"]
    ordering = ["id"]
    extra = 10
    verbose_name = _("signature on the sheets")
    verbose_name_plural = _("signatures on the sheets")


@admin.register(PaperBatch)
class PaperBatchAdmin(NoSignerNamesInTheLog, admin.ModelAdmin):
    list_display = ["collected_where", "collected_on", "collected_by", "petition", "signature_count"]
    list_filter = ["petition", "collected_on"]
    search_fields = ["collected_where", "collected_by"]
    raw_id_fields = ["petition"]
    list_select_related = ["petition"]
    inlines = [PaperSignatureInline]
    change_form_template = "admin/petitions/paperbatch/change_form.html"

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(signature_count=Count("signatures"))

    @admin.display(description=_("signatures"), ordering="signature_count")
    def signature_count(self, obj):
        return obj.signature_count

    @admin.display(description=_("signatures"))
    def signatures_link(self, obj):
        url = reverse("admin:petitions_signature_changelist") + f"?paper_batch__id__exact={obj.pk}"
        return format_html(
            '<a href="{}">{}</a>',
            url,
            ngettext(
                "%(n)d signature: edit it in the list", "%(n)d signatures: edit them in the list", obj.signature_count
            )
            % {"n": obj.signature_count},
        )

    def _row_count(self, obj):
        if obj is None or obj.pk is None:
            return 0
        if not hasattr(obj, "signature_count"):
            obj.signature_count = obj.signatures.count()
        return obj.signature_count

    def get_inlines(self, request, obj):
        return [] if self._row_count(obj) > INLINE_ROWS_LIMIT else self.inlines

    def get_changeform_initial_data(self, request):
        # Sheets are most often printed in the language the organiser works in.
        return {"language": request.LANGUAGE_CODE} | super().get_changeform_initial_data(request)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if self._row_count(obj):
            fields.append("petition")  # its signatures count on that petition
        if self._row_count(obj) > INLINE_ROWS_LIMIT:
            fields.append("signatures_link")
        return fields

    def get_fields(self, request, obj=None):
        fields = ["petition", "collected_where", "collected_on", "collected_by", "language", "notes"]
        if self._row_count(obj) > INLINE_ROWS_LIMIT:
            fields.append("signatures_link")
        return fields

    def save_formset(self, request, form, formset, change):
        if formset.model is not Signature:
            return super().save_formset(request, form, formset, change)
        # Keyed-in rows go through the same counting as every signature, never a bare save.
        batch = form.instance
        instances = formset.save(commit=False)
        services.delete_signatures(formset.deleted_objects)
        fields = ["name", "organisation", "town", "country", "public", "email", "wants_updates"]
        new_rows = [{name: getattr(obj, name) for name in fields} for obj in instances if obj.pk is None]
        added = services.add_paper_signatures(batch, new_rows) if new_rows else []
        formset.new_objects = added  # the change message in the batch's history names these
        for row_form in formset.initial_forms:
            obj = row_form.instance
            if obj in formset.deleted_objects or not row_form.has_changed():
                continue
            services.update_paper_signature(obj, row_form.initial.get("country"))
        flagged = sum(signature.possible_duplicate for signature in added)
        if flagged:
            url = reverse("admin:petitions_signature_changelist") + (
                f"?paper_batch__id__exact={batch.pk}&possible_duplicate__exact=1"
            )
            self.message_user(
                request,
                format_html(
                    '{} <a href="{}">{}</a>',
                    ngettext(
                        "%(n)d new signature may repeat one already there: it is counted, and flagged for you to "
                        "check.",
                        "%(n)d new signatures may repeat ones already there: they are counted, and flagged for you "
                        "to check.",
                        flagged,
                    )
                    % {"n": flagged},
                    url,
                    _("See them"),
                ),
                messages.WARNING,
            )

    def delete_model(self, request, obj):
        services.delete_paper_batches([obj])

    def delete_queryset(self, request, queryset):
        services.delete_paper_batches(list(queryset))

    def get_urls(self):
        return [
            path(
                "<path:object_id>/import/",
                self.admin_site.admin_view(self.import_view),
                name="petitions_paperbatch_import",
            ),
        ] + super().get_urls()

    def import_view(self, request, object_id):
        batch = self.get_object(request, unquote(object_id))
        if batch is None:
            raise Http404
        if not (self.has_change_permission(request, batch) and request.user.has_perm("petitions.add_signature")):
            raise PermissionDenied

        def saved(added):
            flagged = sum(signature.possible_duplicate for signature in added)
            self.message_user(
                request,
                ngettext("%(n)d signature imported and counted", "%(n)d signatures imported and counted", len(added))
                % {"n": len(added)}
                + (
                    ngettext(
                        "; %(flagged)d is flagged as a possible duplicate.",
                        "; %(flagged)d are flagged as possible duplicates.",
                        flagged,
                    )
                    % {"flagged": flagged}
                    if flagged
                    else "."
                ),
                messages.WARNING if flagged else messages.SUCCESS,
            )
            return redirect(reverse("admin:petitions_signature_changelist") + f"?paper_batch__id__exact={batch.pk}")

        return csv_import_view(
            request,
            self,
            parse=lambda text: paper.parse_paper_csv(batch.petition, text),
            save=lambda text: paper.import_paper_csv(batch, text),
            saved=saved,
            template="admin/petitions/paperbatch/import.html",
            title=_("Import paper signatures from a CSV file"),
            help_text=_(
                "UTF-8, first row the column names: name, and optionally organisation, town, country (ISO code "
                "such as GB, or the English name), public (yes/no), email, wants_updates (yes/no), comment."
            ),
            max_rows=paper.MAX_ROWS,
            context={"original": batch, "list_signers": batch.petition.list_signers},
        )
