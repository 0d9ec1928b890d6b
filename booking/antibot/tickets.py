"""The path without JavaScript: a signed, single-use ticket, accepted only a while after the page was opened.

A form page embeds a ticket (signed with SECRET_KEY, dated). A submission
without a proof of work is accepted if its ticket is at least
POW_SLOW_PATH_SECONDS old (doubled per difficulty level, like the proof of
work), and at most TICKET_LIFETIME. Too early, the page says how many
seconds remain, and keeps the ticket and everything typed. This costs a
person a short wait and a script the same wait per place: with the stricter
limit per IP on this path (booking.limits, "hold:slow-ip"), a script gains
nothing by switching JavaScript off. The phone and the desk remain for anyone.
"""

from __future__ import annotations

import hashlib
import secrets
import time

from django.conf import settings
from django.core import signing

from .pow import MAX_LEVEL, Proof, ProofRefused

SALT = "booking.antibot.ticket"
TICKET_LIFETIME = 2 * 3600


class TooEarly(ProofRefused):
    def __init__(self, *, seconds: int, wait: int):
        self.seconds = seconds  # still to wait
        self.wait = wait  # the whole wait required
        super().__init__("too_early")


def slow_path_wait(level: int) -> int:
    return settings.POW_SLOW_PATH_SECONDS * 2 ** max(0, min(level, MAX_LEVEL))


def issue_ticket(*, purpose: str) -> str:
    return signing.dumps({"p": purpose, "t": int(time.time()), "n": secrets.token_hex(8)}, salt=SALT)


def check_ticket(ticket: str, *, purpose: str, level: int = 0) -> Proof:
    """Accept a ticket for `purpose` old enough for `level`; does not redeem it."""
    if not ticket or len(ticket) > 500:
        raise ProofRefused("malformed")
    try:
        data = signing.loads(ticket, salt=SALT)
        issued, ticket_purpose = int(data["t"]), data["p"]
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise ProofRefused("invalid") from None
    if ticket_purpose != purpose:
        raise ProofRefused("wrong_purpose")
    age = time.time() - issued
    wait = slow_path_wait(level)
    if age < wait:
        raise TooEarly(seconds=int(wait - age) + 1, wait=wait)
    if age > TICKET_LIFETIME:
        raise ProofRefused("expired")
    key = "ticket:" + hashlib.sha256(ticket.encode()).hexdigest()
    return Proof(key=key, expires_at=issued + TICKET_LIFETIME, kind="ticket")
