"""Normalising identity numbers into the keys that make one booking per person and procedure."""

import datetime as dt
import hashlib
import re

from django.conf import settings

FOREIGNER_NUMBER_RE = re.compile(r"^\d{10}$")


def normalise_foreigner_number(value: str) -> str:
    return re.sub(r"[\s.\-]", "", value or "")


def normalise_passport_number(value: str) -> str:
    return re.sub(r"[^0-9A-Za-z]", "", value or "").upper()


def identity_key(kind: str, number: str, birth_date: dt.date) -> str | None:
    """A keyed hash of the number and birth date, so the key itself reveals neither."""
    if not number:
        return None
    material = f"{kind}:{number}:{birth_date.isoformat()}:{settings.SECRET_KEY}"
    return hashlib.sha256(material.encode()).hexdigest()
