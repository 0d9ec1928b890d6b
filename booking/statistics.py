"""Figures for heads of bureau: per day and procedure, places offered, booked, checked in, absent, cancelled."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import TruncDate
from django.utils.translation import gettext_lazy as _

from counters.models import Site, Slot
from counters.selectors import day_bounds

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
            figures[key] = Figures(row["day"], row["counter_type__name"], counter_type_id=row["counter_type_id"])
        return figures[key]

    slots = (
        Slot.objects.filter(counter_type__site=site, starts_at__gte=first, starts_at__lt=after_last)
        .annotate(day=TruncDate("starts_at", tzinfo=tz))
        .values("day", "counter_type_id", "counter_type__name")
        .annotate(offered=Sum(F("capacity") + F("reserved_capacity")))
    )
    for row in slots:
        line(row).offered = row["offered"]
    bookings = (
        Booking.objects.filter(counter_type__site=site, slot__starts_at__gte=first, slot__starts_at__lt=after_last)
        .annotate(day=TruncDate("slot__starts_at", tzinfo=tz))
        .values("day", "counter_type_id", "counter_type__name")
        .annotate(
            booked=Count("pk", filter=~Q(status=Status.CANCELLED)),
            checked_in=Count("pk", filter=Q(status__in=[Status.CHECKED_IN, Status.DONE])),
            no_shows=Count("pk", filter=Q(status=Status.NO_SHOW)),
            cancelled=Count("pk", filter=Q(status=Status.CANCELLED)),
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


# A bar chart drawn on the server, as SVG: no script, no external library.

SERIES = [
    ("offered", _("Places offertes"), "#000091"),
    ("booked", _("Réservées"), "#6a6af4"),
    ("checked_in", _("Présents"), "#18753c"),
    ("no_shows", _("Absents"), "#ce0500"),
]


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    colour: str
    label: str


def bar_chart(days: list[Figures], *, width: int = 720, height: int = 260, margin: int = 40) -> dict:
    """Geometry of a grouped bar chart: for each day, one bar per series."""
    peak = max([getattr(day, name) for day in days for name, *_ in SERIES] + [1])
    plot_height = height - 2 * margin
    group_width = (width - margin) / max(len(days), 1)
    bar_width = group_width * 0.8 / len(SERIES)
    bars, labels = [], []
    for index, day in enumerate(days):
        left = margin + index * group_width + group_width * 0.1
        for position, (name, title, colour) in enumerate(SERIES):
            value = getattr(day, name)
            bar_height = plot_height * value / peak
            bars.append(
                Bar(
                    x=round(left + position * bar_width, 1),
                    y=round(margin + plot_height - bar_height, 1),
                    width=round(bar_width - 1, 1),
                    height=round(bar_height, 1),
                    colour=colour,
                    label=f"{day.day:%d/%m} · {title} : {value}",
                )
            )
        labels.append({"x": round(left + group_width * 0.4, 1), "text": f"{day.day:%d/%m}"})
    return {
        "width": width,
        "height": height,
        "baseline": height - margin,
        "left": margin,
        "peak": peak,
        "bars": bars,
        "labels": labels,
        "legend": [{"title": title, "colour": colour, "y": 14 + 16 * i} for i, (_, title, colour) in enumerate(SERIES)],
    }
