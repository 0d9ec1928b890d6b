"""Natural order for labels people number by hand: "Dépôt 2" before "Dépôt 10"."""

import re
import unicodedata

SORT_KEY_LENGTH = 255
_DIGITS = re.compile(r"\d+")
_WIDTH = 10  # digits a number is padded to; a longer one keeps its own length


def natural_sort_key(label: str) -> str:
    """A key that sorts as a person reads: numbers by value, letters without case or accents.

    Stored beside the label, so that the database itself sorts in this order (on SQLite too).
    """
    plain = "".join(c for c in unicodedata.normalize("NFKD", label.casefold()) if not unicodedata.combining(c))
    return _DIGITS.sub(lambda number: number.group().zfill(_WIDTH), plain.strip())[:SORT_KEY_LENGTH]
