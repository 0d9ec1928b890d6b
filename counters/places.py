"""Writes about single places of a slot: withholding a freed public place, then releasing it.

The rule deciding *when* a freed place comes back (and to whom first) lives in
booking.services.places, which calls these. Here are only the slot-level
steps, each one conditional UPDATE or one row, so that they stay correct
under concurrent bookings.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.db import transaction
from django.db.models import F

from .models import Slot, WithheldPlace

_random = secrets.SystemRandom()  # unpredictable: a script must not guess when a place comes back


def random_release_time(*, now: dt.datetime) -> dt.datetime:
    """A moment drawn uniformly between FREED_PLACE_DELAY_MIN_MINUTES and …_MAX_MINUTES from `now`."""
    low = settings.FREED_PLACE_DELAY_MIN_MINUTES * 60
    high = max(settings.FREED_PLACE_DELAY_MAX_MINUTES * 60, low)
    return now + dt.timedelta(seconds=_random.uniform(low, high))


def withhold_place(*, slot_id: int, reason: str, now: dt.datetime) -> WithheldPlace:
    """Keep a freed public place out of reach until a random time; it stays counted in `Slot.booked`."""
    return WithheldPlace.objects.create(
        slot_id=slot_id, reason=reason, withheld_at=now, release_at=random_release_time(now=now)
    )


def list_due_withheld_places(*, now: dt.datetime, limit: int = 500) -> list[int]:
    return list(
        WithheldPlace.objects.filter(released_at__isnull=True, release_at__lte=now)
        .order_by("release_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )


def lock_withheld_place(place_id: int) -> WithheldPlace | None:
    """The withheld place, locked, or None when another run has it or it was already released."""
    # Only the place's row: locking its slot too would make concurrent runs skip each other's other places.
    return (
        WithheldPlace.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(pk=place_id, released_at__isnull=True)
        .select_related("slot")
        .first()
    )


@transaction.atomic
def mark_withheld_place(place: WithheldPlace, *, outcome: str, now: dt.datetime) -> None:
    """Record what became of a withheld place; PUBLIC gives it back to everyone (`booked` - 1)."""
    place.released_at = now
    place.outcome = outcome
    place.save(update_fields=["released_at", "outcome"])
    if outcome == WithheldPlace.Outcome.PUBLIC:
        Slot.objects.filter(pk=place.slot_id, booked__gt=0).update(booked=F("booked") - 1)
