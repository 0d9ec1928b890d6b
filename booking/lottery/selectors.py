"""Reads of lotteries: an opening's page, a registration by its link, the published draw, staff counts."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from booking.selectors import TOKEN_RE
from counters.models import ExceptionalOpening

from .models import Lottery, Registration

Status = Registration.Status
HASH_RE = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class DrawRow:
    rank: int
    registration_hash: str
    priority: int


def get_lottery_opening(*, pk: int) -> ExceptionalOpening | None:
    """A published opening in lottery mode, with its site, procedures and lottery (if set up)."""
    return (
        ExceptionalOpening.objects.published()
        .filter(pk=pk, mode=ExceptionalOpening.Mode.LOTTERY)
        .select_related("site", "lottery")
        .prefetch_related("counter_types")
        .first()
    )


def get_registration_by_token(*, token: str) -> Registration | None:
    if not token or not TOKEN_RE.fullmatch(token):
        return None
    return (
        Registration.objects.select_related("lottery__opening__site", "counter_type", "booking__slot")
        .filter(token=token)
        .first()
    )


def get_registration_by_verification_token(*, token: str) -> Registration | None:
    if not token or not TOKEN_RE.fullmatch(token):
        return None
    return (
        Registration.objects.select_related("lottery__opening__site", "counter_type")
        .filter(verification_token=token)
        .first()
    )


def list_draw(lottery: Lottery) -> list[DrawRow]:
    """The published draw: every ranked registration as its hash and class, in order. Nothing personal."""
    if not lottery.is_drawn:
        return []
    rows = lottery.registrations.exclude(rank__isnull=True).order_by("rank")
    return [DrawRow(*row) for row in rows.values_list("rank", "registration_hash", "priority")]


def normalise_hash(value: str) -> str:
    value = re.sub(r"\s", "", value or "").lower()
    return value if HASH_RE.fullmatch(value) else ""


def find_in_draw(lottery: Lottery, *, registration_hash: str) -> DrawRow | None:
    if not lottery.is_drawn or not registration_hash:
        return None
    row = (
        lottery.registrations.filter(registration_hash=registration_hash, rank__isnull=False)
        .values_list("rank", "registration_hash", "priority")
        .first()
    )
    return DrawRow(*row) if row else None


def count_by_lottery(lotteries: QuerySet[Lottery]) -> QuerySet[Lottery]:
    """Each lottery with its counts: registered (address proved), drawn, confirmed, in reserve."""
    proved = Q(registrations__verified_at__isnull=False)
    return lotteries.annotate(
        registered=Count("registrations", filter=proved),
        drawn=Count("registrations", filter=Q(registrations__status=Status.DRAWN)),
        confirmed=Count("registrations", filter=Q(registrations__booking__confirmed_at__isnull=False)),
        in_reserve=Count("registrations", filter=Q(registrations__status=Status.RESERVE)),
    )
