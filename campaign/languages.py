"""The page in each of the site's languages: for the language switcher and the hreflang
alternates in base.html."""

from django.conf import settings
from django.urls import get_script_prefix, reverse
from django.utils import translation
from django.utils.functional import SimpleLazyObject

from lib import origin

# Each language named in itself: a reader looks for their own language's name.
NAMES = {"en": "English", "ru": "Русский", "kk": "Қазақша"}

# Addresses that answer a form's POST, and the page with the form, which a GET can open.
FORM_PAGES = {
    "appeals:letter": "appeals:detail",
    "petitions:sign": "petitions:detail",
}


def path_in(path, language, explicit=False):
    """`path` (without the script prefix) in `language`: /ru/prisoners/ for Russian,
    /prisoners/ for English, or /en/prisoners/ when `explicit` (the switcher's link, which
    also tells the site to stop following the browser's language: see LanguageMiddleware).

    The prefix is swapped rather than the URL reversed, so that a page not found, or an
    address with a query, keeps its path and query in every language."""
    current = translation.get_language_from_path(path)
    if current:
        path = path[len(current) + 1 :] or "/"
    if language != settings.LANGUAGE_CODE or explicit:
        path = f"/{language}{path}"
    return f"{script_prefix()}{path}"


def script_prefix():
    return get_script_prefix().rstrip("/")


def languages(request):
    """Context processor: `languages`, one entry per language.

    A page that answers a POST only (a letter, a signing form sent back with errors)
    switches to the page its form is on."""

    def entries():
        path = request.path_info
        match = request.resolver_match
        if match and match.view_name in FORM_PAGES:
            path = reverse(FORM_PAGES[match.view_name], kwargs=match.kwargs).removeprefix(script_prefix())
        query = request.META.get("QUERY_STRING", "") if request.method == "GET" else ""
        query = f"?{query}" if query else ""
        current = translation.get_language()
        return [
            {
                "code": code,
                "name": NAMES.get(code, code),
                "current": code == current,
                "url": path_in(path, code, explicit=True) + query,
                # From SITE_URL (or the onion address, lib/origin.py), not the request's
                # Host: a page a cache keeps must not carry whatever host a request named.
                "alternate": f"{origin.site_url()}{path_in(path, code)}{query}",
            }
            for code, _name in settings.LANGUAGES
        ]

    # Lazily, so that a template that never shows them (an email, a PDF) costs nothing.
    return {"languages": SimpleLazyObject(entries)}
