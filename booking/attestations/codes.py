"""Verification codes of certificates: random, unambiguous, grouped for reading.

The alphabet is the booking references' one (no 0/O, 1/I/L, 5/S, 2/Z or U/V), so
a code read over the phone or copied from paper is not misheard. Twelve
characters from 25 give about 56 bits: nobody finds a certificate by trying
codes, even without a rate limit. Shown in three groups of four, `ABCD-EFGH-JKMN`.
"""

from __future__ import annotations

import re
import secrets

from booking.references import REFERENCE_ALPHABET

CODE_ALPHABET = REFERENCE_ALPHABET
CODE_LENGTH = 12
GROUP = 4
NOT_CODE_CHARACTERS = re.compile(r"[^0-9A-Z]")


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def display_code(code: str) -> str:
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))


def normalise_code(raw: str) -> str | None:
    """The code as stored, from what a person typed or pasted, or None if it cannot be one.

    Accepts `abcd efgh jkmn`, `ABCD-EFGH-JKMN`, and the whole verification link
    (what the QR code holds), whose last characters are the code.
    """
    cleaned = NOT_CODE_CHARACTERS.sub("", (raw or "").upper())[-CODE_LENGTH:]
    if len(cleaned) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in cleaned):
        return None
    return cleaned
