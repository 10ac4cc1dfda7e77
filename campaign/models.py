from django.db import models
from django.utils.translation import gettext_lazy as _


class SiteTranslation(models.Model):
    """No table: it only carries the permission to translate the site's own strings in the
    browser (django-rosetta, at /admin/translations/), held by the Translator group."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [("translate_site", _("Can translate the site's strings"))]
        verbose_name = _("translation of the site")

    def __str__(self):
        return str(self._meta.verbose_name)
