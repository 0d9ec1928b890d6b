"""Reads of the waiting list."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from booking.selectors import TOKEN_RE
from counters.models import CounterType

from .models import Offer, WaitlistEntry

Status = WaitlistEntry.Status


def _valid(token: str) -> bool:
    return bool(token) and bool(TOKEN_RE.fullmatch(token))


def get_entry_by_token(*, token: str) -> WaitlistEntry | None:
    """The entry of the person's own link (their page), with its pending offer if any."""
    if not _valid(token):
        return None
    return WaitlistEntry.objects.select_related("counter_type__site").filter(token=token).first()


def get_entry_by_verification_token(*, token: str) -> WaitlistEntry | None:
    if not _valid(token):
        return None
    return WaitlistEntry.objects.select_related("counter_type__site").filter(verification_token=token).first()


def get_pending_offer(entry: WaitlistEntry) -> Offer | None:
    return entry.offers.filter(outcome=Offer.Outcome.PENDING).select_related("booking").first()


def get_offer_by_token(*, token: str) -> Offer | None:
    """The offer whose e-mail carries this link (the token of the hold made for it)."""
    if not _valid(token):
        return None
    return (
        Offer.objects.select_related("booking__slot", "booking__counter_type__site", "entry")
        .filter(booking__verification_token=token)
        .first()
    )


def count_by_procedure(counter_types: QuerySet[CounterType]) -> QuerySet[CounterType]:
    """Each procedure with the number of entries waiting, offered a place, and booked from the list."""
    return counter_types.annotate(
        waiting=Count("waitlist_entries", filter=Q(waitlist_entries__status=Status.WAITING)),
        offered=Count("waitlist_entries", filter=Q(waitlist_entries__status=Status.OFFERED)),
        booked_from_list=Count("waitlist_entries", filter=Q(waitlist_entries__status=Status.BOOKED)),
    )
