"""Which address the site's absolute links point at: SITE_URL, or the onion address
(ONION_HOST) for a visitor who came through it.

A reader in a country that blocks or watches the site reaches it through Tor; every link
we hand them (on pages, in feeds, share links, QR codes, redirects and the emails their
signing asks for) must keep them there, never send them to the clear address. One place
decides: the middleware (campaign.middleware.OnionMiddleware) marks each request's origin
for the time it is answered, and everything that builds an absolute address asks site_url().
Work done outside a request (the email worker) is told the origin recorded with what it
mails, and runs inside `using(onion)`.
"""

import contextlib
import contextvars

from django.conf import settings
from django.core.exceptions import DisallowedHost

# The base URL for this request or task; None: SITE_URL. A context variable, so each
# thread (gunicorn's) and each task keeps its own.
_current = contextvars.ContextVar("site_origin", default=None)


def onion_url():
    """http://<ONION_HOST>, or "" when the site has no onion address. Plain HTTP: the onion
    service's own encryption and authentication are what TLS would give (Tor's own advice)."""
    return f"http://{settings.ONION_HOST}" if settings.ONION_HOST else ""


def is_onion_request(request):
    """Did this request come to the onion address? By its Host header, as the proxy passes
    it on; the port, if any, does not matter."""
    if not settings.ONION_HOST:
        return False
    host = request.META.get("HTTP_HOST", "").strip().lower().rstrip(".")
    if host.startswith("["):  # an IPv6 address: never an onion
        return False
    return host.split(":", 1)[0] == settings.ONION_HOST


def site_url():
    """The base of absolute links: the onion address inside an onion request or a task
    run for one, SITE_URL otherwise."""
    return _current.get() or settings.SITE_URL


def through_onion():
    """True while answering (or mailing) someone who came through the onion address."""
    return bool(settings.ONION_HOST) and _current.get() == onion_url()


def local_origin(request):
    """On a local site with no SITE_URL of its own (make run, or runserver on another port):
    the address the browser used, so that links, emails and QR codes follow its port. None
    elsewhere: a production site's links never come from a request's Host header."""
    if not settings.SITE_URL_FROM_REQUEST:
        return None
    try:
        return f"{request.scheme}://{request.get_host()}"
    except DisallowedHost:  # answered as Django answers it, further on
        return None


@contextlib.contextmanager
def using(onion, otherwise=None):
    """Absolute links inside this block point at the onion address if `onion` (and the
    site has one), else at `otherwise` if given, else at SITE_URL; or, for mail sent inside
    a local site's request, at the address that request came to (local_origin)."""
    if onion and settings.ONION_HOST:
        value = onion_url()
    elif otherwise is not None:
        value = otherwise
    else:
        current = _current.get()
        value = None if current == onion_url() else current
    token = _current.set(value)
    try:
        yield
    finally:
        _current.reset(token)


def absolute(path):
    """`path` (with its language prefix, as reverse() gives it) on this origin's base."""
    if path.startswith(("http://", "https://")):
        return path
    return f"{site_url()}{path}"
