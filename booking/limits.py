"""Which rate limits apply to which public form, and how much.

Counted by prefecture.ratelimit (Redis, or memory while Redis is out). Many
people share one IP address (cyber-cafés, associations, mobile networks), so
the limits per identity and per e-mail address carry the weight, and those
per IP stay generous; a script from one address is slowed mostly by the
proof of work, whose cost doubles with each hold beyond the first few
(booking.antibot.pow, `hold_level`).

Each limit is (hits, seconds); settings.RATE_LIMITS overrides any by name.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from prefecture.ratelimit import Rate, RateLimited, limiter

from .identity import normalise_address

HOUR = 3600

DEFAULT_RATES: dict[str, tuple[int, int]] = {
    # Holding a place (the review step), counted once the proof of work passed.
    "hold:identity": (3, HOUR),
    "hold:email": (3, HOUR),
    "hold:ip": (12, HOUR),
    # Without JavaScript (the slow path), fewer per IP.
    "hold:slow-ip": (4, HOUR),
    # Entering the 6-digit code: 5 wrong codes per hold are also counted on the hold itself.
    "code:booking": (10, HOUR),
    "code:ip": (30, HOUR),
    "resend:booking": (3, HOUR),
    "resend:ip": (10, HOUR),
    "move:booking": (5, HOUR),
    "move:ip": (20, HOUR),
    "cancel:booking": (5, HOUR),
    "cancel:ip": (20, HOUR),
    "erase:ip": (20, HOUR),
    "lost-link:email": (3, HOUR),
    "lost-link:ip": (10, HOUR),
    "certificate:ip": (10, HOUR),
    # Challenges are cheap to issue; a page load fetches one.
    "challenge:ip": (120, HOUR),
    # Any POST of a form with an anti-robot check, valid or not: checking a solution has a cost.
    "proof:ip": (100, HOUR),
    # Registering for a lottery (booking.lottery), counted once the proof of work passed.
    "lottery:identity": (3, HOUR),
    "lottery:email": (3, HOUR),
    "lottery:ip": (12, HOUR),
    "lottery:slow-ip": (4, HOUR),
    # Joining a waiting list (booking.waitlist), the same way; from a registration's link, per registration.
    "waitlist:identity": (3, HOUR),
    "waitlist:email": (3, HOUR),
    "waitlist:ip": (12, HOUR),
    "waitlist:slow-ip": (4, HOUR),
    "waitlist:registration": (3, HOUR),
    # Answering an offer from the waiting list, leaving the list.
    "offer:booking": (5, HOUR),
    "offer:ip": (20, HOUR),
    "leave:entry": (5, HOUR),
    "leave:ip": (20, HOUR),
    # Asking a written question (booking.questions), counted once the proof of work passed; replying to an
    # answer and saying whether it helped, from its link.
    "question:email": (3, HOUR),
    "question:ip": (12, HOUR),
    "question:slow-ip": (4, HOUR),
    "question-reply:question": (5, HOUR),
    "question-reply:ip": (20, HOUR),
}

# The forms whose proof of work gets harder with each success from one IP: the limit that counts them.
PROOF_LEVEL_LIMITS = {
    "hold": "hold:ip",
    "lottery": "lottery:ip",
    "waiting-list": "waitlist:ip",
    "question": "question:ip",
}


def rate(name: str) -> Rate:
    count, seconds = settings.RATE_LIMITS.get(name) or DEFAULT_RATES[name]
    return Rate(count, seconds)


def enforce(*checks: tuple[str, str | None], now: dt.datetime | None = None) -> None:
    """Count one hit under each (limit name, key); raise RateLimited if any is over its rate.

    A check whose key is empty (no address given, say) is skipped. Every check
    is counted even when an earlier one refuses: a refused request still
    counts against the others.
    """
    refusals = []
    for name, key in checks:
        if not key:
            continue
        hit = limiter.hit(name, key, rate(name), now=now)
        if not hit.allowed:
            refusals.append((hit.retry_after, name))
    if refusals:
        retry_after, name = max(refusals)
        raise RateLimited(retry_after=retry_after, name=name)


def email_key(email: str) -> str:
    return normalise_address(email)


def enforce_request_limits(kind: str, *, ip: str | None, person, proof_kind: str) -> None:
    """The limits of a request for a place or a list (`kind`: "hold", "lottery", "waitlist"), counted once
    its proof of work passed: per IP (stricter without JavaScript, `proof_kind` "ticket"), per identity (each
    document number given) and per e-mail address."""
    foreigner_key, passport_key = person.keys
    enforce(
        (f"{kind}:ip", ip),
        (f"{kind}:slow-ip", ip if proof_kind == "ticket" else None),
        (f"{kind}:identity", foreigner_key),
        (f"{kind}:identity", passport_key),
        (f"{kind}:email", email_key(person.email)),
    )


def hold_level(ip: str, *, now: dt.datetime | None = None) -> int:
    """The proof-of-work difficulty of the next hold from `ip`: 0 for the first POW_FREE_HOLDS_PER_IP of the
    window, then one more for each hold beyond (each level doubles the work)."""
    return proof_level("hold", ip, now=now)


def proof_level(purpose: str, ip: str, *, now: dt.datetime | None = None) -> int:
    """The same for any form of PROOF_LEVEL_LIMITS (a lottery registration, joining a waiting list); 0 for
    the others."""
    name = PROOF_LEVEL_LIMITS.get(purpose)
    if name is None:
        return 0
    done = limiter.peek(name, ip, rate(name), now=now)
    return max(0, done + 1 - settings.POW_FREE_HOLDS_PER_IP)
