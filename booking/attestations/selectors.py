"""Reads for certificates: finding one by its code and checking that it is genuine."""

from __future__ import annotations

import enum
import logging
from dataclasses import dataclass

from .codes import normalise_code
from .models import AttemptCertificate
from .signature import signature_holds

logger = logging.getLogger(__name__)


class Outcome(enum.Enum):
    GENUINE = "genuine"
    UNKNOWN = "unknown"  # no certificate has this code
    TAMPERED = "tampered"  # a certificate has this code, but its stored facts are not those signed


@dataclass(frozen=True)
class Verification:
    outcome: Outcome
    certificate: AttemptCertificate | None = None

    @property
    def is_genuine(self) -> bool:
        return self.outcome is Outcome.GENUINE


def verify_certificate(*, code: str) -> Verification:
    """What a verifier may be told about `code`: the facts only if the stored record's signature holds."""
    normalised = normalise_code(code)
    certificate = AttemptCertificate.objects.filter(code=normalised).first() if normalised else None
    if certificate is None:
        return Verification(Outcome.UNKNOWN)
    if not signature_holds(certificate):
        # The pk, not the code, which opens the certificate (and the name on it) to whoever holds it.
        logger.warning("Attempt certificate %s fails its signature check", certificate.pk)
        return Verification(Outcome.TAMPERED)
    return Verification(Outcome.GENUINE, certificate)
