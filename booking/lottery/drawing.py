"""Drawing a lottery when its registration window closes, and giving its places in the draw's order.

`draw_due_lotteries` (Celery beat, every minute; idempotent) draws each
lottery whose window has closed. One transaction per lottery, its row locked
(SKIP LOCKED: two workers never draw it twice): registrations whose address
was never proved are forgotten, each other one gets its priority class
(priority.py) and its rank (draw.py), the seed is revealed (`drawn_at`).
Then, in the same transaction, the places: in rank order, each person gets a
place of the opening for their procedure, the earliest left, as a hold made
by the booking service (the eligibility rule checked against the day, one
appointment per person and procedure), to confirm within the opening's
`confirm_hours` (never past the appointment), by the e-mailed link or code.
Whoever cannot have one is skipped (an appointment already, say); whoever
finds none left is told they were not drawn, with their rank in the reserve,
and may join the waiting list. Places nobody registered for go to the
waiting list.

A place not confirmed in time is freed as any held place is
(booking.services.places): withheld, then at its release time offered to
the next in the reserve for that procedure (`pass_to_next_drawn`), then to
the waiting list. Places found free later in a drawn lottery's slots (the
reserve and the list had nobody for them then) are offered the same way by
`give_leftover_places`, every minute.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from booking.emails import queue_email
from booking.exceptions import AlreadyBooked, NotEligible, SlotFull
from booking.models import OutboundEmail
from booking.services.booking import Place, book_appointment, busy_on_lock_timeout
from booking.waitlist.models import WaitlistEntry
from booking.waitlist.offers import SHORTEST_OFFER, offer_free_places
from counters.models import ExceptionalOpening, Slot, WithheldPlace

from . import draw
from .models import Lottery, Registration
from .priority import priority_class
from .services import ensure_lottery

Status = Registration.Status
TAKEN, SKIPPED, FULL = "taken", "skipped", "full"
# Reserve registrations looked at per freed place.
CANDIDATES = 50


def draw_due_lotteries(*, now: dt.datetime | None = None) -> int:
    """Set up the lotteries of published openings, draw those whose window has closed, give leftover places.
    Returns how many were drawn."""
    now = now or timezone.now()
    for opening in ExceptionalOpening.objects.published(now).filter(
        mode=ExceptionalOpening.Mode.LOTTERY, lottery__isnull=True
    ):
        ensure_lottery(opening)
    due = Lottery.objects.filter(drawn_at__isnull=True, opening__registration_closes_at__lte=now)
    drawn = sum(busy_on_lock_timeout(draw_lottery, lottery_id=pk, now=now) for pk in due.values_list("pk", flat=True))
    give_leftover_places(now=now)
    return drawn


@transaction.atomic
def draw_lottery(*, lottery_id: int, now: dt.datetime) -> int:
    """Draw one lottery and give its places (see the module). Returns 1 if drawn now, 0 if not due or done."""
    lottery = (
        Lottery.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("opening__site")
        .filter(pk=lottery_id, drawn_at__isnull=True)
        .first()
    )
    if lottery is None or lottery.opening.registration_closes_at > now:
        return 0
    opening = lottery.opening
    lottery.registrations.filter(status=Status.PENDING).delete()
    registrations = list(lottery.registrations.filter(status=Status.REGISTERED).select_related("counter_type__site"))
    for registration in registrations:
        registration.priority = priority_class(opening.priority_rule, answers=registration.answers, day=opening.date)
    ordered = draw.draw_order(lottery.seed, registrations)
    for rank, registration in enumerate(ordered, start=1):
        registration.rank = rank
    Registration.objects.bulk_update(ordered, ["priority", "rank"])
    lottery.drawn_at, lottery.priority_rule = now, opening.priority_rule
    lottery.save(update_fields=["drawn_at", "priority_rule"])
    _give_places(opening, ordered, now=now)
    return 1


def _give_places(opening: ExceptionalOpening, ordered: list[Registration], *, now: dt.datetime) -> None:
    slots = list(
        opening.slots.filter(starts_at__gt=now).select_related("opening", "counter_type__site").order_by("starts_at")
    )
    free = {slot.pk: slot.capacity - slot.booked for slot in slots}
    by_procedure: dict[int, list[Slot]] = defaultdict(list)
    for slot in slots:
        by_procedure[slot.counter_type_id].append(slot)
    for registration in ordered:
        outcome = FULL
        for slot in by_procedure[registration.counter_type_id]:
            if free[slot.pk] <= 0:
                continue
            outcome = _give_place(registration, slot, now=now, withheld=False)
            if outcome != FULL:
                free[slot.pk] -= outcome == TAKEN
                break
            free[slot.pk] = 0  # taken meanwhile (an agent's booking): the next slot
        if outcome == FULL:
            _put_in_reserve(registration)
    offer_free_places(slots=[slot for slot in slots if free[slot.pk] > 0], now=now)


def _deadline(slot: Slot, *, now: dt.datetime) -> dt.datetime | None:
    """Until when a drawn person may confirm: the opening's `confirm_hours`, never past the appointment."""
    deadline = min(now + dt.timedelta(hours=slot.opening.confirm_hours), slot.starts_at)
    return deadline if deadline - now >= SHORTEST_OFFER else None


def _give_place(registration: Registration, slot: Slot, *, now: dt.datetime, withheld: bool) -> str:
    """Hold a place of `slot` for `registration` (a savepoint): TAKEN, SKIPPED (cannot have it) or FULL."""
    deadline = _deadline(slot, now=now)
    if deadline is None:
        return FULL
    place = Place(slot_id=slot.pk, withheld=withheld, hold_until=deadline, notice=OutboundEmail.Kind.LOTTERY_DRAWN)
    try:
        booking = book_appointment(
            counter_type=slot.counter_type,
            starts_at=slot.starts_at,
            person=registration.person,
            language=registration.language,
            answers=registration.answers,
            now=now,
            place=place,
        )
    except (NotEligible, AlreadyBooked):
        registration.status = Status.SKIPPED
        registration.save(update_fields=["status"])
        return SKIPPED
    except SlotFull:
        return FULL
    registration.status, registration.booking = Status.DRAWN, booking
    registration.save(update_fields=["status", "booking"])
    return TAKEN


def _put_in_reserve(registration: Registration) -> None:
    registration.status = Status.RESERVE
    registration.save(update_fields=["status"])
    queue_email(about=registration, kind=OutboundEmail.Kind.LOTTERY_NOT_DRAWN)


def _next_in_reserve_takes(slot: Slot, *, now: dt.datetime, withheld: bool) -> bool:
    """Give a place of a drawn lottery's slot to the first in its reserve who can have it."""
    reserve = Registration.objects.filter(
        lottery__opening_id=slot.opening_id,
        lottery__drawn_at__isnull=False,
        counter_type_id=slot.counter_type_id,
        status=Status.RESERVE,
    )
    for registration_id in reserve.order_by("rank").values_list("pk", flat=True)[:CANDIDATES]:
        # Locked one at a time: another place given alongside goes to the next one, not to nobody.
        registration = (
            Registration.objects.select_for_update(skip_locked=True)
            .filter(pk=registration_id, status=Status.RESERVE)
            .first()
        )
        if registration is None:
            continue
        outcome = _give_place(registration, slot, now=now, withheld=withheld)
        if outcome != SKIPPED:
            return outcome == TAKEN
    return False


def pass_to_next_drawn(place: WithheldPlace, *, now: dt.datetime) -> bool:
    """A withheld place of a drawn lottery (not confirmed, cancelled): the reserve's turn, before the waiting
    list's. Called with the place's row locked; returns whether someone took it."""
    if place.slot.opening_id is None:
        return False
    slot = Slot.objects.select_related("opening", "counter_type__site").get(pk=place.slot_id)
    if not slot.opening.is_lottery:
        return False
    return _next_in_reserve_takes(slot, now=now, withheld=True)


def give_leftover_places(*, now: dt.datetime | None = None) -> int:
    """Free places of drawn lotteries' coming slots: the reserve first, then the waiting list. Returns how many
    were given. Each slot in a transaction of its own; slots nobody waits for are not looked at."""
    now = now or timezone.now()
    slots = Slot.objects.filter(
        opening__mode=ExceptionalOpening.Mode.LOTTERY,
        opening__lottery__drawn_at__isnull=False,
        starts_at__gt=now,
        booked__lt=F("capacity"),
    ).values_list("pk", "opening_id", "counter_type_id")
    waiting = set(
        WaitlistEntry.objects.filter(status=WaitlistEntry.Status.WAITING).values_list("counter_type_id", flat=True)
    )
    in_reserve = set(
        Registration.objects.filter(status=Status.RESERVE, lottery__drawn_at__isnull=False).values_list(
            "lottery__opening_id", "counter_type_id"
        )
    )
    wanted = [pk for pk, opening_id, type_id in slots if type_id in waiting or (opening_id, type_id) in in_reserve]
    return sum(busy_on_lock_timeout(_give_leftovers, slot_id=pk, now=now) for pk in wanted)


@transaction.atomic
def _give_leftovers(*, slot_id: int, now: dt.datetime) -> int:
    slot = Slot.objects.select_related("opening", "counter_type__site").get(pk=slot_id)
    given = 0
    for _ in range(max(slot.capacity - slot.booked, 0)):
        if not _next_in_reserve_takes(slot, now=now, withheld=False):
            break
        given += 1
    slot.refresh_from_db(fields=["booked"])
    return given + offer_free_places(slots=[slot], now=now)


def reproduce_draw(lottery: Lottery) -> list[str]:
    """The registration hashes in the order the published seed and classes give, computed again."""
    drawn = lottery.registrations.exclude(rank__isnull=True).only("registration_hash", "priority")
    return [registration.registration_hash for registration in draw.draw_order(lottery.seed, drawn)]


def recorded_order(lottery: Lottery) -> list[str]:
    """The registration hashes in the order recorded at the draw (their ranks)."""
    ranked = lottery.registrations.exclude(rank__isnull=True).order_by("rank")
    return list(ranked.values_list("registration_hash", flat=True))
