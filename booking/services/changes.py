"""What a resident changes after booking: cancel, move, and asking for the link again.

Each change locks the booking row, checks it may still be changed, writes,
and queues its e-mail in the same transaction. The place given back goes
through the freed-place rule (places.py): a public place is withheld for a
random while before anyone can take it again.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from counters.models import WithheldPlace
from counters.selectors import is_time_bookable, public_slots

from ..eligibility import answers_of, check_eligibility
from ..emails import queue_email
from ..exceptions import ChangeTooLate, MoveLimitReached, MoveSlotTaken, NotChangeable, SameTime
from ..models import Booking, OutboundEmail
from .booking import _take_place, appointment_day, busy_on_lock_timeout
from .places import free_place

# A second request for the link within this delay sends nothing more: the form
# cannot be used to flood someone's mailbox.
ACCESS_LINK_INTERVAL = dt.timedelta(minutes=10)


def _lock_booking(booking_id: int) -> Booking:
    rows = Booking.objects.select_for_update(of=("self",)).select_related("slot", "counter_type__site")
    return rows.get(pk=booking_id)


def change_deadline(booking: Booking) -> dt.datetime:
    """The last moment the resident may still cancel or move online."""
    return booking.slot.starts_at - dt.timedelta(hours=booking.counter_type.change_cutoff_hours)


def check_changeable(booking: Booking, *, now: dt.datetime) -> None:
    """May the resident still cancel or move online? Raises NotChangeable or ChangeTooLate.

    The manage page asks it to decide what to offer; cancel and move ask it
    again on the locked row.
    """
    if booking.status != Booking.Status.CONFIRMED or booking.slot.starts_at <= now:
        raise NotChangeable()
    if now >= change_deadline(booking):
        raise ChangeTooLate(booking.counter_type.change_cutoff_hours)


def check_movable(booking: Booking, *, now: dt.datetime) -> None:
    """May the resident still move it online? check_changeable, and moves left (CounterType.max_moves).

    Moves are limited (a booking moved without end keeps a place to hand over):
    the booking's `version` counts them. Raises MoveLimitReached too.
    """
    check_changeable(booking, now=now)
    if booking.version >= booking.counter_type.max_moves:
        raise MoveLimitReached(booking.counter_type.max_moves)


def cancel_booking(*, booking_id: int, now: dt.datetime | None = None) -> Booking:
    """Cancel and free the place (withheld a while if public: places.py).

    Raises NotChangeable (already cancelled, or past), ChangeTooLate (inside the
    procedure's cut-off) or ServiceBusy.
    """
    return busy_on_lock_timeout(_cancel, booking_id=booking_id, now=now or timezone.now())


@transaction.atomic
def _cancel(*, booking_id: int, now: dt.datetime) -> Booking:
    booking = _lock_booking(booking_id)
    check_changeable(booking, now=now)
    booking.status = Booking.Status.CANCELLED
    booking.cancelled_at = now
    booking.save(update_fields=["status", "cancelled_at", "updated_at"])
    queue_email(booking=booking, kind=OutboundEmail.Kind.CANCELLATION)
    free_place(slot_id=booking.slot_id, reserved=booking.reserved_place, reason=WithheldPlace.Reason.CANCELLED, now=now)
    return booking


def move_booking(*, booking_id: int, starts_at: dt.datetime, now: dt.datetime | None = None) -> Booking:
    """Take a place at `starts_at`, then release the old one, in one transaction.

    If no place is left at `starts_at`, raises MoveSlotTaken and nothing
    changes: the resident keeps the appointment they had. The new day must
    obey the procedure's eligibility rule with the answers the booking was made
    with (a renewal stays before the permit's expiry): OutsideRenewalWindow
    otherwise. Also raises NotChangeable, ChangeTooLate, MoveLimitReached, SameTime and ServiceBusy.
    """
    return busy_on_lock_timeout(_move, booking_id=booking_id, starts_at=starts_at, now=now or timezone.now())


@transaction.atomic
def _move(*, booking_id: int, starts_at: dt.datetime, now: dt.datetime) -> Booking:
    booking = _lock_booking(booking_id)
    check_movable(booking, now=now)
    if booking.slot.starts_at == starts_at:
        raise SameTime()
    day = appointment_day(booking.counter_type, starts_at)
    check_eligibility(counter_type=booking.counter_type, on=day, answers=answers_of(booking), now=now)
    if not is_time_bookable(booking.counter_type, starts_at=starts_at, now=now):
        raise MoveSlotTaken()
    candidates = list(
        public_slots()
        .filter(counter_type_id=booking.counter_type_id, starts_at=starts_at, booked__lt=F("capacity"))
        .order_by("booked", "pk")
        .values_list("pk", flat=True)
    )
    taken = _take_place(candidates)
    if taken is None:
        raise MoveSlotTaken()  # nothing was written: the old place is kept
    old_slot_id, old_reserved = booking.slot_id, booking.reserved_place
    booking.slot_id, booking.reserved_place = taken
    booking.version += 1  # the row is locked: no other move can take the same number
    booking.save(update_fields=["slot", "reserved_place", "version", "updated_at"])
    queue_email(booking=booking, kind=OutboundEmail.Kind.MOVED, sequence=booking.version)
    free_place(slot_id=old_slot_id, reserved=old_reserved, reason=WithheldPlace.Reason.MOVED, now=now)
    return booking


@transaction.atomic
def send_access_link(*, booking_id: int, now: dt.datetime | None = None) -> OutboundEmail | None:
    """Queue an e-mail with the manage link again, unless one was queued moments ago."""
    now = now or timezone.now()
    booking = Booking.objects.select_for_update().get(pk=booking_id)
    previous = booking.emails.filter(kind=OutboundEmail.Kind.ACCESS_LINK).order_by("-sequence").first()
    if previous is not None and previous.created_at > now - ACCESS_LINK_INTERVAL:
        return None
    sequence = previous.sequence + 1 if previous else 1
    return queue_email(booking=booking, kind=OutboundEmail.Kind.ACCESS_LINK, sequence=sequence)
