"""Admin screens for texts written in several languages: each translated field's languages
side by side on one line (English, Russian, Kazakh), so a translator sees the original beside
the translation, and searches that find a case by its name in any language.

modeltranslation's admin classes put a field's language versions one under another; Django's
admin puts the fields of a tuple on one line, so the versions are regrouped into tuples.
"""

from django.conf import settings
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline, TranslationTabularInline
from modeltranslation.utils import build_localized_fieldname


def every_language(*fields):
    """search_fields for texts in every language: "name" -> name_en, name_ru, name_kk."""
    return [build_localized_fieldname(field, code) for field in fields for code, _ in settings.LANGUAGES]


def side_by_side(fields):
    codes = [code for code, _ in settings.LANGUAGES]
    lines, index = [], 0
    while index < len(fields):
        field = fields[index]
        if isinstance(field, str) and field.endswith(f"_{codes[0]}"):
            base = field[: -len(codes[0]) - 1]
            group = [build_localized_fieldname(base, code) for code in codes]
            if list(fields[index : index + len(group)]) == group:
                lines.append(tuple(group))
                index += len(group)
                continue
        lines.append(field)
        index += 1
    return lines


class SideBySide:
    class Media:
        css = {"all": ["css/admin-translations.css"]}

    def get_fieldsets(self, request, obj=None):
        return [
            (name, {**options, "fields": side_by_side(list(options["fields"]))})
            for name, options in super().get_fieldsets(request, obj)
        ]


class TranslatedAdmin(SideBySide, TranslationAdmin):
    pass


class TranslatedStackedInline(SideBySide, TranslationStackedInline):
    pass


class TranslatedTabularInline(TranslationTabularInline):
    """A table has a column per field already: the languages stand side by side as it is."""

    class Media:
        css = {"all": ["css/admin-translations.css"]}
