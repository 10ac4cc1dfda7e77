from django.contrib import admin, messages
from django.db.models import Q
from django.http import Http404, HttpResponseNotAllowed
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from lib.translated_admin import TranslatedAdmin, TranslatedStackedInline, TranslatedTabularInline, every_language
from news.admin import alert_offer

from .models import CaseEvent, Charge, PlaceOfDetention, Prisoner, Source, format_fuzzy_date
from .services import flag_hunger_strike, hunger_strike_news


class ChargeInline(TranslatedTabularInline):
    model = Charge
    extra = 0
    fields = ["article", "description", "position"]


class CaseEventInline(TranslatedStackedInline):
    model = CaseEvent
    extra = 0
    fields = [("date", "precision", "kind"), "text", ("source", "source_url")]
    autocomplete_fields = ["source"]


class RiskFlagFilter(admin.SimpleListFilter):
    title = _("risk")
    parameter_name = "risk"

    def lookups(self, request, model_admin):
        return [
            ("any", _("Any risk flag")),
            ("hunger_strike", _("On hunger strike")),
            ("health_denied", _("Health care denied")),
            ("torture_alleged", _("Torture alleged")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "any":
            return queryset.filter(Q(hunger_strike=True) | Q(health_denied=True) | Q(torture_alleged=True))
        if self.value() in {"hunger_strike", "health_denied", "torture_alleged"}:
            return queryset.filter(**{self.value(): True})
        return queryset


@admin.register(Prisoner)
class PrisonerAdmin(TranslatedAdmin, SimpleHistoryAdmin):
    list_display = [
        "thumbnail",
        "name",
        "name_original",
        "status",
        "status_confirmed_on",
        "held_at_latest_report",
        "place_of_detention",
        "risk",
        "is_published",
    ]
    list_display_links = ["thumbnail", "name"]
    list_filter = ["is_published", "status", "held_at_latest_report", RiskFlagFilter, "region"]
    list_editable = ["is_published"]
    search_fields = [*every_language("name", "town", "affiliation"), "name_original"]
    prepopulated_fields = {"slug": ["name_en"]}
    autocomplete_fields = ["place_of_detention", "sources"]
    list_select_related = ["place_of_detention"]
    readonly_fields = ["thumbnail", "created_at", "updated_at"]
    inlines = [ChargeInline, CaseEventInline]
    actions = ["publish", "unpublish"]
    history_list_display = ["status", "is_published"]
    object_history_template = "prisoners/admin/prisoner_history.html"
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "name",
                    "name_original",
                    "slug",
                    "status",
                    ("status_confirmed_on", "status_confirmed_precision"),
                    "held_at_latest_report",
                    "is_published",
                    "summary",
                ]
            },
        ),
        (_("Photo"), {"fields": ["photo", "thumbnail", "photo_credit"]}),
        (_("Who they are"), {"fields": ["occupation", "affiliation", "town", "region", "biography"]}),
        (_("Sentence and detention"), {"fields": ["sentence", "place_of_detention"]}),
        (
            _("Key dates"),
            {
                "fields": [
                    ("arrested_on", "arrested_precision"),
                    ("sentenced_on", "sentenced_precision"),
                    ("expected_release_on", "expected_release_precision"),
                    ("released_on", "released_precision"),
                ]
            },
        ),
        (_("Risk flags"), {"fields": ["hunger_strike", "health_denied", "torture_alleged"]}),
        (_("Sources"), {"fields": ["sources"]}),
        (_("Record"), {"fields": ["created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    @admin.display(description=_("photo"))
    def thumbnail(self, obj):
        if obj.photo:
            return format_html('<img src="{}" alt="" width="48" height="48">', obj.photo.url)
        return "—"

    @admin.display(description=_("risk"))
    def risk(self, obj):
        return ", ".join(str(flag) for flag in obj.risk_flags()) or "—"

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is CaseEvent:
            event = hunger_strike_news([*formset.new_objects, *(obj for obj, _names in formset.changed_objects)])
            if event is not None:
                offer_hunger_strike_flag(request, event)
            # A trial, a transfer, a hunger strike just added: offer to tell who asked.
            alert_offer(request, formset.new_objects)

    def get_urls(self):
        return [
            path(
                "hunger-strike/<int:event_pk>/",
                self.admin_site.admin_view(self.flag_hunger_strike_view),
                name="prisoners_prisoner_flag_hunger_strike",
            )
        ] + super().get_urls()

    def flag_hunger_strike_view(self, request, event_pk):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        event = get_object_or_404(
            CaseEvent.objects.select_related("prisoner"), pk=event_pk, kind=CaseEvent.Kind.HUNGER_STRIKE
        )
        if not self.has_change_permission(request, event.prisoner):
            raise Http404
        prisoner = flag_hunger_strike(event)
        self.message_user(
            request,
            _("%(name)s is marked on hunger strike, status as of %(date)s.")
            % {
                "name": prisoner,
                "date": format_fuzzy_date(prisoner.status_confirmed_on, prisoner.status_confirmed_precision),
            },
            messages.SUCCESS,
        )
        return redirect(reverse("admin:prisoners_prisoner_change", args=[prisoner.pk]))

    def history_view(self, request, object_id, extra_context=None):
        # Charges and timeline events are edited inline here, so their changes are
        # listed on the case's history page too.
        related = [
            (
                model._meta.verbose_name_plural,
                model.history.filter(prisoner_id=object_id).select_related("history_user")[:100],
            )
            for model in (Charge, CaseEvent)
        ]
        return super().history_view(request, object_id, {**(extra_context or {}), "related_history": related})

    @admin.action(description=_("Publish the selected cases"))
    def publish(self, request, queryset):
        self.message_user(request, _("%(count)d cases published.") % {"count": _set_published(queryset, True)})

    @admin.action(description=_("Unpublish the selected cases"))
    def unpublish(self, request, queryset):
        self.message_user(request, _("%(count)d cases unpublished.") % {"count": _set_published(queryset, False)})


def offer_hunger_strike_flag(request, event):
    """After a hunger-strike event is saved: a message with one button that flags the case as
    on hunger strike and dates its status from the event, so the page stops saying "as of"
    an older report. A form of its own (POST, with the CSRF token): a link could be followed
    by anything that prefetches pages."""
    when = format_fuzzy_date(event.date, event.precision)
    message = format_html(
        '{} <form method="post" action="{}" class="inline-offer">'
        '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
        '<button type="submit" class="button">{}</button></form>',
        _("A hunger strike was added (%(date)s). Mark the case as on hunger strike, with its status as of that date?")
        % {"date": when},
        reverse("admin:prisoners_prisoner_flag_hunger_strike", args=[event.pk]),
        get_token(request),
        _("Mark on hunger strike, status as of %(date)s") % {"date": when},
    )
    messages.warning(request, message)


def _set_published(queryset, published):
    """One save per case rather than an UPDATE, so each change goes into its history."""
    changed = 0
    for prisoner in queryset.exclude(is_published=published):
        prisoner.is_published = published
        prisoner.save(update_fields=["is_published", "updated_at"])
        changed += 1
    return changed


@admin.register(PlaceOfDetention)
class PlaceOfDetentionAdmin(TranslatedAdmin, SimpleHistoryAdmin):
    list_display = ["name", "town", "region"]
    search_fields = [*every_language("name", "town", "region"), "name_original"]
    list_filter = ["region"]


@admin.register(Source)
class SourceAdmin(SimpleHistoryAdmin):
    list_display = ["title", "publisher", "published_on", "url"]
    search_fields = ["title", "publisher", "url"]
    date_hierarchy = "published_on"
    exclude = ["key"]


@admin.register(CaseEvent)
class CaseEventAdmin(TranslatedAdmin, SimpleHistoryAdmin):
    list_display = ["date", "precision", "prisoner", "kind", "text"]
    list_filter = ["kind"]
    search_fields = [*every_language("prisoner__name", "text"), "prisoner__name_original"]
    raw_id_fields = ["prisoner"]
    autocomplete_fields = ["source"]
    list_select_related = ["prisoner"]
    date_hierarchy = "date"

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        event = hunger_strike_news([obj])
        if event is not None:
            offer_hunger_strike_flag(request, event)
        if not change:
            alert_offer(request, [obj])
