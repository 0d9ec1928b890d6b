"""Holds: a public booking keeps its place a short while, until its e-mail address is confirmed.

`hold_appointment` takes the place (HELD, for HOLD_MINUTES) and queues the
VERIFICATION e-mail: a 6-digit code and a link, nothing else. The resident
confirms by typing the code on the booking's page or by following the link
(`confirm_hold`); only then is the booking CONFIRMED and the convocation
(CONFIRMATION, with its .ics and PDF) queued, in the same transaction. A hold
not confirmed in time is EXPIRED by a job every minute (`expire_holds`), and
its place freed through the freed-place rule (places.py).

The code is never stored: it is derived from the hold's verification token
(booking.address_check, shared with the lottery's registrations and the
waiting list). Wrong codes are counted on the hold: after
HOLD_MAX_CODE_ATTEMPTS the code stops working (the e-mail's link still does).

The lottery's draw and the waiting list's offers are holds too, made with a
longer deadline and their own first e-mail (services.booking.Place); when a
hold ends, confirmed or expired, `_settled` lets the waiting list follow its
offer.

Whoever asks to book for a person who already has an active booking for the
procedure is answered exactly as if a hold had been made ("check your
e-mail"), and the holder of the existing booking is e-mailed instead: the
answer never tells a stranger that someone has an appointment.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from counters.models import CounterType, WithheldPlace

from ..address_check import check_code, code_for
from ..eligibility import Answers
from ..emails import queue_email
from ..exceptions import AlreadyBooked, HoldExpired, TooManyCancellations
from ..models import Booking, Channel, OutboundEmail
from ..selectors import get_active_booking_for_person
from .booking import PersonData, book_appointment, busy_on_lock_timeout
from .changes import send_access_link
from .places import free_place

Status = Booking.Status


@dataclass(frozen=True)
class HoldResult:
    """What the resident is told is the same either way: "enter the code sent to your address"."""

    booking: Booking | None  # None: the person already had a booking; its holder was e-mailed
    expires_at: dt.datetime


def verification_code(booking: Booking) -> str:
    """The hold's 6-digit code, derived from its verification token."""
    return code_for(booking.verification_token)


def check_rebooking_allowed(*, person: PersonData, now: dt.datetime) -> None:
    """Cancel-and-rebook cycles are limited per identity (a way to hand a place to a buyer).

    REBOOK_MAX_CANCELLATIONS cancellations within REBOOK_WINDOW_DAYS, all
    procedures together, and the identity cannot book online until the oldest
    leaves the window: TooManyCancellations. Bookings released at the desk
    (an identity used by someone else) do not count against the real person.
    """
    foreigner_key, passport_key = person.keys
    same_person = Q(pk__in=[])
    if foreigner_key:
        same_person |= Q(foreigner_key=foreigner_key)
    if passport_key:
        same_person |= Q(passport_key=passport_key)
    days = settings.REBOOK_WINDOW_DAYS
    cancellations = Booking.objects.filter(
        same_person, status=Status.CANCELLED, cancelled_at__gt=now - dt.timedelta(days=days)
    ).count()
    if cancellations >= settings.REBOOK_MAX_CANCELLATIONS:
        raise TooManyCancellations(cancellations=cancellations, days=days)


def hold_appointment(
    *,
    counter_type: CounterType,
    starts_at: dt.datetime,
    person: PersonData,
    language: str = "fr",
    answers: Answers | None = None,
    now: dt.datetime | None = None,
) -> HoldResult:
    """Hold a place for a resident booking online, or e-mail the holder of the booking they already have.

    Raises what book_appointment raises, except AlreadyBooked, and
    TooManyCancellations.
    """
    now = now or timezone.now()
    check_rebooking_allowed(person=person, now=now)
    try:
        booking = book_appointment(
            counter_type=counter_type,
            starts_at=starts_at,
            person=person,
            channel=Channel.ONLINE,
            language=language,
            answers=answers,
            now=now,
        )
    except AlreadyBooked:
        notify_existing_holder(counter_type=counter_type, person=person, now=now)
        return HoldResult(booking=None, expires_at=now + dt.timedelta(minutes=settings.HOLD_MINUTES))
    return HoldResult(booking=booking, expires_at=booking.hold_expires_at)


def notify_existing_holder(*, counter_type: CounterType, person: PersonData, now: dt.datetime) -> None:
    """E-mail the holder of the person's active booking: its link, or its code again if it is a hold.

    At the holder's address, not at the one just typed; the outbox's cap per
    address bounds how often this can be used to write to them.
    """
    foreigner_key, passport_key = person.keys
    booking = get_active_booking_for_person(
        counter_type=counter_type, foreigner_key=foreigner_key, passport_key=passport_key
    )
    if booking is None:
        return  # released in between: nothing to say
    if booking.is_held:
        resend_verification(booking_id=booking.pk, now=now)
    else:
        send_access_link(booking_id=booking.pk, now=now)


def confirm_hold(
    *,
    booking_id: int | None = None,
    token: str | None = None,
    code: str | None = None,
    now: dt.datetime | None = None,
) -> Booking:
    """Confirm a hold, from its link (`token`) or from its `code` typed on the page of the hold `booking_id`.

    Idempotent: a hold already confirmed (a second click, the link after the
    code) returns the booking as it is. Raises HoldExpired (too late, or the
    booking is no longer a hold), WrongCode, TooManyCodeAttempts, ServiceBusy.
    """
    now = now or timezone.now()
    booking, error = busy_on_lock_timeout(_confirm, booking_id=booking_id, token=token, code=code, now=now)
    if error is not None:
        raise error  # after the commit, which kept the count of wrong codes
    return booking


@transaction.atomic
def _confirm(*, booking_id, token, code, now) -> tuple[Booking | None, Exception | None]:
    rows = Booking.objects.select_for_update(of=("self",)).select_related("slot", "counter_type__site")
    booking = rows.filter(verification_token=token).first() if token else rows.filter(pk=booking_id).first()
    if booking is None:
        return None, HoldExpired()
    if booking.confirmed_at is not None:
        return booking, None
    if booking.status != Status.HELD or booking.hold_expires_at <= now:
        return booking, HoldExpired()
    if not token:
        wrong = check_code(booking, token=booking.verification_token, code=code, extra_fields=("updated_at",))
        if wrong is not None:
            return booking, wrong
    booking.status = Status.CONFIRMED
    booking.confirmed_at = now
    booking.save(update_fields=["status", "confirmed_at", "updated_at"])
    queue_email(booking=booking, kind=OutboundEmail.Kind.CONFIRMATION)
    _settled(booking, confirmed=True, now=now)
    return booking, None


def _settled(booking: Booking, *, confirmed: bool, now: dt.datetime) -> None:
    """A hold ended, in the transaction that ended it: if it was a waiting list's offer, the list follows."""
    from booking.waitlist.services import settle_offer  # the waiting list books through this package

    settle_offer(booking=booking, confirmed=confirmed, now=now)


@transaction.atomic
def resend_verification(*, booking_id: int, now: dt.datetime | None = None) -> bool:
    """Send the hold's first e-mail again (the same code and link; for a place given by the draw or offered
    from the waiting list, that e-mail), at most HOLD_MAX_RESENDS times. Returns whether queued."""
    now = now or timezone.now()
    booking = Booking.objects.select_for_update().filter(pk=booking_id).first()
    if booking is None or booking.status != Status.HELD or booking.hold_expires_at <= now:
        return False
    first = booking.emails.filter(kind__in=OutboundEmail.HOLD_KINDS).order_by("pk").first()
    kind = first.kind if first else OutboundEmail.Kind.VERIFICATION
    sent = booking.emails.filter(kind=kind).count()
    if sent > settings.HOLD_MAX_RESENDS:
        return False
    return queue_email(booking=booking, kind=kind, sequence=sent) is not None


def expire_holds(*, now: dt.datetime | None = None, batch: int = 500) -> int:
    """EXPIRE the holds not confirmed in time and free their places. Idempotent; returns how many."""
    now = now or timezone.now()
    ids = list(
        Booking.objects.filter(status=Status.HELD, hold_expires_at__lte=now)
        .order_by("hold_expires_at")
        .values_list("pk", flat=True)[:batch]
    )
    return sum(busy_on_lock_timeout(_expire, booking_id=booking_id, now=now) for booking_id in ids)


@transaction.atomic
def _expire(*, booking_id: int, now: dt.datetime) -> int:
    booking = Booking.objects.select_for_update(skip_locked=True).filter(pk=booking_id).first()
    if booking is None or booking.status != Status.HELD or booking.hold_expires_at > now:
        return 0  # being confirmed right now, or already handled
    _end_hold(booking, now=now)
    return 1


def _end_hold(booking: Booking, *, now: dt.datetime) -> None:
    """EXPIRE a locked hold and free its place: it was never confirmed (in time, or at all)."""
    booking.status = Status.EXPIRED
    booking.save(update_fields=["status", "updated_at"])
    free_place(slot_id=booking.slot_id, reserved=booking.reserved_place, reason=WithheldPlace.Reason.EXPIRED, now=now)
    _settled(booking, confirmed=False, now=now)


def give_up_hold(*, token: str, now: dt.datetime | None = None) -> Booking:
    """The person declines the place held for them (an offer from the waiting list): ended at once.

    Its place is freed as an expired hold's is. Raises HoldExpired for a hold
    no longer waiting: confirmed, given up already, or past its deadline.
    """
    now = now or timezone.now()
    return busy_on_lock_timeout(_give_up, token=token, now=now)


@transaction.atomic
def _give_up(*, token: str, now: dt.datetime) -> Booking:
    booking = Booking.objects.select_for_update().filter(verification_token=token).first()
    if booking is None or booking.status != Status.HELD or booking.hold_expires_at <= now:
        raise HoldExpired()
    _end_hold(booking, now=now)
    return booking
