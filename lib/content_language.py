"""Template tags for texts that may not be in the page's language. Cases, appeals and
petitions are written in English first and translated field by field (lib/translation.py); a
text not yet translated is shown in English.

    {% load content_language %}
    {% untranslated_note prisoner prisoner.events.all %}
    <div{% original_lang prisoner "biography" %}>{{ prisoner.biography|linebreaks }}</div>
    {% translation_note prisoner %}

`original_lang` gives a block shown in English on a Russian or Kazakh page its own
`lang="en"`, so that screen readers pronounce it and the browser hyphenates it as what it is
(with no arguments: a text that is always in English, such as a document's title or a postal
address abroad); `in_original` does the same for a text inside a translated sentence.
`untranslated_note` says, in the page's language, that some texts are shown in English, when
one of the given objects has such a text; `translation_note` says that a text shown in the
page's language is a translation. All of them do nothing on an English page.
"""

import re

from django import template
from django.conf import settings
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext

from .translation import in_language, is_shown_in_original, translated_fields

register = template.Library()


def _page_language():
    return (get_language() or settings.LANGUAGE_CODE).split("-")[0]


def _objects(things):
    for thing in things:
        if hasattr(thing, "_meta"):
            yield thing
        elif thing:
            yield from thing


@register.simple_tag
def original_lang(obj=None, field=None):
    if _page_language() == settings.LANGUAGE_CODE:
        return ""
    if obj is not None and not is_shown_in_original(obj, field):
        return ""
    return format_html(' lang="{}"', settings.LANGUAGE_CODE)


@register.filter
def in_original(obj, field):
    """A translated text set inside a sentence ({% blocktranslate with
    title=petition|in_original:"title" %}), in a span of its own language if shown in English."""
    text = getattr(obj, field)
    if not is_shown_in_original(obj, field):
        return text
    return format_html('<span lang="{}">{}</span>', settings.LANGUAGE_CODE, text)


@register.simple_tag
def untranslated_note(*things):
    if _page_language() == settings.LANGUAGE_CODE:
        return ""
    if not any(is_shown_in_original(obj, field) for obj in _objects(things) for field in translated_fields(type(obj))):
        return ""
    return format_html(
        '<p class="untranslated-note small text-body-secondary">{}</p>',
        gettext("Some texts on this page are not translated yet: they are shown in English."),
    )


@register.simple_tag
def translation_note(obj):
    """Under a case, appeal or petition whose texts are shown translated."""
    language = _page_language()
    if language == settings.LANGUAGE_CODE:
        return ""
    if not any(in_language(obj, field, language) for field in translated_fields(type(obj))):
        return ""
    return format_html(
        '<p class="translation-note small text-body-secondary">{}</p>',
        gettext("Translated from English."),
    )


LATIN_RUN = re.compile(r"[A-Za-z][\w’'&-]*(?:[ ,:.!?&-]+[A-Za-z0-9][\w’'&-]*)*", re.ASCII)


@register.filter(needs_autoescape=True)
def marks_english(text, autoescape=True):
    """In a Russian or Kazakh text, each run in Latin script (an English document's title, the
    Latin spelling of a name) in a span of its own language:
    {{ appeal.source_note|marks_english|linebreaks }}."""
    if _page_language() == settings.LANGUAGE_CODE or not text:
        return text
    escape = conditional_escape if autoescape else str
    parts, end = [], 0
    for run in LATIN_RUN.finditer(str(text)):
        parts.append(escape(text[end : run.start()]))
        parts.append(format_html('<span lang="{}">{}</span>', settings.LANGUAGE_CODE, run.group(0)))
        end = run.end()
    parts.append(escape(text[end:]))
    return mark_safe("".join(str(part) for part in parts))
