from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "news"
    verbose_name = _("News and alerts")

    def ready(self):
        # Registers what "forget me everywhere" deletes here (petitions.services.forgets),
        # in every process, the email worker's included.
        from . import services  # noqa: F401
