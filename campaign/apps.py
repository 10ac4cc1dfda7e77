from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CampaignConfig(AppConfig):
    default = True
    name = "campaign"
    verbose_name = _("Campaign")

    def ready(self):
        from . import checks  # noqa: F401 - registers the system check
        from .roles import sync_role_permissions

        # Sent once per app after `migrate`, after that app's permissions are created.
        post_migrate.connect(sync_role_permissions, dispatch_uid="campaign.sync_role_permissions")


class CampaignAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin, with the organisers' admin site as `admin.site`."""

    default = False  # "campaign" itself means CampaignConfig
    default_site = "campaign.admin_site.CampaignAdminSite"
