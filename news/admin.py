"""The organisers' side of updates and alerts: write an update in three languages side by
side, preview it as each language's reader will get it, send a test to yourself, then send
it, with a confirmation step; the history of every send; and the alert a timeline event
can send to its case's subscribers.

Writing is open to Editors (it is text); sending is not: it mails the people who asked, with
their addresses, so it needs news.send_update, which only Organisers hold (campaign/roles.py).
"""

import logging

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from simple_history.admin import SimpleHistoryAdmin

from lib.translated_admin import TranslatedAdmin, every_language
from petitions.services import email_fingerprint
from prisoners.models import CaseEvent

from . import mail, services
from .forms import SendUpdateForm, UpdateAdminForm
from .models import CaseAlert, Subscriber, Update, UpdateSend

SEND_PERMISSION = "news.send_update"
logger = logging.getLogger(__name__)


class SendInline(admin.StackedInline):
    model = UpdateSend
    can_delete = False
    extra = 0
    max_num = 0
    fields = ["sent_at", "sent_by", "total", "by_language", "delivered", "reason"]
    readonly_fields = fields
    verbose_name = _("send")
    verbose_name_plural = _("sent")

    @admin.display(description=_("recipients by language"))
    def by_language(self, obj):
        return languages_line(obj.recipients)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


def languages_line(counts):
    names = dict(services.LANGUAGE_NAMES())
    return " · ".join(f"{names.get(code, code)}: {n}" for code, n in (counts or {}).items())


@admin.register(Update)
class UpdateAdmin(TranslatedAdmin, SimpleHistoryAdmin):
    form = UpdateAdminForm
    list_display = ["subject", "about_display", "created_at", "sent_at", "recipients"]
    list_filter = [("sent_at", admin.EmptyFieldListFilter), "created_at"]
    list_select_related = ["petition", "appeal", "prisoner", "send"]
    search_fields = every_language("subject", "text")
    autocomplete_fields = ["petition", "appeal", "prisoner"]
    readonly_fields = ["created_by", "created_at", "sent_at", "earlier_updates"]
    inlines = [SendInline]
    change_form_template = "admin/news/update/change_form.html"
    fieldsets = [
        (
            _("What it is about"),
            {
                "fields": ["petition", "appeal", "prisoner"],
                "description": _(
                    "One of the three. A petition's update goes to its signers who asked for updates; an appeal's, to "
                    "the signers who asked for updates of its petitions; a case's, to those who asked for its news."
                ),
            },
        ),
        (None, {"fields": ["subject", "text"]}),
        (_("Record"), {"fields": ["created_by", "created_at", "sent_at", "earlier_updates"]}),
    ]

    @admin.display(description=_("about"))
    def about_display(self, obj):
        return obj.about

    @admin.display(description=_("recipients"))
    def recipients(self, obj):
        send = getattr(obj, "send", None)
        return send.total if send else "-"

    @admin.display(description=_("earlier updates about the same"))
    def earlier_updates(self, obj):
        previous = services.previous_send(obj) if obj.pk else None
        if previous is None:
            return _("None sent yet.")
        when = previous.sent_at.strftime("%Y-%m-%d %H:%M")
        return format_html(
            '{} <a href="{}">{}</a>',
            _("Last sent %(when)s by %(who)s to %(n)d people.")
            % {"when": when, "who": previous.sent_by or "-", "n": previous.total},
            reverse("admin:news_updatesend_changelist"),
            _("All sends"),
        )

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None and obj.sent_at else []

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.sent_at:
            # What was sent stays what was sent: the record and the page agree with the email.
            fields += [f.name for f in obj._meta.fields if f.editable and f.name not in fields]
        return fields

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<path:object_id>/preview/", view(self.preview_view), name="news_update_preview"),
            path("<path:object_id>/test/", view(require_POST(self.test_view)), name="news_update_test"),
            path("<path:object_id>/send/", view(self.send_view), name="news_update_send"),
        ] + super().get_urls()

    def _update(self, request, object_id):
        update = self.get_object(request, unquote(object_id))
        if update is None:
            raise Http404
        return update

    def _context(self, request, update, title):
        return self.admin_site.each_context(request) | {
            "opts": self.model._meta,
            "original": update,
            "title": title,
            "may_send": request.user.has_perm(SEND_PERMISSION),
        }

    def preview_view(self, request, object_id):
        update = self._update(request, object_id)
        previews = []
        for code, message in mail.preview(update):
            previews.append(
                {
                    "language": code,
                    "name": dict(services.LANGUAGE_NAMES())[code],
                    "subject": message.subject,
                    "headers": message.extra_headers,
                    "body": message.body,
                    "html": message.alternatives[0][0],
                    "in_english": mail.texts_in(update, code)[2],
                }
            )
        context = self._context(request, update, _("Preview: %(subject)s") % {"subject": update.subject})
        context["previews"] = previews
        return TemplateResponse(request, "admin/news/update/preview.html", context)

    def test_view(self, request, object_id):
        if not request.user.has_perm(SEND_PERMISSION):
            raise PermissionDenied
        update = self._update(request, object_id)
        if not request.user.email:
            self.message_user(request, _("Your account has no email address to send the test to."), messages.ERROR)
        else:
            sent = services.send_test(update, request.user.email)
            self.message_user(
                request,
                ngettext(
                    "%(n)d test email sent to %(address)s.",
                    "%(n)d test emails, one per language, sent to %(address)s.",
                    sent,
                )
                % {"n": sent, "address": request.user.email},
                messages.SUCCESS,
            )
        return redirect(reverse("admin:news_update_preview", args=[update.pk]))

    def send_view(self, request, object_id):
        # The permission first: an Editor learns nothing, not even how many would get it.
        if not request.user.has_perm(SEND_PERMISSION):
            raise PermissionDenied
        update = self._update(request, object_id)
        change_url = reverse("admin:news_update_change", args=[update.pk])
        if update.sent_at:
            self.message_user(request, _("This update has been sent already; it goes out once."), messages.WARNING)
            return redirect(change_url)
        previous = services.needs_reason(update)
        form = SendUpdateForm(request.POST if request.method == "POST" else None, needs_reason=previous is not None)
        if request.method == "POST" and form.is_valid():
            try:
                send = services.send_update(update, request.user, reason=form.cleaned_data.get("reason", ""))
            except services.AlreadySent:
                self.message_user(request, _("This update has been sent already; it goes out once."), messages.WARNING)
                return redirect(change_url)
            except services.TooSoon:
                form.add_error(
                    "reason" if "reason" in form.fields else None, _("Please say why this update cannot wait a week.")
                )
            else:
                logger.info("%s sent update %s to %d people", request.user.get_username(), update.pk, send.total)
                self.message_user(
                    request,
                    ngettext(
                        "The update is on its page and goes to %(n)d person, through the email worker.",
                        "The update is on its page and goes to %(n)d people, a few each minute, through the email "
                        "worker.",
                        send.total,
                    )
                    % {"n": send.total},
                    messages.SUCCESS,
                )
                return redirect(change_url)
        counts = mail.by_language(mail.recipients(update))
        context = self._context(request, update, _("Send: %(subject)s") % {"subject": update.subject})
        names = dict(services.LANGUAGE_NAMES())
        context |= {
            "form": form,
            "previous": previous,
            "counts": [(names[code], n, mail.texts_in(update, code)[2]) for code, n in counts.items()],
            "total": sum(counts.values()),
            "about": update.about,
        }
        return TemplateResponse(request, "admin/news/update/send.html", context, status=400 if form.errors else 200)


@admin.register(UpdateSend)
class UpdateSendAdmin(admin.ModelAdmin):
    """The history: every update sent, by whom, when, to how many in each language."""

    list_display = ["update", "about", "sent_at", "sent_by", "total", "by_language", "delivered", "reason"]
    list_select_related = ["update__petition", "update__appeal", "update__prisoner", "sent_by"]
    search_fields = ["update__id", *every_language("update__subject")]
    date_hierarchy = "sent_at"

    @admin.display(description=_("about"))
    def about(self, obj):
        return obj.update.about

    @admin.display(description=_("recipients by language"))
    def by_language(self, obj):
        return languages_line(obj.recipients)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Subscriber)
class SubscriberAdmin(admin.ModelAdmin):
    """Who asked for a case's news. The address is kept only while they are subscribed; it is
    found by its fingerprint, as a signer's is."""

    list_display = ["__str__", "prisoner", "language", "created_at", "confirmed_at"]
    list_filter = ["language", ("confirmed_at", admin.EmptyFieldListFilter), "prisoner"]
    list_select_related = ["prisoner"]
    search_fields = ["email"]
    search_help_text = _("A whole email address.")
    fields = ["prisoner", "language", "created_at", "confirmed_at", "mailed_at"]
    readonly_fields = fields

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if not term:
            return queryset, False
        return queryset.filter(email_hash=email_fingerprint(term)), False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(CaseAlert)
class CaseAlertAdmin(admin.ModelAdmin):
    list_display = ["event", "prisoner", "queued_at", "queued_by", "subscribers"]
    list_select_related = ["event", "prisoner", "queued_by"]
    date_hierarchy = "queued_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [
            path(
                "event/<int:event_id>/",
                self.admin_site.admin_view(self.queue_view),
                name="news_casealert_queue",
            ),
        ] + super().get_urls()

    def queue_view(self, request, event_id):
        """The step after adding a timeline event: alert the case's subscribers, or not."""
        if not request.user.has_perm(SEND_PERMISSION):
            raise PermissionDenied
        event = CaseEvent.objects.select_related("prisoner", "source").filter(pk=event_id).first()
        if event is None:
            raise Http404
        prisoner_url = reverse("admin:prisoners_prisoner_change", args=[event.prisoner_id])
        already = CaseAlert.objects.filter(event=event).first()
        subscribers = Subscriber.objects.filter(prisoner_id=event.prisoner_id).confirmed().count()
        if request.method == "POST" and already is None:
            services.queue_alert(event, request.user)
            self.message_user(
                request,
                ngettext(
                    "The alert is queued: %(n)d subscriber gets it in their next digest (one email a day at most).",
                    "The alert is queued: %(n)d subscribers get it in their next digest (one email a day at most).",
                    subscribers,
                )
                % {"n": subscribers},
                messages.SUCCESS,
            )
            return redirect(prisoner_url)
        context = self.admin_site.each_context(request) | {
            "opts": self.model._meta,
            "title": _("Alert the subscribers of %(name)s") % {"name": event.prisoner.name},
            "event": event,
            "already": already,
            "subscribers": subscribers,
            "kind_matters": services.alert_kind(event),
            "prisoner_url": prisoner_url,
        }
        return TemplateResponse(request, "admin/news/casealert/queue.html", context)


def alert_offer(request, events):
    """After an Organiser adds timeline events that matter: a message offering to alert the
    case's subscribers about each (prisoners/admin.py calls it)."""
    if not request.user.has_perm(SEND_PERMISSION):
        return
    for event in events:
        if not services.alert_kind(event):
            continue
        url = reverse("admin:news_casealert_queue", args=[event.pk])
        messages.info(
            request,
            format_html(
                '{} <a href="{}">{}</a>',
                _("You added “%(event)s”.") % {"event": event},
                url,
                _("Alert the case's subscribers about it"),
            ),
        )
