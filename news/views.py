"""A case's alerts, for the person who asks for them: the form on the case page, the
"check your email" page, the link that confirms (a POST, like a signature's), and the
one-click way to stop."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from lib.client import client_ip
from lib.http import post_only_else_redirect
from lib.ratelimit import over_limit
from petitions.tokens import confirm_link_max_age
from prisoners.models import Prisoner

from . import services, tokens
from .forms import AlertForm


def _form_page(request, prisoner, form, status):
    return render(request, "news/subscribe.html", {"prisoner": prisoner, "form": form}, status=status)


@never_cache
@post_only_else_redirect("prisoners:detail")
def subscribe(request, slug):
    prisoner = get_object_or_404(Prisoner.objects.published(), slug=slug)
    form = AlertForm(request.POST)
    # Counted with signing: the same people, the same networks, the same limit.
    if over_limit("sign", client_ip(request), settings.SIGN_RATE_LIMIT):
        form.is_valid()
        form.add_error(
            None,
            _(
                "Many requests have come from your network in the last hour, so we are not taking more from it just "
                "now. Please try again in an hour, or from another connection."
            ),
        )
        return _form_page(request, prisoner, form, 429)
    if not form.is_valid():
        return _form_page(request, prisoner, form, 400)
    if not form.is_trap:
        services.subscribe(prisoner, form.cleaned_data["email"])
    # Whatever happened (a new address, one already subscribed, a bot): the same page.
    return redirect("news:check_email", slug=prisoner.slug)


@require_safe
def check_email(request, slug):
    prisoner = get_object_or_404(Prisoner.objects.published(), slug=slug)
    return render(request, "news/check_email.html", {"prisoner": prisoner, "link_days": settings.CONFIRM_LINK_DAYS})


def _token_page(request, token, purpose, max_age=None):
    try:
        subscriber = tokens.subscriber_from_token(token, purpose, max_age=max_age)
    except tokens.ExpiredToken:
        return None, render(request, "news/link_problem.html", {"problem": "expired"}, status=410)
    except tokens.BadToken:
        return None, render(request, "news/link_problem.html", {"problem": "bad"}, status=400)
    if subscriber is None:
        return None, render(request, "news/link_problem.html", {"problem": "gone"}, status=404)
    return subscriber, None


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request, token):
    """GET shows a button; only its POST confirms, so mail scanners that open links confirm
    nothing."""
    subscriber, problem = _token_page(request, token, "confirm", max_age=confirm_link_max_age())
    if problem:
        return problem
    prisoner = subscriber.prisoner
    if request.method == "POST":
        if services.confirm_subscriber(subscriber):
            messages.success(
                request, _("Thank you: we will email you when there is news about %(name)s.") % {"name": prisoner.name}
            )
        else:
            messages.info(request, _("You were already subscribed."))
        return redirect(prisoner.get_absolute_url())
    return render(
        request,
        "news/confirm.html",
        {"prisoner": prisoner, "done": subscriber.confirmed_at is not None},
    )


# Mail programs offer "unsubscribe" by POSTing to the link themselves (RFC 8058), with no
# form and so no CSRF token: the signed token in the address is what proves the right.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    """GET shows a button, so that mail scanners opening links change nothing; POST deletes
    the subscription, address and all."""
    subscriber, problem = _token_page(request, token, "unsubscribe")
    if problem:
        if problem.status_code == 404:  # gone already: nothing more will come
            return render(request, "news/unsubscribe.html", {"done": True})
        return problem
    if request.method == "POST":
        prisoner = subscriber.prisoner
        services.unsubscribe(subscriber)
        return render(request, "news/unsubscribe.html", {"prisoner": prisoner, "done": True})
    return render(request, "news/unsubscribe.html", {"prisoner": subscriber.prisoner})
