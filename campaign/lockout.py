from django.conf import settings
from django.shortcuts import render
from django.views.decorators.cache import never_cache


@never_cache
def locked_out(request, original_response=None, credentials=None):
    """What django-axes shows once a login is locked (AXES_LOCKOUT_CALLABLE)."""
    return render(
        request,
        "campaign/locked_out.html",
        {
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        },
        status=429,
    )
