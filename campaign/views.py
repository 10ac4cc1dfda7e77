import sys

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.urls import reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.views import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from appeals.models import Appeal
from lib import origin
from lib.pagecache import public_page
from petitions.models import Petition
from prisoners.models import Prisoner

# What crawlers are asked to leave alone, under each language's prefix: the admin, the
# links mailed to signers (each a signer's own), the signing steps, the embedded copies of
# petitions (the petition's own page is the one to find) and the signer lists past their
# first page.
ROBOTS_DISALLOW = [
    "admin/",
    "petitions/confirm/",
    "petitions/withdraw/",
    "petitions/stop-updates/",
    "petitions/*/sign/",
    "petitions/*/check-your-email/",
    "petitions/*/embed/",
    "petitions/*/signers/?before=",
    "appeals/*/letter",
    "appeals/*/sent/",
    # The form's answer to a proposal: nothing there for a search engine.
    "events/propose/thank-you/",
]


@require_safe
def robots_txt(request):
    lines = ["User-agent: *"]
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            prefix = reverse("home")  # "/" for English, "/ru/" for Russian...
        lines += [f"Disallow: {prefix}{path}" for path in ROBOTS_DISALLOW]
    lines += ["", f"Sitemap: {origin.site_url()}{reverse('sitemap')}", ""]
    response = HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "public, max-age=86400"
    return response


@public_page()
def home(request):
    prisoners = Prisoner.objects.published().urgent_first().select_related("place_of_detention")
    # Only people the latest report places in detention; a charge, a trial on bail or a
    # sentence of community service is not "behind bars".
    held = [p for p in prisoners if p.is_held]
    appeals = Appeal.objects.active().with_counts()[:4]
    petitions = Petition.objects.taking_signatures().with_totals().order_by("-created_at")[:4]
    return render(
        request,
        "campaign/home.html",
        {
            "held": held[:6],
            "held_count": len(held),
            "prisoner_count": len(prisoners),
            "appeals": appeals,
            "petitions": petitions,
        },
    )


def more_ways_to_act(request):
    """The documents' calls to act that are not a letter or a petition (donate, affiliate,
    demonstrate, send solidarity), quoted with the document each comes from."""
    return render(request, "campaign/more_ways_to_act.html")


@never_cache
def healthz(request):
    """For Docker and load balancers: 200 while the database answers, 503 when not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": False}, status=503)
    return JsonResponse({"status": "ok", "database": True})


@require_safe
def media(request, path):
    """Uploaded files (prisoners' photos) on a server with no proxy in front to serve
    MEDIA_ROOT (SERVE_MEDIA=1, the Docker image's default). Files only, never a listing.
    Their own strict policy means an uploaded file can never run as a page of this site."""
    response = static.serve(request, path, document_root=settings.MEDIA_ROOT)
    # Uploads get a fresh name rather than overwriting, so a day's caching is safe.
    response["Cache-Control"] = "public, max-age=86400"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


# --- error pages ---------------------------------------------------------------------
# Django's own error views are wrapped in requires_csrf_token, which reads the request's
# body: a body Django refused to parse (a form in UTF-16, say) raised again inside the 400
# view and came out as a 500. These never touch the body, and draw the site's own page.


def _error_page(request, template, status):
    return render(request, template, status=status)


def bad_request(request, exception=None):
    return _error_page(request, "400.html", 400)


def permission_denied(request, exception=None):
    return _error_page(request, "403.html", 403)


def page_not_found(request, exception=None):
    return _error_page(request, "404.html", 404)


def csrf_failure(request, reason=""):
    """An expired or missing form token (a page left open for a day, cookies refused)."""
    return _error_page(request, "403_csrf.html", 403)


def server_error(request):
    # An outage of the database that escaped a middleware rather than a view (the session,
    # the login) is a 503 too: handler500 runs inside the except block, so it can tell.
    if is_database_unavailable(sys.exc_info()[1]):
        return database_unavailable()
    # No context processors: whatever broke (the database, say) must not break this too.
    return HttpResponseServerError(loader.get_template("500.html").render())


# The database unreachable (restarting, failing over), a query cut off by
# DATABASE_STATEMENT_TIMEOUT or a lock not granted within DATABASE_LOCK_TIMEOUT: all are
# OperationalError (psycopg's QueryCanceled and LockNotAvailable included) or
# InterfaceError (a connection closed under us). None is the visitor's fault or lasting.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 5


def is_database_unavailable(exception):
    return isinstance(exception, DATABASE_UNAVAILABLE)


def database_unavailable():
    """503 "please try again in a moment": no request, no context processors, no database,
    never the request's body; not cached by anyone, and Retry-After for well-behaved clients."""
    response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response
