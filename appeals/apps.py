from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppealsConfig(AppConfig):
    name = "appeals"
    verbose_name = _("Appeals")

    def ready(self):
        # Edits to an appeal's parts move the appeal's updated_at, which its page's fragments are keyed on.
        from . import signals  # noqa: F401
