"""Content staff translate (django-modeltranslation), as a reader of the active language gets it.

Reading `counter_type.name` already gives the active language's text, or the French one when it has
not been translated yet. What it does not say is which: pages mark the French text, so that the
reader knows, and so that a screen reader reads it with a French voice (`lang="fr"`).
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import F, TextField, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils.translation import get_language
from modeltranslation.utils import build_localized_fieldname


def content_language(obj, field: str, *, language: str | None = None) -> str:
    """The language the reader of `language` (the active one by default) gets `obj.field` in.

    That language itself when the text exists in it; French, the source, otherwise.
    """
    language = language or get_language() or settings.LANGUAGE_CODE
    if language == settings.LANGUAGE_CODE:
        return language
    if getattr(obj, build_localized_fieldname(field, language), None):
        return language
    return settings.LANGUAGE_CODE


def is_in_french_only(obj, field: str, *, language: str | None = None) -> bool:
    """Whether a reader of `language` who is not reading French gets the French text of `obj.field`."""
    language = language or get_language() or settings.LANGUAGE_CODE
    return language != settings.LANGUAGE_CODE and content_language(obj, field, language=language) != language


def localized(lookup: str):
    """SQL for a translated field reached through a relation, e.g. `counter_type__name` from a booking:
    the active language's text, or the French one when it has none.

    django-modeltranslation rewrites lookups on the translated model's own queries only; through a
    relation, `counter_type__name` would read the original column, which is no language in particular.
    """
    path, _, field = lookup.rpartition("__")
    prefix = f"{path}__" if path else ""
    french = F(prefix + build_localized_fieldname(field, settings.LANGUAGE_CODE))
    language = get_language() or settings.LANGUAGE_CODE
    if language == settings.LANGUAGE_CODE:
        return french
    translated = NullIf(F(prefix + build_localized_fieldname(field, language)), Value(""))
    return Coalesce(translated, french, output_field=TextField())
