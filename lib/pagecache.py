"""Public pages drawn once every few seconds, not once per visitor (a link gone
viral).

A page a surge hits (a petition, the home page, a case, an appeal) costs 20 ms or more of
CPU to draw, against about 1 ms for Django to answer at all. `public_page` keeps the drawn
page for PAGE_SECONDS and hands it to every anonymous visitor in that time, with what is
theirs put in at the last moment:

- the form's CSRF token: the page is drawn with a placeholder (the context processor below
  outranks Django's own), and each visitor gets their own token, and cookie, as always;
- anything else a view declares (the petition form's signed `started` time, so the minimum
  fill time and the honeypot keep working: each visitor's clock starts when they get the page).

What is kept is the same for every anonymous visitor of an address in a language: nothing
personal can enter it. It is kept in each web process's own memory (the "pages" cache), not in
Redis: nothing to ship over the network, and nothing in a shared store at all.

Who never gets, and never fills, the cache: anyone with a session (staff: their previews of
drafts), anyone with a message waiting (a signer just confirmed, who must see their signature
counted: the page is drawn afresh for them), anything but GET and HEAD, an address with a
query string, and any answer that is not a plain public 200 (a draft marked private, a 404).

Freshness: a count on a cached page is at most PAGE_SECONDS old, and exact once settled,
because the page is drawn again from the counters after that.

A page that answers a form (the letter a supporter gets back) carries what they typed, so it
is never kept whole. `kept` keeps the public data it is drawn from, and `drawn_once` keeps
the page drawn with a `slot` wherever the visitor's own values go: `fill` puts them in,
escaped, per request. What is kept holds the appeal's public content and placeholders only.
Measured against Django's own way (the page drawn for each sender, {% cache %} around what is
the same for everyone), this keeps the letter page ten times as fast (bench/README.md).

Behind the proxy (deploy/nginx/), the same page is also kept by nginx for a few seconds, in
front of every app server. nginx cannot ask Django for a token per visitor, so it puts in the
token itself: the proxy says so with the X-Proxy-Fills-Csrf request header, and such a page
leaves the CSRF placeholder in and says so with the X-Csrf-Placeholder response header. nginx
puts the visitor's CSRF cookie (the secret Django checks a form's token against, which Django
also accepts unmasked in the form) in its place, and gives a visitor without one a new cookie.
See docs/deployment.md, "The proxy".

After signing, confirming or withdrawing, a visitor carries the FRESH_COOKIE for FRESH_SECONDS:
neither this cache nor the proxy's serves them a page, so the count they see is the count as
it now is, not a copy from before.
"""

import functools
import hashlib
import re
import time

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils.cache import patch_cache_control
from django.utils.html import conditional_escape
from django.utils.translation import get_language

from . import origin

PAGE_SECONDS = 3
CSRF_PLACEHOLDER = "csrf-token-7f3c0b1e9d2a4c58"  # what the cached page carries instead of a token
# Cookies that do not change a public page: the CSRF cookie (its token is put in per visitor),
# and the language cookie (the language is part of the key).
NEUTRAL_COOKIES = {settings.CSRF_COOKIE_NAME, settings.LANGUAGE_COOKIE_NAME}
SLOT = "slot-3e9a61c4"  # what a kept page carries where a visitor's own value goes
SLOT_RE = re.compile(re.escape(SLOT) + r"\[([\w-]+)\]")
KEPT_MAX = 1000
# The proxy puts the visitor's CSRF secret in place of the placeholder (deploy/nginx/).
PROXY_FILLS_CSRF = "HTTP_X_PROXY_FILLS_CSRF"
PLACEHOLDER_HEADER = "X-Csrf-Placeholder"
# Longer than a page is kept here and in the proxy together, with time to spare.
FRESH_COOKIE = "fresh"
FRESH_SECONDS = 10
_kept = {}  # key: (until, value), for `kept`


def placeholders(request):
    """Context processor: on a page drawn to be kept, the CSRF token is a placeholder."""
    if getattr(request, "_drawing_for_cache", False):
        return {"csrf_token": CSRF_PLACEHOLDER}
    return {}


def anonymous(request):
    """No session (staff, a preview) and no message waiting: the page is anyone's."""
    return all(name in NEUTRAL_COOKIES for name in request.COOKIES)


def cacheable_request(request):
    return request.method in {"GET", "HEAD"} and not request.GET and anonymous(request)


def cacheable_response(response):
    cache_control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "private" not in cache_control
        and "no-cache" not in cache_control
        and "no-store" not in cache_control
    )


def _digest(text):
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _key(request):
    # The origin too: an onion visitor's page links to the onion address (lib/origin.py).
    return f"page:{_digest(f'{get_language()}:{origin.site_url()}:{request.path}')}"


def _personalise(content, request, fill, csrf=True):
    if csrf and CSRF_PLACEHOLDER.encode() in content:
        content = content.replace(CSRF_PLACEHOLDER.encode(), get_token(request).encode())
    for placeholder, make in fill.items():
        content = content.replace(placeholder.encode(), make(request).encode())
    return content


def public_page(fill=None):
    """Decorate a public view: its anonymous page is kept for PAGE_SECONDS. `fill` maps
    placeholders the view puts in its page to functions of the request giving each visitor's
    own value; they are filled in whether the page came from the cache or not."""
    fill = fill or {}

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if not cacheable_request(request):
                return _fill(view(request, *args, **kwargs), request, fill)
            cache = caches["pages"]
            key = _key(request)
            kept = cache.get(key)
            if kept is None:
                request._drawing_for_cache = True
                try:
                    response = view(request, *args, **kwargs)
                finally:
                    request._drawing_for_cache = False
                if not cacheable_response(response):
                    return _fill(response, request, fill)
                kept = (response.content, response["Content-Type"], _kept_headers(response))
                cache.set(key, kept, PAGE_SECONDS)
            content, content_type, headers = kept
            proxy_fills = request.META.get(PROXY_FILLS_CSRF) == "1"
            content = _personalise(content, request, fill, csrf=not proxy_fills)
            response = HttpResponse(content, content_type=content_type)
            for name, value in headers:
                response[name] = value
            if proxy_fills and CSRF_PLACEHOLDER.encode() in content:
                response[PLACEHOLDER_HEADER] = "1"
            return response

        return wrapped

    return decorator


def _kept_headers(response):
    return [(name, value) for name, value in response.items() if name.lower() not in {"content-type", "content-length"}]


def _fill(response, request, fill):
    if response.streaming or not response.get("Content-Type", "").startswith("text/html"):
        return response
    if getattr(request, "_drawing_for_cache", False) or CSRF_PLACEHOLDER.encode() in response.content or fill:
        response.content = _personalise(response.content, request, fill)
    return response


# --- pages that answer a form -------------------------------------------------------


def kept(key, make):
    """What make() returns, kept PAGE_SECONDS in this process: public data only (an appeal with
    its letters), for a page that cannot be kept whole. Nothing is kept if make() raises (a 404).

    Kept as the object itself, not pickled as a cache would (unpickling an appeal with its
    letters and recipients cost more than the rest of the letter page): every request gets
    the same object, to read, never to change."""
    now = time.monotonic()
    entry = _kept.get(key)
    if entry is not None and entry[0] > now:
        return entry[1]
    value = make()
    if len(_kept) >= KEPT_MAX:
        _kept.clear()  # anything still wanted is read again within seconds
    _kept[key] = (now + PAGE_SECONDS, value)
    return value


def kept_values():
    """Everything `kept` holds in this process's memory, fresh or not yet replaced: public
    data only, never what a visitor typed (the tests look through it for that)."""
    return [value for _until, value in list(_kept.values())]


def clear():
    """Forget every page and every value this process keeps, as PAGE_SECONDS would (tests
    start each from nothing kept)."""
    _kept.clear()
    caches["pages"].clear()


def slot(name):
    """Where a visitor's own value goes on a page drawn by `drawn_once` (letters, digits, - and _)."""
    return f"{SLOT}[{name}]"


def drawn_once(request, key, draw):
    """The page draw() returns, drawn with a placeholder for the CSRF token and kept
    PAGE_SECONDS in this process for every anonymous visitor asking for the same key. draw()
    must put in nothing of the visitor's but slots; `fill` puts their values in. Anyone with a
    session or a message waiting gets a page drawn for them alone (their message is on it)."""
    if not anonymous(request):
        return _draw(request, draw)
    cache = caches["pages"]
    key = f"drawn:{_digest(f'{origin.site_url()}:{key}')}"
    page = cache.get(key)
    if page is None:
        page = _draw(request, draw)
        cache.set(key, page, PAGE_SECONDS)
    return page


def _draw(request, draw):
    request._drawing_for_cache = True
    try:
        return draw()
    finally:
        request._drawing_for_cache = False


def fill(page, request, values):
    """A page from `drawn_once` with this visitor's CSRF token and, escaped, their values
    (a dict: slot name to value). One pass, so nothing a visitor typed is ever read as a slot."""
    # The token first: it is made of letters and digits only, and could not start a slot.
    if CSRF_PLACEHOLDER in page:
        page = page.replace(CSRF_PLACEHOLDER, get_token(request))
    escaped = {name: conditional_escape(value) for name, value in values.items()}
    return SLOT_RE.sub(lambda match: escaped.get(match[1], match[0]), page)


# --- what no shared cache may keep, and what brings a fresh count -------------------


class PrivateWhenPersonal:
    """Middleware: an answer that carries something of this visitor's (a CSRF token, which
    also renews its cookie; any cookie set; their session) is marked Cache-Control: private,
    so the proxy, a CDN or any other shared cache in front never keeps it for another visitor.
    Listed before the session, CSRF and messages middleware, so it sees what they add."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if (
            response.cookies
            or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            or (session is not None and session.accessed and session.session_key)
        ):
            cache_control = response.get("Cache-Control", "")
            if "no-store" not in cache_control and "private" not in cache_control:
                patch_cache_control(response, private=True)
        return response


def see_fresh(response):
    """After a signature is given, confirmed or withdrawn: for FRESH_SECONDS this visitor's
    pages are drawn for them, from the counters as they now are, by this process and behind
    the proxy alike. The cookie says only that; any other cookie would do as much."""
    response.set_cookie(
        FRESH_COOKIE,
        "1",
        max_age=FRESH_SECONDS,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response
