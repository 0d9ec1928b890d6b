"""The public figures of a site: the last 30 days per procedure open online.

Definitions (also shown on the page):

- the period is the 30 whole days before today, in the site's time zone
  (today is left out: its appointments are not over, its no-shows not marked);
- places released: every place of the procedure's slots dated in the period,
  online ones and those kept for agents (booking.statistics' "places offered");
- booked, cancelled, no-shows: bookings of those slots, by their status now
  (booked counts every confirmed booking not cancelled, no-shows included;
  holds never confirmed are not bookings; one released at the desk for a
  usurped identity counts as cancelled);
- median wait: over the hourly samples of the period, the middle number of
  days between the moment of the sample and the first day with a place; a
  sample with no place in the whole booking window counts as a wait longer
  than any other. The lower middle of an even count is taken, so the median
  is always a wait actually observed. Fewer than a day of samples: not enough data;
- next release: the earliest coming release (transparency.releases).

A fixed number of queries, whatever the number of slots, bookings or samples.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db.models import Count, QuerySet
from django.utils import timezone

from booking.statistics import get_statistics
from counters.models import CounterType, Site
from counters.selectors import day_bounds

from .models import AvailabilitySample
from .releases import Release, get_next_releases

PERIOD_DAYS = 30
MIN_SAMPLES = 24  # a day of hourly samples


@dataclass(frozen=True)
class Wait:
    samples: int
    median_days: int | None = None  # None: not enough samples, or the median sample had no place
    no_place_samples: int = 0

    @property
    def enough_data(self) -> bool:
        return self.samples >= MIN_SAMPLES

    @property
    def median_is_no_place(self) -> bool:
        return self.enough_data and self.median_days is None

    @property
    def no_place_percent(self) -> int | None:
        return round(100 * self.no_place_samples / self.samples) if self.enough_data else None


@dataclass
class ProcedureFigures:
    counter_type: CounterType
    released: int = 0
    booked: int = 0
    cancelled: int = 0
    no_shows: int = 0
    wait: Wait = field(default_factory=lambda: Wait(0))
    next_release: Release | None = None


@dataclass(frozen=True)
class SiteTransparency:
    site: Site
    start: dt.date
    end: dt.date
    rows: list[ProcedureFigures]


def transparency_period(site: Site, *, now: dt.datetime) -> tuple[dt.date, dt.date]:
    """The PERIOD_DAYS whole days before today in the site's time zone, both ends included."""
    today = now.astimezone(ZoneInfo(site.time_zone)).date()
    return today - dt.timedelta(days=PERIOD_DAYS), today - dt.timedelta(days=1)


def list_public_counter_types(site: Site) -> QuerySet[CounterType]:
    return CounterType.objects.filter(site=site, is_active=True, online_booking=True).select_related("site")


def median_wait(histogram: dict[int | None, int]) -> Wait:
    """The median of samples given as {wait in days, or None for no place: how many samples}."""
    total = sum(histogram.values())
    no_place = histogram.get(None, 0)
    if total < MIN_SAMPLES:
        return Wait(total, no_place_samples=no_place)
    middle = (total - 1) // 2
    seen = 0
    for wait in sorted(histogram, key=lambda days: (days is None, days or 0)):
        seen += histogram[wait]
        if seen > middle:
            return Wait(total, median_days=wait, no_place_samples=no_place)
    raise AssertionError("the histogram holds `total` samples")


def _wait_histograms(site: Site, start: dt.date, end: dt.date) -> dict[int, dict[int | None, int]]:
    tz = ZoneInfo(site.time_zone)
    rows = (
        AvailabilitySample.objects.filter(
            counter_type__site=site,
            sampled_at__gte=day_bounds(start, tz)[0],
            sampled_at__lt=day_bounds(end, tz)[1],
        )
        .values("counter_type_id", "wait_days")
        .annotate(count=Count("pk"))
        .order_by()
    )
    histograms: dict[int, dict[int | None, int]] = {}
    for row in rows:
        histograms.setdefault(row["counter_type_id"], {})[row["wait_days"]] = row["count"]
    return histograms


def get_site_transparency(*, site: Site, now: dt.datetime | None = None) -> SiteTransparency:
    now = now or timezone.now()
    start, end = transparency_period(site, now=now)
    counter_types = list(list_public_counter_types(site))
    rows = {counter_type.pk: ProcedureFigures(counter_type) for counter_type in counter_types}
    for figures in get_statistics(site=site, start=start, end=end).rows:
        row = rows.get(figures.counter_type_id)
        if row is not None:
            row.released += figures.offered
            row.booked += figures.booked
            row.cancelled += figures.cancelled
            row.no_shows += figures.no_shows
    for counter_type_id, histogram in _wait_histograms(site, start, end).items():
        if counter_type_id in rows:
            rows[counter_type_id].wait = median_wait(histogram)
    for counter_type_id, release in get_next_releases(site=site, counter_types=counter_types, now=now).items():
        rows[counter_type_id].next_release = release
    return SiteTransparency(site=site, start=start, end=end, rows=list(rows.values()))
