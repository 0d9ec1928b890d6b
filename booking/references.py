"""Booking references: short, unambiguous codes a resident reads out or an agent types or scans."""

import re
import secrets

# No 0/O, 1/I/L, 5/S, 2/Z or U/V: a reference read over the phone is not misheard.
REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRTWXY346789"
REFERENCE_LENGTH = 8
NOT_REFERENCE_CHARACTERS = re.compile(r"[^0-9A-Z]")


def new_reference() -> str:
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))


def normalise_reference(raw: str) -> str:
    """A reference as typed, read out or scanned: 'abcd-efgh', ' ABCD EFGH ', or a link ending with it."""
    cleaned = NOT_REFERENCE_CHARACTERS.sub("", (raw or "").upper())
    # A QR code may hold a link ending with the reference: keep the last characters.
    return cleaned[-REFERENCE_LENGTH:]
