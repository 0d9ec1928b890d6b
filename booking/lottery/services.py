"""Registering for a lottery opening (the draw itself is in drawing.py).

An opening in lottery mode (ExceptionalOpening.mode) takes registrations from
`registration_opens_at` to `registration_closes_at`, for one of its
procedures: the eligibility answers, checked by the same rule as a booking
against the opening's day; the identity; an e-mail address proved by a code
or a link (booking.address_check) before the window closes, or the
registration does not count. The proof of work and the rate limits are the
views'.

One registration per person and lottery: the database refuses a second
(unique indexes on the registration hash and the identity keys). A second
request gets the same answer as the first ("check your e-mail"); whoever
registered is e-mailed again at their address instead, so that the answer
tells no stranger that someone registered. When or how fast one registers
changes nothing: the order comes from the draw alone (draw.py).

After the draw, someone not drawn may join the procedure's waiting list in
one step (`join_waiting_list_from`): their address is proved already.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from booking.address_check import prove_address, resend_code, verify_deadline
from booking.eligibility import Answers, check_eligibility
from booking.emails import queue_email
from booking.exceptions import NotEligible, RegistrationClosed
from booking.models import OutboundEmail
from booking.services.booking import PersonData, busy_on_lock_timeout, new_token
from booking.waitlist.services import Days, JoinResult, join_waiting_list
from counters.models import CounterType, ExceptionalOpening

from . import draw
from .models import Lottery, Registration

Status = Registration.Status
Kind = OutboundEmail.Kind
# A second request for the same person: their registration's e-mail is sent again at most this many times.
MAX_REPEATS = 2


@dataclass(frozen=True)
class RegisterResult:
    """What the person is told is the same either way: "enter the code sent to your address"."""

    registration: Registration | None  # None: registered already; the registration's address was e-mailed
    verify_before: dt.datetime


def ensure_lottery(opening: ExceptionalOpening) -> Lottery:
    """The opening's lottery, its seed drawn (and its commitment fixed) the first time it is asked for."""
    seed = draw.new_seed()
    lottery, _ = Lottery.objects.get_or_create(
        opening=opening, defaults={"seed": seed, "seed_commitment": draw.commitment(seed)}
    )
    return lottery


def is_registration_open(opening: ExceptionalOpening, *, now: dt.datetime) -> bool:
    return (
        opening.is_lottery
        and opening.published_at is not None
        and opening.published_at <= now
        and opening.registration_opens_at <= now < opening.registration_closes_at
    )


def check_registration(
    *, opening: ExceptionalOpening, counter_type: CounterType, answers: Answers, now: dt.datetime
) -> None:
    """May one register now for this opening and procedure with these answers? RegistrationClosed,
    NotEligible (the booking rule, against the opening's day)."""
    if not is_registration_open(opening, now=now) or not opening.counter_types.filter(pk=counter_type.pk).exists():
        raise RegistrationClosed()
    check_eligibility(counter_type=counter_type, on=opening.date, answers=answers, now=now)


def register(
    *,
    opening: ExceptionalOpening,
    counter_type: CounterType,
    person: PersonData,
    answers: Answers,
    language: str = "fr",
    now: dt.datetime | None = None,
) -> RegisterResult:
    """Register a person for the opening's draw, their address to prove by the code sent.

    Raises RegistrationClosed, NotEligible, ServiceBusy.
    """
    now = now or timezone.now()
    check_registration(opening=opening, counter_type=counter_type, answers=answers, now=now)
    lottery = ensure_lottery(opening)
    return busy_on_lock_timeout(
        _register,
        lottery=lottery,
        counter_type=counter_type,
        person=person,
        answers=answers,
        language=language,
        now=now,
    )


def _same_person(keys: tuple[str | None, str | None]) -> Q:
    foreigner_key, passport_key = keys
    same = Q(pk__in=[])
    if foreigner_key:
        same |= Q(foreigner_key=foreigner_key)
    if passport_key:
        same |= Q(passport_key=passport_key)
    return same


@transaction.atomic
def _register(*, lottery, counter_type, person, answers, language, now) -> RegisterResult:
    opening = lottery.opening
    same = Registration.objects.filter(_same_person(person.keys), lottery=lottery)
    # A registration whose address was never proved in time is forgotten: it must not keep the person out.
    same.filter(status=Status.PENDING, verify_before__lte=now).delete()
    registration = Registration(
        lottery=lottery,
        counter_type=counter_type,
        token=new_token(),
        verification_token=new_token(),
        # Proved before the window closes, or not at all: the draw takes only proved addresses.
        verify_before=min(verify_deadline(now), opening.registration_closes_at),
    )
    registration.fill(person=person, answers=answers, language=language)
    registration.registration_hash = draw.registration_hash(
        opening_id=opening.pk, identity_key=registration.identity_key
    )
    try:
        with transaction.atomic():
            registration.save(force_insert=True)
    except IntegrityError:
        existing = same.first()
        if existing is None:
            raise
        _notify_again(existing, now=now)
        return RegisterResult(registration=None, verify_before=registration.verify_before)
    queue_email(about=registration, kind=Kind.LOTTERY_CODE)
    return RegisterResult(registration=registration, verify_before=registration.verify_before)


def _notify_again(registration: Registration, *, now: dt.datetime) -> None:
    """E-mail whoever registered, at their address: their code again, or their registration's link."""
    if registration.status == Status.PENDING:
        resend_code(Registration.objects, pk=registration.pk, kind=Kind.LOTTERY_CODE, now=now)
        return
    sent = registration.emails.filter(kind=Kind.LOTTERY_REGISTERED).count()
    if sent <= MAX_REPEATS:
        queue_email(about=registration, kind=Kind.LOTTERY_REGISTERED, sequence=sent)


def confirm_registration(
    *,
    registration_id: int | None = None,
    token: str | None = None,
    code: str | None = None,
    now: dt.datetime | None = None,
) -> Registration:
    """Prove the registration's address, by its code or its link: it then takes part in the draw.
    Idempotent. Raises AddressCheckExpired, WrongCode, TooManyCodeAttempts, ServiceBusy."""
    now = now or timezone.now()
    registration, error = busy_on_lock_timeout(
        _confirm, registration_id=registration_id, token=token, code=code, now=now
    )
    if error is not None:
        raise error  # after the commit, which kept the count of wrong codes
    return registration


@transaction.atomic
def _confirm(*, registration_id, token, code, now):
    def take_part(registration: Registration) -> None:
        registration.status = Status.REGISTERED
        registration.save(update_fields=["status", "verified_at"])
        queue_email(about=registration, kind=Kind.LOTTERY_REGISTERED)

    # A code expires at the latest when the window closes (verify_before): none is proved after, and the draw,
    # a minute later at the earliest, forgets those still pending.
    return prove_address(
        Registration.objects.all(), pk=registration_id, token=token, code=code, now=now, on_proved=take_part
    )


@transaction.atomic
def resend_registration_code(*, registration_id: int, now: dt.datetime | None = None) -> bool:
    """The registration's code and link again (at most HOLD_MAX_RESENDS times). Returns whether queued."""
    now = now or timezone.now()
    return resend_code(Registration.objects, pk=registration_id, kind=Kind.LOTTERY_CODE, now=now)


def join_waiting_list_from(*, registration: Registration, days: Days, now: dt.datetime | None = None) -> JoinResult:
    """Someone not drawn joins the procedure's waiting list with what they registered with (address proved).

    Raises NotEligible (a registration never proved has nothing to join
    with), ServiceBusy.
    """
    if registration.verified_at is None or registration.anonymised_at is not None:
        raise NotEligible()
    return join_waiting_list(
        counter_type=registration.counter_type,
        person=registration.person,
        answers=registration.answers,
        days=days,
        language=registration.language,
        verified=True,
        now=now,
    )
