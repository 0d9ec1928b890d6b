"""The admin of translated content: French where the field stands, each other language folded apart.

django-modeltranslation gives each translated field one form field per language, side by side;
with eight languages a procedure's form would be a wall of fields. Here the French fields (the
source, the only required ones) stay in place, and each other language gets a section of its own,
named in that language and folded (Django's <details>, no JavaScript), listing that language's
fields in the same order. The change list says which languages still lack a translation.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.utils.text import capfirst
from django.utils.translation import get_language_info, gettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin
from modeltranslation.utils import build_localized_fieldname


def other_languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def missing_languages(obj, fields) -> list[str]:
    """The languages in which some field written in French has no translation yet."""
    written = [field for field in fields if getattr(obj, build_localized_fieldname(field, settings.LANGUAGE_CODE))]
    return [
        code
        for code in other_languages()
        if any(not getattr(obj, build_localized_fieldname(field, code)) for field in written)
    ]


class TranslatedContentAdmin(TranslationAdmin):
    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        translated = self.trans_opts.fields
        per_language = {code: [build_localized_fieldname(f, code) for f in translated] for code in other_languages()}
        moved = {name for names in per_language.values() for name in names}
        kept = [
            (title, {**options, "fields": [f for f in options["fields"] if f not in moved]})
            for title, options in fieldsets
        ]
        return kept + [
            (self._language_title(code), {"fields": names, "classes": ["collapse"]})
            for code, names in per_language.items()
        ]

    @staticmethod
    def _language_title(code: str) -> str:
        info = get_language_info(code)
        return gettext("Traduction : %(local)s (%(name)s)") % {
            "local": capfirst(info["name_local"]),
            "name": dict(settings.LANGUAGES)[code],
        }

    @admin.display(description=_("à traduire"))
    def missing_translations(self, obj) -> str:
        return " ".join(missing_languages(obj, self.trans_opts.fields)) or "—"
