"""Freed places: the one way a taken place is given back, whatever freed it.

A cancellation, a move (its old place), a hold never confirmed and an agent's
release all call `free_place`. A place kept for agents goes back to them at
once: only agents can take it, for someone on the phone or at the desk. A
public place is never instantly bookable by whoever refreshes fastest: it is
withheld (still counted in the slot's `booked`, so the database goes on
refusing to overbook), and the release job, every minute, gives back each
place whose release time has come, a moment drawn at random between
FREED_PLACE_DELAY_MIN_MINUTES and FREED_PLACE_DELAY_MAX_MINUTES after it was
freed. Before giving it to everyone, the job offers it to the waiting list:
`offer_to_waiting_list` is that hook.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from counters.models import WithheldPlace
from counters.places import list_due_withheld_places, lock_withheld_place, mark_withheld_place, withhold_place
from counters.services import release_place

Reason = WithheldPlace.Reason


def free_place(*, slot_id: int, reserved: bool, reason: str, now: dt.datetime) -> None:
    """Give back the place a booking held, in the caller's transaction: agents' at once, public withheld."""
    if reserved:
        release_place(slot_id=slot_id, reserved=True)
    else:
        withhold_place(slot_id=slot_id, reason=reason, now=now)


def offer_to_waiting_list(place: WithheldPlace, *, now: dt.datetime) -> bool:
    """The waiting lists' turn, before a withheld place goes back to everyone. Returns whether one took it.

    Called with the withheld place's row locked, inside the release's
    transaction. A place of a drawn lottery goes first to the next in its
    reserve (booking.lottery), then to the procedure's waiting list
    (booking.waitlist), whose first suitable person is offered it. Either holds
    it for that person on `place.slot` without taking another place (the place
    is still counted in `booked`); the place is then recorded as given to the
    waiting list. Nobody suitable: it goes back to everyone.
    """
    from booking.lottery.drawing import pass_to_next_drawn  # both book through this package
    from booking.waitlist.offers import offer_withheld_place

    return pass_to_next_drawn(place, now=now) or offer_withheld_place(place, now=now)


def release_withheld_places(*, now: dt.datetime | None = None) -> int:
    """Release the withheld places whose time has come. Idempotent; concurrent runs share the work."""
    now = now or timezone.now()
    released = 0
    for place_id in list_due_withheld_places(now=now):
        with transaction.atomic():
            place = lock_withheld_place(place_id)
            if place is None:
                continue
            taken = offer_to_waiting_list(place, now=now)
            outcome = WithheldPlace.Outcome.WAITING_LIST if taken else WithheldPlace.Outcome.PUBLIC
            mark_withheld_place(place, outcome=outcome, now=now)
            released += 1
    return released
