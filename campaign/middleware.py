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
