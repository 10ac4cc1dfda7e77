"""Translating the site's own strings in the browser: django-rosetta, inside the admin.

Its pages get the same guard as the admin's (login, then the second factor) and ask for
one permission, held by the Translator group and by superusers. See docs/translation.md,
for where a change made there goes and how it is kept.
"""

from django.urls import URLPattern
from rosetta import urls as rosetta_urls

from .roles import TRANSLATE_PERMISSION, requires_permission


def can_translate(user):
    """For rosetta's own check (ROSETTA_ACCESS_CONTROL_FUNCTION)."""
    return user.is_active and user.is_staff and user.has_perm(TRANSLATE_PERMISSION)


urlpatterns = [
    URLPattern(p.pattern, requires_permission(TRANSLATE_PERMISSION)(p.callback), p.default_args, p.name)
    for p in rosetta_urls.urlpatterns
]
