"""Figures for heads of bureau: per day and procedure, places offered, booked, checked in, absent, cancelled."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import TruncDate

from counters.models import Site, Slot
from counters.selectors import day_bounds
from prefecture.content import localized

from .models import Booking

Status = Booking.Status


@dataclass
class Figures:
    day: dt.date | None
    counter_type: str
    offered: int = 0
    booked: int = 0
    checked_in: int = 0
    no_shows: int = 0
    cancelled: int = 0
    counter_type_id: int | None = None

    @property
    def fill_rate(self) -> float | None:
        """Share of the places offered that are booked (cancelled bookings freed their place)."""
        return self.booked / self.offered if self.offered else None

    def add(self, other: Figures) -> None:
        for name in ("offered", "booked", "checked_in", "no_shows", "cancelled"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class Statistics:
    rows: list[Figures]
    days: list[Figures]  # one line per day, all procedures together
    total: Figures = field(default_factory=lambda: Figures(None, ""))


def get_statistics(*, site: Site, start: dt.date, end: dt.date) -> Statistics:
    """Two grouped queries, whatever the length of the period."""
    tz = ZoneInfo(site.time_zone)
    first, _ = day_bounds(start, tz)
    _, after_last = day_bounds(end, tz)
    figures: dict[tuple[dt.date, int], Figures] = {}

    def line(row) -> Figures:
        key = (row["day"], row["counter_type_id"])
        if key not in figures:
            figures[key] = Figures(row["day"], row["procedure"], counter_type_id=row["counter_type_id"])
        return figures[key]

    slots = (
        Slot.objects.filter(counter_type__site=site, starts_at__gte=first, starts_at__lt=after_last)
        .annotate(day=TruncDate("starts_at", tzinfo=tz), procedure=localized("counter_type__name"))
        .values("day", "counter_type_id", "procedure")
        .annotate(offered=Sum(F("capacity") + F("reserved_capacity")))
    )
    for row in slots:
        line(row).offered = row["offered"]
    bookings = (
        Booking.objects.filter(counter_type__site=site, slot__starts_at__gte=first, slot__starts_at__lt=after_last)
        .annotate(day=TruncDate("slot__starts_at", tzinfo=tz), procedure=localized("counter_type__name"))
        .values("day", "counter_type_id", "procedure")
        .annotate(
            # Holds not (or not yet) confirmed never were appointments; a booking released at the desk
            # (a usurped identity) freed its place like a cancellation.
            booked=Count("pk", filter=~Q(status__in=Booking.NOT_BOOKED_STATUSES)),
            checked_in=Count("pk", filter=Q(status__in=[Status.CHECKED_IN, Status.DONE])),
            no_shows=Count("pk", filter=Q(status=Status.NO_SHOW)),
            cancelled=Count("pk", filter=Q(status__in=[Status.CANCELLED, Status.RELEASED])),
        )
    )
    for row in bookings:
        current = line(row)
        current.booked, current.checked_in = row["booked"], row["checked_in"]
        current.no_shows, current.cancelled = row["no_shows"], row["cancelled"]

    rows = sorted(figures.values(), key=lambda f: (f.day, f.counter_type))
    days: dict[dt.date, Figures] = {}
    total = Figures(None, "")
    for row in rows:
        days.setdefault(row.day, Figures(row.day, "")).add(row)
        total.add(row)
    return Statistics(rows=rows, days=list(days.values()), total=total)
