"""Demo appointments, so that the day agenda has people to check in right after `make run`.

They are for today as the site counts days, whatever the hour: at 22:00 the
agenda of the day still has people to check in (some of them "late"). Slots
of today are created for them even when their hour has passed.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import F
from django.utils import timezone

from counters.models import CounterType, Site, Slot
from counters.selectors import day_bounds, site_today
from counters.services import generate_site_slots

from .eligibility import Answers
from .models import ApplicationKind, Booking, Channel
from .services import PersonData, book_appointment, book_for_caller, confirm_hold

DEMO_EMAIL_DOMAIN = "demo.example.org"
DEMO_PEOPLE = [
    ("Diallo", "Aminata", "SN", dt.date(1990, 5, 17)),
    ("Nguyen", "Thi Lan", "VN", dt.date(1987, 11, 2)),
    ("Benali", "Karim", "DZ", dt.date(1979, 1, 23)),
    ("Silva", "Ana", "BR", dt.date(1995, 8, 30)),
    ("Koné", "Ibrahim", "CI", dt.date(2001, 3, 9)),
    ("Popescu", "Elena", "RO", dt.date(1984, 6, 14)),
]
# When today has no opening hours (a weekend, a public holiday), the next days that have some.
DAYS_TO_LOOK_AHEAD = 7


def demo_answers(counter_type: CounterType, *, day: dt.date, index: int) -> Answers:
    """Answers that the procedure's rule accepts on `day`: a first application or a renewal, a card ready…"""
    Rule = CounterType.Eligibility
    if counter_type.eligibility == Rule.RENEWAL:
        if index % 2:
            return Answers(ApplicationKind.PERMIT_RENEWAL, permit_expires_on=day + dt.timedelta(days=30))
        return Answers(ApplicationKind.FIRST)
    if counter_type.eligibility == Rule.EXPIRED_PERMIT:
        return Answers(permit_expires_on=day - dt.timedelta(days=10))
    return Answers(card_ready=counter_type.eligibility == Rule.CARD_READY)


def _demo_day_slots(site: Site, *, now: dt.datetime) -> tuple[dt.date, list[Slot]]:
    """Today's slots with places, past hours included; or those of the next day that has some."""
    today = site_today(site, now=now)
    for offset in range(DAYS_TO_LOOK_AHEAD + 1):
        day = today + dt.timedelta(days=offset)
        start, end = day_bounds(day, site.zone)
        generate_site_slots(site=site, start=day, end=day, now=start)  # the hours already past too
        slots = list(
            Slot.objects.filter(counter_type__site=site, starts_at__gte=start, starts_at__lt=end)
            .filter(booked__lt=F("capacity"))
            .select_related("counter_type__site")
            .order_by("starts_at", "counter_type__position", "pk")
        )
        if slots:
            return day, slots
    return today, []


def _spread(slots: list[Slot], count: int) -> list[Slot]:
    """`count` slots spread over the day (one per procedure and time): the agenda shows hours past and to come."""
    by_time: dict[tuple[int, dt.datetime], Slot] = {}
    for slot in slots:
        by_time.setdefault((slot.counter_type_id, slot.starts_at), slot)
    distinct = list(by_time.values())
    if len(distinct) <= count:
        return distinct
    step = len(distinct) / count
    return [distinct[int(index * step)] for index in range(count)]


def seed_demo_bookings(*, site: Site, agent, now: dt.datetime | None = None) -> list[Booking]:
    """A handful of appointments today in the site's time zone (the next open day if today has no hours).

    Idempotent: a second run the same day returns the same appointments.
    """
    now = now or timezone.now()
    day, slots = _demo_day_slots(site, now=now)
    start, end = day_bounds(day, site.zone)
    demo = Booking.objects.filter(
        counter_type__site=site,
        email__endswith=f"@{DEMO_EMAIL_DOMAIN}",
        slot__starts_at__gte=start,
        slot__starts_at__lt=end,
    ).select_related("slot", "counter_type__site")
    if demo.exists():
        return list(demo.order_by("slot__starts_at", "pk"))
    bookings = []
    for index, slot in enumerate(_spread(slots, len(DEMO_PEOPLE))):
        last_name, first_names, nationality, birth_date = DEMO_PEOPLE[index]
        person = PersonData(
            last_name=last_name,
            first_names=first_names,
            birth_date=birth_date,
            nationality=nationality,
            email=f"{first_names.split()[0].lower()}.{index}@{DEMO_EMAIL_DOMAIN}",
            # A number per site, day and person: yesterday's demo appointments do not block today's.
            foreigner_number=f"75{site.pk % 100:02d}{day.toordinal() % 10000:04d}{index:02d}",
        )
        common = {
            "counter_type": slot.counter_type,
            "starts_at": slot.starts_at,
            "person": person,
            "answers": demo_answers(slot.counter_type, day=day, index=index),
            "now": now,
        }
        if index % 3 == 2:
            bookings.append(book_for_caller(**common, channel=Channel.PHONE, agent=agent))
        else:
            # Booked online: held, then confirmed as the resident would from the e-mail's link.
            held = book_appointment(**common)
            bookings.append(confirm_hold(token=held.verification_token, now=now))
    return bookings
