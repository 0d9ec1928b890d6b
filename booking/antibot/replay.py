"""Each proof (a solved challenge, a ticket) is accepted once.

Redis first: SET NX with the proof's remaining lifetime, through the rate
limiter's client (short timeouts). While Redis is unreachable, a unique row in
the database (RedeemedProof) takes over; and since a proof redeemed then must
stay redeemed once Redis is back, a proof Redis has not seen is also looked
up there (one indexed read). Rows are purged once their proof has expired.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time

from django.db import IntegrityError, transaction
from django.utils import timezone

from prefecture.ratelimit import limiter

from ..models import RedeemedProof
from .pow import Proof, ProofRefused

MARGIN = 60  # seconds kept beyond the proof's expiry: clocks differ a little between servers


def _key(proof: Proof) -> str:
    return hashlib.sha256(proof.key.encode()).hexdigest()


def redeem(proof: Proof) -> None:
    """Record `proof` as used, or raise ProofRefused("replayed") if it already was."""
    key = _key(proof)
    ttl = max(int(proof.expires_at - time.time()), 1) + MARGIN
    first = limiter.set_once("antibot", key, ttl)
    if first is False:
        raise ProofRefused("replayed")
    if first is True:
        if RedeemedProof.objects.filter(key=key).exists():
            raise ProofRefused("replayed")
        return
    expires_at = dt.datetime.fromtimestamp(proof.expires_at + MARGIN, tz=dt.UTC)
    try:
        with transaction.atomic():
            RedeemedProof.objects.create(key=key, expires_at=expires_at)
    except IntegrityError:
        raise ProofRefused("replayed") from None


def purge_redeemed_proofs(*, now: dt.datetime | None = None) -> int:
    deleted, _ = RedeemedProof.objects.filter(expires_at__lt=now or timezone.now()).delete()
    return deleted
