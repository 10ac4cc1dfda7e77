from functools import update_wrapper

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.validators import MaxLengthValidator
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from . import dashboard, two_factor


class LoginForm(AdminAuthenticationForm):
    """Django's admin login, refusing a name longer than an account's can be before it
    reaches authenticate(): Django only sets the field's maxlength for the browser, and axes
    records every failed name in a column of 255 characters (on PostgreSQL, a 500)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["username"]
        field.validators.append(MaxLengthValidator(field.max_length))


class CampaignAdminSite(admin.AdminSite):
    """Django's admin with the organisers' workspace: the second login step in front of
    every page, and a dashboard on the index page."""

    site_header = _("Kazakhstan Solidarity: organisers")
    site_title = _("Kazakhstan Solidarity")
    index_title = _("Dashboard")
    login_form = LoginForm

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        def second_factor_first(request, *args, **kwargs):
            # Logging out needs no second factor; everything else does.
            if two_factor.needs_second_factor(request) and request.path != reverse("admin:logout"):
                return two_factor.second_factor_redirect(request)
            return inner(request, *args, **kwargs)

        return update_wrapper(second_factor_first, inner)

    def get_urls(self):
        return [
            path("two-factor/", two_factor.enrol, name="two_factor_enrol"),
            path("two-factor/verify/", two_factor.verify, name="two_factor_verify"),
            path("two-factor/backup-codes/", two_factor.backup_codes, name="two_factor_backup_codes"),
        ] + super().get_urls()

    def index(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "dashboard": dashboard.panels()}
        return super().index(request, extra_context)
