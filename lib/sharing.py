"""Share links that leak nothing, and absolute addresses for links that travel.

Each share link is a plain address on our page, built here: no button script, image or
counter from Telegram, VK and the rest is loaded, so none of them learns who looked at a
page. They learn of the share only when the person clicks, as with any link they follow.

    {% load sharing %}
    {% share_links petition.get_absolute_url|absolute petition.title as share %}
    {% include "_share.html" %}
"""

from urllib.parse import quote, urlencode

from django import template
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from . import origin

register = template.Library()


def absolute(path):
    """`path` (with its language prefix, as reverse() gives it in the page's language) on
    SITE_URL, or on the onion address for a visitor who came through it (lib/origin.py):
    never the request's Host as such, which a cached page must not carry."""
    return origin.absolute(path)


register.filter("absolute", absolute)


def _query(params):
    return urlencode(params, quote_via=quote)


def share_links(url, text):
    """[{"name", "label", "href", "new_tab"}] for `url` with `text`, in the order people in
    the campaign's countries use them."""
    # RFC 6068: %20 for spaces, as quote() writes them; CRLF between lines.
    body = f"{text}\r\n\r\n{url}"
    links = [
        ("telegram", "Telegram", "https://t.me/share/url", {"url": url, "text": text}),
        ("whatsapp", "WhatsApp", "https://api.whatsapp.com/send", {"text": f"{text} {url}"}),
        ("vk", _("VK"), "https://vk.com/share.php", {"url": url, "title": text}),
        ("facebook", "Facebook", "https://www.facebook.com/sharer/sharer.php", {"u": url}),
        ("x", "X (Twitter)", "https://twitter.com/intent/tweet", {"url": url, "text": text}),
        ("email", pgettext("share by", "Email"), "mailto:", {"subject": text, "body": body}),
    ]
    return [
        {"name": name, "label": label, "href": f"{base}?{_query(params)}", "new_tab": name != "email"}
        for name, label, base, params in links
    ]


@register.simple_tag(name="share_links")
def share_links_tag(url, text):
    return {"url": url, "links": share_links(url, str(text))}


# Open Graph's names for the site's languages.
OG_LOCALES = {"en": "en_GB", "ru": "ru_RU", "kk": "kk_KZ"}


def preview(title, description, path, image):
    """The link preview of a page (templates/_preview_meta.html): Open Graph and Twitter
    card tags, every address absolute on SITE_URL and in the page's language."""
    return {
        "title": title,
        "description": description,
        "url": absolute(path),
        "image": absolute(image),
        "locale": OG_LOCALES.get(get_language(), "en_GB"),
    }
