"""Template tags for texts that may not be in the page's language: case files, appeals and
petitions are written in the site's first language (English) until they are translated.

    {% load content_language %}
    <div{% original_lang %}>{{ prisoner.biography|linebreaks }}</div>
    {% untranslated_note %}

`original_lang` gives such a block its own `lang` (`in_original` a text inside a
translated sentence), so that screen readers pronounce it and the browser hyphenates it
as what it is; `untranslated_note` says, in the page's language, that some texts are
shown in English. All three do nothing on an English page.
"""

from django import template
from django.conf import settings
from django.utils.html import format_html
from django.utils.translation import get_language, gettext

register = template.Library()


def shown_in_another_language():
    return (get_language() or settings.LANGUAGE_CODE) != settings.LANGUAGE_CODE


@register.simple_tag
def original_lang():
    if not shown_in_another_language():
        return ""
    return format_html(' lang="{}"', settings.LANGUAGE_CODE)


@register.filter
def in_original(text):
    """A text set inside a translated sentence ({% blocktranslate with title=…|in_original %}),
    in a span of its own language."""
    if not shown_in_another_language():
        return text
    return format_html('<span lang="{}">{}</span>', settings.LANGUAGE_CODE, text)


@register.simple_tag
def untranslated_note():
    if not shown_in_another_language():
        return ""
    return format_html(
        '<p class="untranslated-note small text-body-secondary">{}</p>',
        gettext("Not translated yet: the texts of cases, appeals and petitions are shown in English."),
    )
