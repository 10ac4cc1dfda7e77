import logging
from pathlib import Path

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.urls import get_script_prefix, is_valid_path
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation.reloader import translation_file_changed

from lib import origin

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


class OnionMiddleware:
    """The onion address (ONION_HOST), before Django's SecurityMiddleware:

    - A request that came to the onion host is answered with every absolute link on it
      (lib/origin.py: site_url() for the time of the request).
    - Its HTTP is not redirected to HTTPS: an onion service is plain HTTP, and Tor Browser
      counts it as a secure context. SecurityMiddleware redirects whatever is not
      is_secure(); for the length of that one check the request says it is secure, and
      OnionAfterSecurityMiddleware, just after it, takes that back, so CSRF, the scheme
      and HSTS (sent only over HTTPS) see plain HTTP.
    - Its cookies lose the Secure flag: Tor Browser keeps Secure cookies on .onion, but
      other browsers behind Tor (Orbot, Brave's Tor windows) refuse them over HTTP, and the
      cookie is the onion host's alone, which no clear-text site can ask for. Mastodon does
      the same (mastodon/mastodon#17992).
    - On the clear site, HTML pages announce the onion address: `Onion-Location:
      http://<onion>/<same path>`, which Tor Browser offers to switch to (Tor's spec: HTML
      pages only; it honours the header only over HTTPS).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        onion = origin.is_onion_request(request)
        request.through_onion = onion
        with origin.using(onion, otherwise=None if onion else origin.local_origin(request)):
            if onion:
                request.is_secure = _secure_for_the_redirect_check
            response = self.get_response(request)
        if onion:
            request.__dict__.pop("is_secure", None)
            response.headers.pop("Strict-Transport-Security", None)
            for morsel in response.cookies.values():
                morsel["secure"] = ""
        elif settings.ONION_HOST and response.get("Content-Type", "").startswith("text/html"):
            response.headers.setdefault("Onion-Location", f"{origin.onion_url()}{request.get_full_path()}")
        return response


def _secure_for_the_redirect_check():
    return True


class OnionAfterSecurityMiddleware:
    """Just after SecurityMiddleware: an onion request is plain HTTP again (OnionMiddleware)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.__dict__.pop("is_secure", None)
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


class LanguageMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware for addresses like /ru/prisoners/ and /kk/prisoners/, with
    English at the root (/prisoners/), plus two things it does not do there:

    - A first visit to an English address from a browser that asks for Russian or Kazakh
      (Accept-Language) is sent to the same page in that language. Only page loads are:
      a script fetching count.json from another site gets its answer, not a redirect.
    - /en/<page> means "English, please": it sets the language cookie (for the browser
      session only) and redirects to /<page>, so that English addresses stop sending this
      visitor to their browser's language. Nothing else sets a cookie: Russian and Kazakh
      pages carry their language in their address. English addresses therefore vary on
      Accept-Language and Cookie; Russian and Kazakh ones vary on neither, and cache.
    """

    def __init__(self, get_response):
        super().__init__(get_response)
        self.catalogues = CatalogueWatcher()

    def process_request(self, request):
        self.catalogues.reload_if_changed()
        path = request.path_info
        if request.method in {"GET", "HEAD"} and (path == "/en" or path.startswith("/en/")):
            # One leading slash: /en//example.org/ must not send anyone to example.org.
            return self.english_please(request, "/" + path.removeprefix("/en").lstrip("/"))
        super().process_request(request)
        if translation.get_language_from_path(path) or not self.is_page_load(request):
            return None
        wanted = translation.get_language_from_request(request, check_path=False)
        if wanted == settings.LANGUAGE_CODE:
            return None
        urlconf = getattr(request, "urlconf", settings.ROOT_URLCONF)
        with translation.override(wanted):  # i18n_patterns match the active language's prefix only
            exists = is_valid_path(f"/{wanted}{path}", urlconf)
        if not exists:
            return None  # /healthz, /media/…: one address for every language
        redirect = self.response_redirect_class(f"{script_prefix()}/{wanted}{path}{query(request)}")
        patch_vary_headers(redirect, ("Accept-Language", "Cookie"))
        return redirect

    def process_response(self, request, response):
        response = super().process_response(request, response)
        if not translation.get_language_from_path(request.path_info):
            patch_vary_headers(response, ("Cookie",))
        return response

    @staticmethod
    def is_page_load(request):
        if request.method not in {"GET", "HEAD"}:
            return False
        accept = request.headers.get("Accept", "")
        return not accept or "text/html" in accept

    def english_please(self, request, path):
        redirect = self.response_redirect_class(f"{script_prefix()}{path}{query(request)}")
        # Only when the browser would otherwise be sent elsewhere: most English readers
        # never get the cookie at all.
        request.COOKIES.pop(settings.LANGUAGE_COOKIE_NAME, None)
        if translation.get_language_from_request(request, check_path=False) != settings.LANGUAGE_CODE:
            redirect.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                settings.LANGUAGE_CODE,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        patch_vary_headers(redirect, ("Accept-Language", "Cookie"))
        return redirect


class CatalogueWatcher:
    """Translators edit the catalogues in the running site (django-rosetta, which rewrites
    the .mo files); each worker process caches them. A stat of each .mo file per request
    tells a worker to read them again, so an edit shows in every worker at once."""

    def __init__(self):
        self.files = [path for folder in settings.LOCALE_PATHS for path in Path(folder).glob("*/LC_MESSAGES/*.mo")]
        self.seen = self.stamp()

    def stamp(self):
        stamps = []
        for path in self.files:
            try:
                stamps.append(path.stat().st_mtime_ns)
            except OSError:
                stamps.append(None)
        return stamps

    def reload_if_changed(self):
        now = self.stamp()
        if now != self.seen:
            self.seen = now
            translation_file_changed(sender=None, file_path=Path("changed.mo"))


def script_prefix():
    return get_script_prefix().rstrip("/")


def query(request):
    string = request.META.get("QUERY_STRING", "")
    return f"?{string}" if string else ""
