"""Normalising identity numbers into the keys that make one booking per person and procedure."""

import datetime as dt
import hashlib
import re
import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

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


# Control, formatting (bidi overrides such as U+202E, zero-width characters), private-use,
# surrogate and line/paragraph separator characters: invisible, or they change how the
# text around them is shown (a name displayed reversed in the agenda).
HIDDEN_CHARACTER_CATEGORIES = frozenset({"Cc", "Cf", "Co", "Cs", "Zl", "Zp"})


def clean_visible_text(value: str) -> str:
    """`value` in Unicode NFC, refused if it holds an invisible or formatting character.

    For names and the other free-text identity fields, on the public form and the agents' one alike.
    """
    value = unicodedata.normalize("NFC", value or "")
    hidden = next((ch for ch in value if unicodedata.category(ch) in HIDDEN_CHARACTER_CATEGORIES), None)
    if hidden is not None:
        raise ValidationError(
            _(
                "Ce champ contient un caractère invisible ou de mise en forme (%(code)s). "
                "Saisissez-le à nouveau au clavier, sans copier-coller."
            ),
            code="hidden_character",
            params={"code": f"U+{ord(hidden):04X}"},
        )
    return value


# Providers that ignore dots in the local part: one mailbox, however many dots are typed.
DOTLESS_DOMAINS = {"gmail.com": "gmail.com", "googlemail.com": "gmail.com"}


def normalise_address(value: str) -> str:
    """One e-mail address for each mailbox, for the per-address caps and limits (never for sending).

    Case and surrounding spaces are dropped, and so is a "+tag" (most providers
    deliver name+anything@ to name@): otherwise "victim+1@", "victim+2@"…
    would each get their own quota of e-mails. Dots are dropped for Gmail.
    """
    local, _, domain = (value or "").strip().lower().rpartition("@")
    if not local:
        return domain
    local = local.split("+", 1)[0]
    if domain in DOTLESS_DOMAINS:
        local, domain = local.replace(".", ""), DOTLESS_DOMAINS[domain]
    return f"{local}@{domain}"
