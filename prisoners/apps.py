from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrisonersConfig(AppConfig):
    name = "prisoners"
    verbose_name = _("Prisoners' cases")

    def ready(self):
        # Edits to a case's parts move the case's updated_at, which its page's fragments are keyed on.
        from . import signals  # noqa: F401
