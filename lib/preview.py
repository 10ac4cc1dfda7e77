"""Organisers see a draft exactly as the public will, at its public address, under a
banner; everyone else gets the 404 a draft has always given.

Public views of appeals, petitions and case files share this:

    appeal = get_object_or_404(visible_to(request, Appeal.objects.all(), ~Q(status="draft")), slug=slug)
    response = render(request, ..., {"appeal": appeal, **draft_context(appeal, is_draft)})
    return mark_draft(response) if is_draft else response
"""

from django.urls import NoReverseMatch, reverse
from django.utils.cache import add_never_cache_headers

from .second_factor import needs_second_factor


def can_preview(request, model):
    """Staff who can view `model` in the admin, and have given their second factor."""
    user = request.user
    if not (user.is_authenticated and user.is_active and user.is_staff) or needs_second_factor(request):
        return False
    meta = model._meta
    return user.has_perm(f"{meta.app_label}.view_{meta.model_name}")


def visible_to(request, queryset, public):
    """`queryset` filtered to what the public may see (the Q object `public`), or all of it
    for someone who may preview drafts."""
    if can_preview(request, queryset.model):
        return queryset
    return queryset.filter(public)


def draft_context(obj, is_draft):
    """Template context for templates/_draft_banner.html."""
    if not is_draft:
        return {"draft": False}
    meta = obj._meta
    try:
        admin_url = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
    except NoReverseMatch:
        admin_url = ""
    return {"draft": True, "draft_admin_url": admin_url}


def mark_draft(response):
    """A draft's page is never stored by a cache nor indexed by a search engine."""
    add_never_cache_headers(response)
    response["Cache-Control"] += ", private"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
