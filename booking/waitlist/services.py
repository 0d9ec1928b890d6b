"""Joining and leaving a waiting list (offers are in offers.py).

Whoever finds no place for a procedure joins its list with the days they can
come (weekdays, and a first and last day if they wish), their eligibility
answers, their identity and an e-mail address, proved by a code or a link
(booking.address_check) within EMAIL_CHECK_MINUTES. The answers are checked
now as far as they can be without a day (`check_answers`; a renewal's days
are narrowed to the two months before expiry), and against the slot's day
when a place is offered (the booking service checks every booking so).

One entry per person and procedure while it waits: the database refuses a
second (unique indexes on the identity keys, as for bookings). A second
request gets the same answer as the first ("check your e-mail"); whoever
made the entry is e-mailed again at their address instead, so that the
answer never tells a stranger that someone is on a list.

The order is first come, first served, from the moment the address was
proved (`queued_at`). Joining takes no place, so there is no rush to win:
the list rewards having waited longest, which is what a queue is for. What
keeps scripts out is elsewhere: an entry needs an identity (one per person),
a mailbox that answers, a proof of work and the rate limits; and the places
themselves are never bookable by whoever refreshes fastest.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from booking.address_check import prove_address, resend_code, verify_deadline
from booking.eligibility import Answers, bookable_days, check_answers
from booking.emails import queue_email
from booking.exceptions import HoldExpired, NotEligible, OfferGone
from booking.models import OutboundEmail
from booking.services.booking import PersonData, busy_on_lock_timeout, new_token
from booking.services.holds import give_up_hold
from counters.models import CounterType
from counters.selectors import site_today

from .models import ALL_WEEKDAYS, WaitlistEntry
from .offers import offer_new_opening, offer_withheld_place, settle_offer

__all__ = [
    "JoinResult",
    "confirm_entry",
    "join_waiting_list",
    "leave_waiting_list",
    "offer_new_opening",
    "offer_withheld_place",
    "resend_entry_code",
    "settle_offer",
]

Status = WaitlistEntry.Status
Kind = OutboundEmail.Kind
# A second request for the same person: their entry's e-mail is sent again at most this many times.
MAX_REPEATS = 2


@dataclass(frozen=True)
class JoinResult:
    """What the person is told is the same either way: "enter the code sent to your address"."""

    entry: WaitlistEntry | None  # None: the person was on the list already; the entry's address was e-mailed
    verify_before: dt.datetime


@dataclass(frozen=True)
class Days:
    weekdays: int = ALL_WEEKDAYS
    first: dt.date | None = None
    last: dt.date | None = None


def weekdays_mask(weekdays) -> int:
    return sum(1 << int(day) for day in set(weekdays))


def check_days(*, counter_type: CounterType, answers: Answers, days: Days, now: dt.datetime) -> Days:
    """The days the entry will be offered: as asked, within a renewal's window. NotEligible if none is left."""
    first, last = days.first, days.last
    window = bookable_days(counter_type, answers=answers)
    if window is not None:
        first, last = max(first or window.first, window.first), min(last or window.last, window.last)
    today = site_today(counter_type.site, now=now)
    if days.weekdays & ALL_WEEKDAYS == 0 or (last is not None and (last < today or (first and first > last))):
        raise NotEligible(
            _("Aucun jour ne correspond à votre demande : vérifiez les jours indiqués."), field="available_until"
        )
    return Days(days.weekdays & ALL_WEEKDAYS, first, last)


def join_waiting_list(
    *,
    counter_type: CounterType,
    person: PersonData,
    answers: Answers,
    days: Days,
    language: str = "fr",
    verified: bool = False,
    now: dt.datetime | None = None,
) -> JoinResult:
    """Put a person on the procedure's list, their address to prove by the code sent (or `verified` already,
    for a lottery registrant). Raises NotEligible, ServiceBusy."""
    now = now or timezone.now()
    check_answers(counter_type, answers)
    days = check_days(counter_type=counter_type, answers=answers, days=days, now=now)
    return busy_on_lock_timeout(
        _join,
        counter_type=counter_type,
        person=person,
        answers=answers,
        days=days,
        language=language,
        verified=verified,
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
def _join(*, counter_type, person, answers, days, language, verified, now) -> JoinResult:
    same = WaitlistEntry.objects.filter(_same_person(person.keys), counter_type=counter_type)
    # An entry whose address was never proved in time is forgotten: it must not keep the person out.
    same.filter(status=Status.PENDING, verify_before__lte=now).delete()
    entry = WaitlistEntry(
        counter_type=counter_type,
        token=new_token(),
        verification_token=new_token(),
        verify_before=verify_deadline(now),
        weekdays=days.weekdays,
        available_from=days.first,
        available_until=days.last,
    )
    entry.fill(person=person, answers=answers, language=language)
    if verified:
        entry.verified_at = entry.queued_at = now
        entry.status = Status.WAITING
    try:
        with transaction.atomic():
            entry.save(force_insert=True)
    except IntegrityError:
        existing = same.filter(status__in=WaitlistEntry.ACTIVE_STATUSES).first()
        if existing is None:
            raise
        _notify_again(existing, now=now)
        return JoinResult(entry=None, verify_before=entry.verify_before)
    queue_email(about=entry, kind=Kind.WAITLIST_JOINED if verified else Kind.WAITLIST_CODE)
    return JoinResult(entry=entry, verify_before=entry.verify_before)


def _notify_again(entry: WaitlistEntry, *, now: dt.datetime) -> None:
    """E-mail whoever made this entry, at their address: their code again, or their entry's link."""
    if entry.status == Status.PENDING:
        resend_code(WaitlistEntry.objects, pk=entry.pk, kind=Kind.WAITLIST_CODE, now=now)
        return
    sent = entry.emails.filter(kind=Kind.WAITLIST_JOINED).count()
    if sent <= MAX_REPEATS:
        queue_email(about=entry, kind=Kind.WAITLIST_JOINED, sequence=sent)


def confirm_entry(
    *, entry_id: int | None = None, token: str | None = None, code: str | None = None, now: dt.datetime | None = None
) -> WaitlistEntry:
    """Prove the entry's address, by its code (on the page of `entry_id`) or its link (`token`): it then
    waits its turn. Idempotent. Raises AddressCheckExpired, WrongCode, TooManyCodeAttempts, ServiceBusy."""
    now = now or timezone.now()
    entry, error = busy_on_lock_timeout(_confirm, entry_id=entry_id, token=token, code=code, now=now)
    if error is not None:
        raise error  # after the commit, which kept the count of wrong codes
    return entry


@transaction.atomic
def _confirm(*, entry_id, token, code, now):
    def start_waiting(entry: WaitlistEntry) -> None:
        entry.status = Status.WAITING
        entry.queued_at = now
        entry.save(update_fields=["status", "verified_at", "queued_at"])
        queue_email(about=entry, kind=Kind.WAITLIST_JOINED)

    return prove_address(
        WaitlistEntry.objects.all(), pk=entry_id, token=token, code=code, now=now, on_proved=start_waiting
    )


@transaction.atomic
def resend_entry_code(*, entry_id: int, now: dt.datetime | None = None) -> bool:
    """The entry's code and link again (at most HOLD_MAX_RESENDS times). Returns whether queued."""
    return resend_code(WaitlistEntry.objects, pk=entry_id, kind=Kind.WAITLIST_CODE, now=now or timezone.now())


def leave_waiting_list(*, token: str, now: dt.datetime | None = None) -> WaitlistEntry:
    """The person leaves the list; a place offered to them and not yet accepted is given up first.

    An entry no longer waiting (left already, its place booked) is left as it
    is. Raises OfferGone for an unknown link, ServiceBusy.
    """
    now = now or timezone.now()
    entry = WaitlistEntry.objects.filter(token=token).first()
    if entry is None:
        raise OfferGone()
    pending = entry.offers.filter(outcome="").select_related("booking").first()
    if pending is not None:
        try:
            give_up_hold(token=pending.booking.verification_token, now=now)
        except HoldExpired:
            pass  # accepted or expired meanwhile: the entry says which
    return busy_on_lock_timeout(_leave, entry_id=entry.pk, now=now)


@transaction.atomic
def _leave(*, entry_id: int, now: dt.datetime) -> WaitlistEntry:
    entry = WaitlistEntry.objects.select_for_update().get(pk=entry_id)
    if entry.status not in (Status.PENDING, Status.WAITING):
        return entry  # left already, or no longer waiting (booked, say): nothing to change
    entry.status, entry.ended_at = Status.LEFT, now
    entry.save(update_fields=["status", "ended_at"])
    return entry
