"""Offering places to the waiting list, and following the answers.

When a place frees up it goes to the list first: a withheld place whose
release time has come (a cancellation, a move, an expired hold or offer:
`offer_withheld_place`, asked by booking.services.places), the places of a
new opening as it is published (`offer_new_opening`, before anyone can see
them), and the places a lottery's draw left (booking.lottery).

An offer is a hold made for the next suitable entry by the booking service
(so the database still refuses to overbook, and the eligibility rule is
checked against the slot's day, as for any booking), held until
WAITLIST_OFFER_MINUTES from now (never past the appointment), with an e-mail
carrying its link. The next suitable entry is the first, in the list's
order, that waits for this procedure, whose days include the slot's day, and
that was never offered this slot. An entry that cannot take it is skipped
(not eligible that day; one that already has an appointment leaves the
list). Entries are locked as they are read, skipping those another offer is
looking at (one at a time), so two places freed at once go to two people.

Accepting confirms the hold (booking.services.holds.confirm_hold); declining
gives it up at once (the person stays on the list and keeps their turn); an
offer left unanswered expires with the hold, and the person leaves the list.
Either way the place is freed as any place is, withheld then offered to the
next entry (`settle_offer` follows the hold's end).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from booking.exceptions import AlreadyBooked, NotEligible, SlotFull
from booking.models import Booking, OutboundEmail
from booking.services.booking import Place, book_appointment
from counters.models import ExceptionalOpening, Slot, WithheldPlace
from counters.selectors import booking_window

from .models import Offer, WaitlistEntry

Status = WaitlistEntry.Status
# Entries looked at per place: enough to get past a few that cannot take it.
CANDIDATES = 50
# An offer shorter than this is not worth making: the place goes on without it.
SHORTEST_OFFER = dt.timedelta(minutes=15)


def offer_deadline(slot: Slot, *, now: dt.datetime) -> dt.datetime | None:
    """Until when an offer of `slot` made now may be accepted, or None if it is too late to offer it.

    WAITLIST_OFFER_MINUTES, never past the appointment; and the slot must be
    within its procedure's booking window (not earlier than the public could
    book it).
    """
    window_start, _end = booking_window(slot.counter_type, now=now)
    deadline = min(now + dt.timedelta(minutes=settings.WAITLIST_OFFER_MINUTES), slot.starts_at)
    if slot.starts_at < window_start or deadline - now < SHORTEST_OFFER:
        return None
    return deadline


def candidates(slot: Slot) -> list[int]:
    """The entries that may be offered `slot`, in the list's order (ids, not locked)."""
    day = slot.starts_at.astimezone(slot.counter_type.site.zone).date()
    offered_this_slot = Offer.objects.filter(entry=OuterRef("pk"), booking__slot_id=slot.pk)
    return list(
        WaitlistEntry.objects.filter(counter_type_id=slot.counter_type_id, status=Status.WAITING)
        .filter(Q(available_from__isnull=True) | Q(available_from__lte=day))
        .filter(Q(available_until__isnull=True) | Q(available_until__gte=day))
        .annotate(suits_day=F("weekdays").bitand(1 << day.weekday()))
        .filter(suits_day__gt=0)
        .filter(~Exists(offered_this_slot))
        .order_by("queued_at", "pk")
        .values_list("pk", flat=True)[:CANDIDATES]
    )


def lock_waiting(entry_id: int) -> WaitlistEntry | None:
    """The entry, locked, if it still waits and no other offer is looking at it (one row at a time: locking
    every candidate at once would hide them all from an offer of another place running alongside)."""
    return (
        # Only the entry's row: its procedure's and site's, locked too, would hide every other entry.
        WaitlistEntry.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(pk=entry_id, status=Status.WAITING)
        .select_related("counter_type__site")
        .first()
    )


def offer_place(*, slot: Slot, now: dt.datetime, withheld: bool) -> Offer | None:
    """Offer one place of `slot` to the next suitable entry, in the caller's transaction; None if nobody takes
    it. `withheld`: the place is a withheld one, already counted in `booked` (else a free one is taken)."""
    deadline = offer_deadline(slot, now=now)
    if deadline is None:
        return None
    place = Place(slot_id=slot.pk, withheld=withheld, hold_until=deadline, notice=OutboundEmail.Kind.WAITLIST_OFFER)
    for entry_id in candidates(slot):
        entry = lock_waiting(entry_id)
        if entry is None:
            continue  # another offer has them, or they left
        try:
            booking = book_appointment(
                counter_type=slot.counter_type,
                starts_at=slot.starts_at,
                person=entry.person,
                language=entry.language,
                answers=entry.answers,
                now=now,
                place=place,
            )
        except NotEligible:
            continue  # not that day (a renewal's window, say): the next one
        except AlreadyBooked:
            _end_entry(entry, status=Status.ENDED, now=now)  # they have an appointment: nothing left to offer
            continue
        except SlotFull:
            return None  # taken meanwhile (an agent's booking): nothing to offer
        entry.status = Status.OFFERED
        entry.save(update_fields=["status"])
        return Offer.objects.create(entry=entry, booking=booking, offered_at=now, expires_at=deadline)
    return None


def offer_withheld_place(place: WithheldPlace, *, now: dt.datetime) -> bool:
    """The waiting list's turn for a withheld place (its row locked by the caller). Returns whether taken."""
    return offer_place(slot=place.slot, now=now, withheld=True) is not None


def offer_free_places(*, slots, now: dt.datetime) -> int:
    """Offer the free public places of these slots to the list, one entry per place. Returns how many."""
    offered = 0
    for slot in slots:
        for _ in range(max(slot.capacity - slot.booked, 0)):
            if offer_place(slot=slot, now=now, withheld=False) is None:
                break
            offered += 1
    return offered


def offer_new_opening(sender, *, opening: ExceptionalOpening, now: dt.datetime, **kwargs) -> int:
    """A first-come opening's places, as its slots are created: the list first, then everyone.

    Called inside the transaction that creates them (counters.signals); a
    lottery's places wait for its draw instead.
    """
    if opening.is_lottery or not WaitlistEntry.objects.filter(status=Status.WAITING).exists():
        return 0
    slots = Slot.objects.filter(opening=opening).select_related("counter_type__site").order_by("starts_at", "pk")
    return offer_free_places(slots=slots, now=now)


def settle_offer(*, booking: Booking, confirmed: bool, now: dt.datetime) -> None:
    """A hold ended, in the transaction that ended it; if it was an offer, its entry follows.

    Confirmed: the entry is booked. Ended before its deadline: declined, the
    person stays on the list with their turn. Expired: they leave it.
    """
    offer = Offer.objects.select_for_update(of=("self",)).filter(booking=booking, outcome="").first()
    if offer is None:
        return
    if confirmed:
        offer.outcome, status = Offer.Outcome.ACCEPTED, Status.BOOKED
    elif now < booking.hold_expires_at:
        offer.outcome, status = Offer.Outcome.DECLINED, Status.WAITING
    else:
        offer.outcome, status = Offer.Outcome.EXPIRED, Status.LAPSED
    offer.answered_at = now
    offer.save(update_fields=["outcome", "answered_at"])
    entry = WaitlistEntry.objects.select_for_update().get(pk=offer.entry_id)
    if entry.status != Status.OFFERED:
        return  # left meanwhile
    if status == Status.WAITING:
        entry.status = status
        entry.save(update_fields=["status"])
    else:
        _end_entry(entry, status=status, now=now)


def _end_entry(entry: WaitlistEntry, *, status: str, now: dt.datetime) -> None:
    entry.status, entry.ended_at = status, now
    entry.save(update_fields=["status", "ended_at"])


@transaction.atomic
def offer_free_places_now(*, slot_ids: list[int], now: dt.datetime | None = None) -> int:
    """The same, in a transaction of its own, for places a job finds free (a lottery's leftovers)."""
    now = now or timezone.now()
    slots = Slot.objects.filter(pk__in=slot_ids).select_related("counter_type__site").order_by("starts_at", "pk")
    return offer_free_places(slots=slots, now=now)
