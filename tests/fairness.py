"""Lottery openings and waiting lists as the tests need them: set up through the services, as people would."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from booking.eligibility import Answers
from booking.lottery.models import Registration
from booking.lottery.services import confirm_registration, register
from booking.waitlist.services import Days, confirm_entry, join_waiting_list
from counters.models import ExceptionalOpening, Slot
from counters.services import publish_opening
from tests.factories import CounterTypeFactory, ExceptionalOpeningFactory, next_weekday, person

HOUR = dt.timedelta(hours=1)


def lottery_opening(
    *,
    places: int = 3,
    counter_types=None,
    now: dt.datetime | None = None,
    priority: str = ExceptionalOpening.Priority.NONE,
    confirm_hours: int = 48,
    end_time: dt.time = dt.time(9, 15),
) -> ExceptionalOpening:
    """An opening in lottery mode on a Saturday over a week ahead, its window open around `now` (closing an hour
    later), published, its slots created: one slot per procedure from 09:00 by default."""
    now = now or timezone.now()
    if counter_types is None:
        counter_types = [CounterTypeFactory(name="Admission exceptionnelle au séjour")]
    # A week ahead at least: a place passed on after two 48-hour deadlines is still before it.
    day = next_weekday(5, after=timezone.localdate(now) + dt.timedelta(days=7))
    opening = ExceptionalOpeningFactory(
        site=counter_types[0].site,
        date=day,
        start_time=dt.time(9, 0),
        end_time=end_time,
        places=places,
        counter_types=counter_types,
        published_at=None,
        mode=ExceptionalOpening.Mode.LOTTERY,
        registration_opens_at=now - HOUR,
        registration_closes_at=now + HOUR,
        confirm_hours=confirm_hours,
        priority_rule=priority,
    )
    publish_opening(opening=opening, at=now - 2 * HOUR)
    opening.refresh_from_db()
    return opening


def draw_time(opening: ExceptionalOpening) -> dt.datetime:
    """A minute after the window closed: when the job draws."""
    return opening.registration_closes_at + dt.timedelta(minutes=1)


def registered(opening, n: int = 0, *, counter_type=None, answers=None, now=None, **overrides) -> Registration:
    """Someone registered for the lottery, their address proved with the e-mail's link."""
    now = now or timezone.now()
    result = register(
        opening=opening,
        counter_type=counter_type or opening.counter_types.first(),
        person=person(n, **overrides),
        answers=answers or Answers(),
        now=now,
    )
    return confirm_registration(token=result.registration.verification_token, now=now)


def waiting(counter_type, n: int = 0, *, days: Days | None = None, now=None, answers=None, **overrides):
    """Someone on the procedure's waiting list, their address proved."""
    now = now or timezone.now()
    result = join_waiting_list(
        counter_type=counter_type,
        person=person(n, **overrides),
        answers=answers or Answers(),
        days=days or Days(),
        now=now,
    )
    return confirm_entry(token=result.entry.verification_token, now=now)


def slot_of(opening) -> Slot:
    return Slot.objects.filter(opening=opening).order_by("starts_at", "pk").first()
