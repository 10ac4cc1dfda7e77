import logging

from django.conf import settings

from . import views


class HealthCheckMiddleware:
    """Answers /healthz before anything else.

    Docker's HEALTHCHECK and load balancers probe each container by its own address, over
    plain HTTP: going through the other middleware, they would meet ALLOWED_HOSTS (400) or
    the HTTPS redirect (301) instead of the answer they need.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == "/healthz" and request.method in {"GET", "HEAD"}:
            return views.healthz(request)
        return self.get_response(request)


class SecurityHeadersMiddleware:
    """Adds Content-Security-Policy and Permissions-Policy to every response.

    Django 5.2 has no CSP of its own. The policy allows only this site's own files and no
    inline script or style, so an injected <script> or style="" does nothing; pages are
    built for that (JavaScript only in static/js/, styles only in static/css/).
    A view may set its own, stricter policy (uploaded media do): it is left alone.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.csp = "; ".join(
            f"{name} {' '.join(sources)}" for name, sources in settings.CONTENT_SECURITY_POLICY.items()
        )
        self.permissions_policy = settings.PERMISSIONS_POLICY

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.csp)
        response.headers.setdefault("Permissions-Policy", self.permissions_policy)
        return response


logger = logging.getLogger("campaign.unavailable")


class DatabaseUnavailableMiddleware:
    """A view that meets the database down, restarting, or too slow (a statement cut off by
    DATABASE_STATEMENT_TIMEOUT, a lock not granted within DATABASE_LOCK_TIMEOUT) answers
    503 "please try again in a moment" with Retry-After, not a 500, and logs one line instead
    of a traceback per request. The connection is dropped at the end of the request as for
    any error, and the next request opens a fresh one (conn_health_checks): the site answers
    again as soon as the database does, without restarting gunicorn.

    Failures outside a view (another middleware: the session, the user) reach handler500,
    which makes the same answer (campaign.views.server_error).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not views.is_database_unavailable(exception):
            return None
        logger.warning("database unavailable: %s %s: %s", request.method, request.path, str(exception).strip()[:200])
        return views.database_unavailable()
