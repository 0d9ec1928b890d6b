"""The proof of work: ALTCHA v2 challenges issued and verified here (the `altcha` library, 2.3.0).

A challenge asks for a counter such that PBKDF2/SHA-256(nonce ‖ counter, salt,
cost iterations) starts with the hex `key_prefix`; with "00", about 256 tries.
POW_COST (2 000 iterations) makes that about a second on a phone. The
difficulty `level` grows with the holds made from one IP (booking.limits):
each level doubles the expected work, by doubling the iterations for three
levels, then adding a hex digit to the prefix (×16) and starting the
iterations again. So the work a script must do doubles with each hold, while
verifying a solution stays one derivation of at most 8 × POW_COST iterations.

CVE-2025-68113 (challenge splicing, `altcha` < 1.0.0 for Python) does not
apply: version 2.3.0, whose v2 challenges sign the canonical JSON of all their
parameters, expiry included. On top of the library's checks, this module
requires an expiry, and one no further than POW_CHALLENGE_SECONDS away; the
challenge's purpose (which form) and level are signed with it; and each
solution is accepted once (replay.py), remembered until the challenge expires.
The HMAC key is derived from SECRET_KEY for this use only.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import altcha
from django.conf import settings
from django.utils.crypto import salted_hmac

ALGORITHM = "PBKDF2/SHA-256"
PURPOSES = frozenset({"hold", "lost-link", "certificate", "waiting-list", "lottery", "question"})
MAX_PAYLOAD_LENGTH = 4000
MAX_LEVEL = 24


class ProofRefused(Exception):
    def __init__(self, reason: str):
        self.reason = reason  # malformed, invalid, expired, too_easy, wrong_purpose, replayed
        super().__init__(reason)


@dataclass(frozen=True)
class Proof:
    """An accepted proof, still to be redeemed: `key` identifies it until `expires_at` (Unix time)."""

    key: str
    expires_at: int
    kind: str  # "pow" or "ticket" (the path without JavaScript)


def hmac_secret() -> bytes:
    return salted_hmac("booking.antibot.pow", "challenge-signing-key", algorithm="sha256").digest()


def difficulty(level: int) -> tuple[int, str]:
    """(iterations, hex key prefix) for a level: each level doubles the expected work."""
    level = max(0, min(level, MAX_LEVEL))
    return settings.POW_COST * 2 ** (level % 4), "0" * (2 + level // 4)


def issue_challenge(*, purpose: str, level: int = 0) -> dict:
    """A signed challenge, as the JSON the browser's script solves."""
    cost, prefix = difficulty(level)
    challenge = altcha.create_challenge(
        ALGORITHM,
        cost,
        key_prefix=prefix,
        expires_at=int(time.time()) + settings.POW_CHALLENGE_SECONDS,
        data={"purpose": purpose, "level": max(0, min(level, MAX_LEVEL))},
        hmac_secret=hmac_secret(),
    )
    return challenge.to_dict()


def _parse(payload: str) -> altcha.Payload:
    if not payload or len(payload) > MAX_PAYLOAD_LENGTH:
        raise ProofRefused("malformed")
    try:
        parsed = altcha.Payload.from_base64(payload)
        parsed.challenge.parameters.to_dict()
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError):
        raise ProofRefused("malformed") from None
    return parsed


def verify_proof(payload: str, *, purpose: str, min_level: int = 0) -> Proof:
    """Check a solved challenge for the form `purpose`, at least as hard as `min_level`. Does not redeem it."""
    parsed = _parse(payload)
    result = altcha.verify_solution(parsed, hmac_secret())
    if result.expired:
        raise ProofRefused("expired")
    if not result.verified:
        raise ProofRefused("invalid")
    # Signed by us from here on: the parameters are the ones we issued.
    params = parsed.challenge.parameters
    now = time.time()
    expires_at = params.expires_at
    if type(expires_at) is not int or not now < expires_at <= now + settings.POW_CHALLENGE_SECONDS + 60:
        raise ProofRefused("expired")
    data = params.data if isinstance(params.data, dict) else {}
    if data.get("purpose") != purpose:
        raise ProofRefused("wrong_purpose")
    level = data.get("level")
    if type(level) is not int or level < min(min_level, MAX_LEVEL):
        raise ProofRefused("too_easy")
    if (params.algorithm, (params.cost, params.key_prefix)) != (ALGORITHM, difficulty(level)):
        raise ProofRefused("too_easy")  # issued under another POW_COST: a new challenge is needed
    return Proof(key=f"pow:{parsed.challenge.signature}", expires_at=expires_at, kind="pow")
