"""The draw: who comes first, as a pure function of a seed and the registrations, so anyone can check it.

Published after the draw, on the opening's lottery page: the seed, its
commitment, this algorithm, and the registrations in order, each as its
registration hash and priority class.

- The seed is 32 random bytes written as 64 hex characters
  (`secrets.token_hex(32)`), drawn when the lottery is set up, before anyone
  registers. Only its commitment, SHA-256 of those 64 characters, is shown
  until the draw: the seed cannot be chosen afterwards to favour someone,
  and nobody outside can compute the order in advance.
- A registration's hash is SHA-256 of "lottery:<opening id>:<identity key>"
  (the identity key is itself a keyed hash of the person's number and birth
  date, booking.identity): it names a registration and nobody else can make
  it. The person finds it in their e-mails and on their page.
- The order is by (priority class, HMAC-SHA256(key = the seed's 64
  characters, message = the registration hash's 64 characters)), the smaller
  first; the class comes from the opening's priority rule (priority.py).
  Neither the moment of registering nor the database's order plays any part:
  registering early or fast gives nothing.

With Python: sorted(rows, key=lambda r: (r.priority, hmac.new(seed.encode(),
r.hash.encode(), "sha256").hexdigest())).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable
from typing import Protocol, TypeVar

ALGORITHM = "HMAC-SHA256"


class Drawable(Protocol):
    registration_hash: str
    priority: int


D = TypeVar("D", bound=Drawable)


def new_seed() -> str:
    return secrets.token_hex(32)


def commitment(seed: str) -> str:
    """What is published before the draw: SHA-256 of the seed's 64 hex characters."""
    return hashlib.sha256(seed.encode("ascii")).hexdigest()


def registration_hash(*, opening_id: int, identity_key: str) -> str:
    return hashlib.sha256(f"lottery:{opening_id}:{identity_key}".encode("ascii")).hexdigest()


def draw_key(seed: str, registration_hash: str) -> str:
    return hmac.new(seed.encode("ascii"), registration_hash.encode("ascii"), hashlib.sha256).hexdigest()


def draw_order(seed: str, registrations: Iterable[D]) -> list[D]:
    """The registrations in the draw's order: by priority class, then by their keyed hash under the seed."""
    return sorted(registrations, key=lambda r: (r.priority, draw_key(seed, r.registration_hash)))
