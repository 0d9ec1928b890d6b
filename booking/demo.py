"""Demo appointments, so that the day agenda has people to check in right after `make run`."""

from __future__ import annotations

import datetime as dt

from django.db.models import F
from django.utils import timezone

from counters.models import Site, Slot

from .models import Booking, Channel
from .services import PersonData, book_appointment, book_for_caller

DEMO_EMAIL_DOMAIN = "demo.example.org"
DEMO_PEOPLE = [
    ("Diallo", "Aminata", "SN", dt.date(1990, 5, 17)),
    ("Nguyen", "Thi Lan", "VN", dt.date(1987, 11, 2)),
    ("Benali", "Karim", "DZ", dt.date(1979, 1, 23)),
    ("Silva", "Ana", "BR", dt.date(1995, 8, 30)),
    ("Koné", "Ibrahim", "CI", dt.date(2001, 3, 9)),
    ("Popescu", "Elena", "RO", dt.date(1984, 6, 14)),
]


def seed_demo_bookings(*, site: Site, agent, now: dt.datetime | None = None) -> list[Booking]:
    """A handful of appointments on the next slots still to come (today when there are some). Idempotent."""
    demo = Booking.objects.filter(counter_type__site=site, email__endswith=f"@{DEMO_EMAIL_DOMAIN}")
    if demo.filter(status__in=Booking.ACTIVE_STATUSES).exists():
        return list(demo.filter(status__in=Booking.ACTIVE_STATUSES).select_related("slot", "counter_type"))
    now = now or timezone.now()
    slots = (
        Slot.objects.filter(counter_type__site=site, starts_at__gte=now, booked__lt=F("capacity"))
        .select_related("counter_type")
        .order_by("starts_at", "counter_type_id", "pk")
    )
    bookings = []
    seen_types: set[int] = set()
    for slot in slots[:200]:
        if len(bookings) == len(DEMO_PEOPLE):
            break
        if slot.counter_type_id in seen_types and len(seen_types) < 3:
            continue  # spread the demo over a few procedures
        seen_types.add(slot.counter_type_id)
        last_name, first_names, nationality, birth_date = DEMO_PEOPLE[len(bookings)]
        person = PersonData(
            last_name=last_name,
            first_names=first_names,
            birth_date=birth_date,
            nationality=nationality,
            email=f"{first_names.split()[0].lower()}.{len(bookings)}@{DEMO_EMAIL_DOMAIN}",
            foreigner_number=f"{7599000000 + site.pk * 100 + len(bookings)}",
        )
        common = {"counter_type": slot.counter_type, "starts_at": slot.starts_at, "person": person}
        if len(bookings) % 3 == 2:
            bookings.append(book_for_caller(**common, channel=Channel.PHONE, agent=agent))
        else:
            bookings.append(book_appointment(**common))
    return bookings
