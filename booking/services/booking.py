"""Writes for bookings: taking a place, atomically, and everything that follows from it."""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import F, Q
from django.utils import timezone

from counters.models import CounterType, Slot
from counters.selectors import public_slots

from ..eligibility import Answers, check_eligibility
from ..emails import queue_email
from ..exceptions import AlreadyBooked, ServiceBusy, SlotFull
from ..identity import identity_key, normalise_foreigner_number, normalise_passport_number
from ..models import Booking, Channel, OutboundEmail
from ..references import new_reference

T = TypeVar("T")
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PersonData:
    last_name: str
    first_names: str
    birth_date: dt.date
    nationality: str
    email: str
    foreigner_number: str = ""
    passport_number: str = ""
    phone: str = ""

    @property
    def keys(self) -> tuple[str | None, str | None]:
        return (
            identity_key("foreigner", normalise_foreigner_number(self.foreigner_number), self.birth_date),
            identity_key("passport", normalise_passport_number(self.passport_number), self.birth_date),
        )


def new_token() -> str:
    return secrets.token_urlsafe(32)


def _has_active_booking(*, counter_type: CounterType, foreigner_key: str | None, passport_key: str | None) -> bool:
    active = Booking.objects.filter(counter_type=counter_type, status__in=Booking.ACTIVE_STATUSES)
    return (foreigner_key is not None and active.filter(foreigner_key=foreigner_key).exists()) or (
        passport_key is not None and active.filter(passport_key=passport_key).exists()
    )


def _insert_booking(booking: Booking, *, attempts: int = 5) -> None:
    """Insert with a fresh reference; the unique constraints refuse a second active booking."""
    for _ in range(attempts):
        booking.reference = new_reference()
        try:
            with transaction.atomic():
                booking.save(force_insert=True)
            return
        except IntegrityError:
            if _has_active_booking(
                counter_type=booking.counter_type,
                foreigner_key=booking.foreigner_key,
                passport_key=booking.passport_key,
            ):
                raise AlreadyBooked() from None
            booking.pk = None  # a reference collision: try another one
    raise IntegrityError("Could not find a free booking reference")


# PostgreSQL's SQLSTATE codes (stable, unlike the message text, which follows the
# server's lc_messages): the lock was not obtained within lock_timeout, the
# transaction was chosen as a deadlock victim, or a statement ran past
# statement_timeout (or was cancelled). In each case the transaction was rolled
# back in full, so "try again in a moment" is both true and safe.
BUSY_SQLSTATES = frozenset({"55P03", "40P01", "57014"})
STATEMENT_TIMEOUT = "57014"
# SQLite (the embedded default) reports a writer it waited for too long as SQLITE_BUSY.
BUSY_SQLITE_CODES = frozenset({sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED})


def is_busy_error(error: OperationalError) -> bool:
    """Whether the database refused for load (a lock, a deadlock, a timeout), judged by its error code."""
    cause = error.__cause__
    pgcode = getattr(cause, "pgcode", None)
    if pgcode is not None:
        return pgcode in BUSY_SQLSTATES
    sqlite_code = getattr(cause, "sqlite_errorcode", None)
    # Extended result codes (SQLITE_BUSY_SNAPSHOT…) keep the primary code in the low byte.
    return sqlite_code is not None and (sqlite_code & 0xFF) in BUSY_SQLITE_CODES


def busy_on_lock_timeout(write: Callable[..., T], **kwargs) -> T:
    """Run `write`; a lock not obtained in time (or a deadlock) becomes ServiceBusy: "try again", not a 500."""
    try:
        return write(**kwargs)
    except OperationalError as error:
        if not is_busy_error(error):
            raise
        if getattr(error.__cause__, "pgcode", None) == STATEMENT_TIMEOUT:
            # Busy for the visitor, but a statement this slow may also be a bad query: keep it visible.
            logger.warning("Statement timeout in %s, answered as busy", write.__name__, exc_info=True)
        raise ServiceBusy() from error


def _take_place(slot_ids: list[int], *, staff: bool = False) -> tuple[int, bool] | None:
    """One conditional UPDATE per candidate: no read-then-write race.

    Returns the slot taken and whether the place came from the share reserved
    to agents. The public only ever takes public places; an agent takes a
    public place first, then a reserved one.
    """
    for slot_id in slot_ids:
        if Slot.objects.filter(pk=slot_id, booked__lt=F("capacity")).update(booked=F("booked") + 1):
            return slot_id, False
        if staff and Slot.objects.filter(pk=slot_id, booked_reserved__lt=F("reserved_capacity")).update(
            booked_reserved=F("booked_reserved") + 1
        ):
            return slot_id, True
    return None


def book_appointment(
    *,
    counter_type: CounterType,
    starts_at: dt.datetime,
    person: PersonData,
    channel: Channel = Channel.ONLINE,
    language: str = "fr",
    answers: Answers | None = None,
    agent=None,
    staff: bool = False,
    now: dt.datetime | None = None,
    place: Place | None = None,
) -> Booking:
    """Take one place at `starts_at` for `counter_type` and record the booking.

    An online booking is a hold (HELD): its place is taken now, and kept
    HOLD_MINUTES for the resident to confirm from the e-mail (the first
    e-mail, VERIFICATION, carries only the code and the link; the
    convocation follows confirmation: booking.services.holds). A booking an
    agent makes for a caller (PHONE, DESK) is confirmed at once: the agent
    has the person in front of them or on the phone.

    `answers` are the eligibility answers (first application or renewal, the
    permit's expiry, the card's availability notice), checked against the
    appointment's day. `staff` lets the booking use the places reserved to
    agents (a booking made for a caller); the public flow never passes it.

    The public books only the slots `counter_selectors.public_slots` lists (a
    lottery opening's are drawn). `place` says otherwise where the place comes
    from, for the draw and the waiting list (see Place).

    Raises NotEligible (OutsideRenewalWindow for a renewal day outside the two
    months before expiry), SlotFull when no counter has a place left at that
    time, AlreadyBooked when the person already holds an active booking for
    the procedure, and ServiceBusy when the database could not take the lock
    in time.
    """
    return busy_on_lock_timeout(
        _book,
        counter_type=counter_type,
        starts_at=starts_at,
        person=person,
        channel=channel,
        language=language,
        answers=answers or Answers(),
        agent=agent,
        staff=staff,
        now=now or timezone.now(),
        place=place or Place(),
    )


@dataclass(frozen=True)
class Place:
    """Where an online booking's place comes from, and how long its hold lasts: by default, any public
    slot at the time with a place left, held HOLD_MINUTES, the code e-mail first.

    The lottery's draw and the waiting list give places the public cannot take: `slot_id` names the
    slot (a lottery opening's too); `withheld` says the place is a withheld one handed over, already
    counted in the slot's `booked` (booking.services.places), so none is taken; `hold_until` is the
    deadline to confirm, and `notice` the first e-mail (the offer instead of the code).
    """

    slot_id: int | None = None
    withheld: bool = False
    hold_until: dt.datetime | None = None
    notice: str = OutboundEmail.Kind.VERIFICATION


def _candidate_slots(*, counter_type, starts_at, staff: bool, place: Place) -> list[int]:
    """The slots the booking may take its place in, the emptiest first."""
    open_places = Q(booked__lt=F("capacity"))
    if staff:
        open_places |= Q(booked_reserved__lt=F("reserved_capacity"))
    if place.slot_id is not None:
        slots = Slot.objects.filter(pk=place.slot_id)
    else:
        slots = Slot.objects.all() if staff else public_slots()
    if not place.withheld:
        slots = slots.filter(open_places)
    slots = slots.filter(counter_type=counter_type, starts_at=starts_at)
    return list(slots.order_by("booked", "pk").values_list("pk", flat=True))


def appointment_day(counter_type: CounterType, starts_at: dt.datetime) -> dt.date:
    """The day of an appointment, as the site counts days."""
    return starts_at.astimezone(ZoneInfo(counter_type.site.time_zone)).date()


@transaction.atomic
def _book(*, counter_type, starts_at, person, channel, language, answers, agent, staff, now, place) -> Booking:
    check_eligibility(counter_type=counter_type, on=appointment_day(counter_type, starts_at), answers=answers, now=now)
    candidates = _candidate_slots(counter_type=counter_type, starts_at=starts_at, staff=staff, place=place)
    if not candidates:
        raise SlotFull()
    foreigner_key, passport_key = person.keys
    if _has_active_booking(counter_type=counter_type, foreigner_key=foreigner_key, passport_key=passport_key):
        raise AlreadyBooked()
    held = channel == Channel.ONLINE
    booking = Booking(
        token=new_token(),
        status=Booking.Status.HELD if held else Booking.Status.CONFIRMED,
        hold_expires_at=(place.hold_until or now + dt.timedelta(minutes=settings.HOLD_MINUTES)) if held else None,
        verification_token=new_token() if held else None,
        confirmed_at=None if held else now,
        slot_id=candidates[0],
        counter_type=counter_type,
        channel=channel,
        last_name=person.last_name.strip(),
        first_names=person.first_names.strip(),
        birth_date=person.birth_date,
        nationality=person.nationality,
        foreigner_number=normalise_foreigner_number(person.foreigner_number),
        passport_number=normalise_passport_number(person.passport_number),
        foreigner_key=foreigner_key,
        passport_key=passport_key,
        email=person.email.strip(),
        phone=person.phone.strip(),
        language=language,
        application_kind=answers.application_kind,
        permit_expires_on=answers.permit_expires_on,
        created_by=agent,
    )
    if agent is not None:
        booking._history_user = agent  # the audit trail names the agent, also outside a request
    _insert_booking(booking)
    queue_email(booking=booking, kind=place.notice if held else OutboundEmail.Kind.CONFIRMATION)
    # Last, so the slot row stays locked only from here to the commit.
    taken = (candidates[0], False) if place.withheld else _take_place(candidates, staff=staff)
    if taken is None:
        raise SlotFull()  # rolls back the booking and its e-mail
    slot_id, reserved = taken
    if (slot_id, reserved) != (booking.slot_id, False):
        booking.slot_id, booking.reserved_place = slot_id, reserved
        booking.save(update_fields=["slot", "reserved_place"])  # through save(): the audit trail records it
    return booking
