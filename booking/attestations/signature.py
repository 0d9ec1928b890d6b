"""The signature of a certificate: HMAC-SHA256 over a canonical serialisation of its facts.

The key is derived from SECRET_KEY by Django's `salted_hmac` with a salt of
its own, so it signs nothing else (sessions, password resets). A key rotation
keeps old certificates valid as long as the old key is in SECRET_KEY_FALLBACKS.

The name is signed through its own keyed digest (`name_digest`): blanking the
name later, for data retention, leaves the signed facts intact, while changing
it to another name fails.
"""

from __future__ import annotations

import datetime as dt
import json

from django.conf import settings
from django.utils.crypto import constant_time_compare, salted_hmac

from .models import AttemptCertificate

SIGNATURE_SALT = "attestations.AttemptCertificate.signature"
NAME_SALT = "attestations.AttemptCertificate.name"
FORMAT_VERSION = 1


def _keys() -> list[str]:
    return [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]


def _hmac(salt: str, value: str, secret: str) -> str:
    return salted_hmac(salt, value, secret=secret, algorithm="sha256").hexdigest()


def _name_text(last_name: str, first_names: str) -> str:
    # A separator no name holds (the forms refuse control characters): "A B" + "C" differs from "A" + "B C".
    return f"{last_name}\x1f{first_names}"


def name_digest(last_name: str, first_names: str, *, secret: str | None = None) -> str:
    if not (last_name or first_names):
        return ""
    return _hmac(NAME_SALT, _name_text(last_name, first_names), secret or settings.SECRET_KEY)


def canonical(certificate: AttemptCertificate) -> str:
    """Every signed fact, in one unambiguous text: sorted keys, fixed formats, UTC to the microsecond."""
    facts = {
        "v": FORMAT_VERSION,
        "code": certificate.code,
        "counter_type": certificate.counter_type_id,
        "site": certificate.site_id,
        "procedure_name": certificate.procedure_name,
        "site_name": certificate.site_name,
        "time_zone": certificate.time_zone,
        "issued_at": certificate.issued_at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        "searched_from": certificate.searched_from.isoformat(),
        "searched_until": certificate.searched_until.isoformat(),
        "name_digest": certificate.name_digest,
    }
    return json.dumps(facts, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def sign(certificate: AttemptCertificate) -> str:
    return _hmac(SIGNATURE_SALT, canonical(certificate), settings.SECRET_KEY)


def signature_holds(certificate: AttemptCertificate) -> bool:
    """The stored facts are those that were signed, and the name (unless erased) is the one signed."""
    text = canonical(certificate)
    for secret in _keys():
        if constant_time_compare(_hmac(SIGNATURE_SALT, text, secret), certificate.signature):
            if certificate.last_name or certificate.first_names:
                expected = name_digest(certificate.last_name, certificate.first_names, secret=secret)
                return constant_time_compare(expected, certificate.name_digest)
            return True
    return False
