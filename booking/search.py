"""Finding a booking in the agenda as an agent types it: any case, with or without accents."""

from __future__ import annotations

import re
import unicodedata

from django.db.models import CharField, F, Func, Q, QuerySet, Value
from django.db.models.functions import Lower

from .references import NOT_REFERENCE_CHARACTERS

MAX_WORDS = 5
# Shorter pieces of a reference or a number would match almost anything.
MIN_CODE_LENGTH = 4
NOT_NUMBER_CHARACTERS = re.compile(r"[^0-9A-Za-z]")


class Unaccent(Func):
    """PostgreSQL's unaccent() (a migration creates the extension); on SQLite, `strip_accents` under that name."""

    function = "UNACCENT"
    output_field = CharField()


def strip_accents(text: str | None) -> str | None:
    if text is None:
        return None
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def register_sqlite_functions(sender, connection, **kwargs) -> None:
    """SQLite (`make run` without a database) has no unaccent(): give it ours."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("UNACCENT", 1, strip_accents, deterministic=True)


def _folded(expression):
    # Unaccent first: SQLite's LOWER() only knows ASCII letters.
    return Lower(Unaccent(expression))


def filter_by_search(bookings: QuerySet, search: str) -> QuerySet:
    """Bookings matching every word of `search` in their reference, names, foreigner or passport number."""
    words = search.split()[:MAX_WORDS]
    if not words:
        return bookings
    bookings = bookings.alias(folded_last_name=_folded(F("last_name")), folded_first_names=_folded(F("first_names")))
    for word in words:
        term = _folded(Value(word))
        matches = Q(folded_last_name__contains=term) | Q(folded_first_names__contains=term)
        reference = NOT_REFERENCE_CHARACTERS.sub("", word.upper())
        if len(reference) >= MIN_CODE_LENGTH:
            matches |= Q(reference__contains=reference)
        number = NOT_NUMBER_CHARACTERS.sub("", word)
        if len(number) >= MIN_CODE_LENGTH:
            matches |= Q(foreigner_number__icontains=number) | Q(passport_number__icontains=number)
        bookings = bookings.filter(matches)
    return bookings
