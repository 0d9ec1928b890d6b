"""Reads for counters: what a resident may book, and when."""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db import connection
from django.db.models import F, Min, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from .models import CounterType, DayPlaces, ExceptionalOpening, Site, Slot


@dataclass(frozen=True)
class AvailableDay:
    day: dt.date
    places_left: int


@dataclass(frozen=True)
class AvailableTime:
    starts_at: dt.datetime
    ends_at: dt.datetime
    places_left: int

    @property
    def key(self) -> str:
        return self.starts_at.isoformat()


def day_bounds(day: dt.date, tz: ZoneInfo) -> tuple[dt.datetime, dt.datetime]:
    """Midnight at the start of `day` and of the next day, in the site's time zone."""
    start = dt.datetime.combine(day, dt.time.min).replace(tzinfo=tz)
    return start, start + dt.timedelta(days=1)


def site_today(site: Site, *, now: dt.datetime | None = None) -> dt.date:
    """Today, as the site counts days (an overseas prefecture is hours ahead of or behind Paris)."""
    return (now or timezone.now()).astimezone(ZoneInfo(site.time_zone)).date()


def list_sites() -> QuerySet[Site]:
    return Site.objects.filter(is_active=True).prefetch_related(
        Prefetch(
            "counter_types",
            queryset=CounterType.objects.filter(is_active=True, online_booking=True),
            to_attr="bookable_types",
        )
    )


def list_bookable_counter_types() -> QuerySet[CounterType]:
    return CounterType.objects.filter(is_active=True, online_booking=True, site__is_active=True).select_related("site")


# The bookable procedures this process has read, by pk: (catalogue version when read, procedure).
_BOOKABLE: dict[int, tuple[int, CounterType]] = {}
_BOOKABLE_MAX = 1000


def catalogue_version() -> int | None:
    """The number PostgreSQL triggers change with every change to sites and procedures, in the same
    transaction (migration counters 0017); None where there is none (SQLite), and nothing is kept then."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT version FROM counters_catalogueversion WHERE id = 1")
        row = cursor.fetchone()
        if row is None:  # its row deleted (a test database flushed): again, numbered past any kept
            _BOOKABLE.clear()
            cursor.execute(
                "INSERT INTO counters_catalogueversion (id, version) "
                "VALUES (1, (extract(epoch FROM clock_timestamp()) * 1000000)::bigint) ON CONFLICT (id) DO NOTHING"
            )
            cursor.execute("SELECT version FROM counters_catalogueversion WHERE id = 1")
            row = cursor.fetchone()
    return row[0] if row else None


def get_bookable_counter_type(*, pk: int) -> CounterType | None:
    """The procedure, with its site and urgent counter, if the public may book it online.

    Read at every step of every resident: each process keeps what it read, as long as the catalogue's
    version has not moved, read first (one primary-key read instead of a three-table join and a few
    ms of building the objects). Exact: a change committed before this request's version read is seen,
    as it was when the procedure was read each time. Each caller gets its own copy.
    """
    version = catalogue_version()
    kept = _BOOKABLE.get(pk) if version is not None else None
    if kept is not None and kept[0] == version:
        return copy.copy(kept[1])
    counter_type = list_bookable_counter_types().select_related("urgent_counter_type").filter(pk=pk).first()
    if counter_type is not None and version is not None:
        if len(_BOOKABLE) >= _BOOKABLE_MAX:
            _BOOKABLE.clear()
        _BOOKABLE[pk] = (version, copy.copy(counter_type))
    return counter_type


def list_announcements(*, now: dt.datetime | None = None) -> QuerySet[ExceptionalOpening]:
    """Published exceptional openings still to come whose slots exist, for the home page."""
    now = now or timezone.now()
    # Still to come as each site counts days; a handful of sites, so one condition each.
    to_come = Q(pk__in=[])
    for site in Site.objects.filter(exceptional_openings__isnull=False).distinct():
        to_come |= Q(site=site, date__gte=site_today(site, now=now))
    return (
        ExceptionalOpening.objects.published(now)
        .filter(to_come, slots_created_at__isnull=False)
        .select_related("site")
        .prefetch_related("counter_types")
        .order_by("date", "start_time")
    )


def booking_window(counter_type: CounterType, *, now: dt.datetime | None = None) -> tuple[dt.datetime, dt.datetime]:
    """From when to when a resident may book this procedure online."""
    now = now or timezone.now()
    tz = ZoneInfo(counter_type.site.time_zone)
    first_day, last_day = booking_days(counter_type, now=now)
    return max(now, day_bounds(first_day, tz)[0]), day_bounds(last_day, tz)[1]


def booking_days(counter_type: CounterType, *, now: dt.datetime | None = None) -> tuple[dt.date, dt.date]:
    """The first and last days of the booking window, in the site's time zone."""
    now = now or timezone.now()
    today = now.astimezone(ZoneInfo(counter_type.site.time_zone)).date()
    return today + dt.timedelta(days=counter_type.min_days_ahead), today + dt.timedelta(
        days=counter_type.max_days_ahead
    )


def public_slots() -> QuerySet[Slot]:
    """The slots the public may book: all but a lottery opening's, whose places are drawn (booking.lottery).

    The one place that says so: the day and time lists, the review step's check and the booking service
    itself read slots through it.
    """
    # NOT IN a hashed list of the (few) lottery openings: one probe per slot, where a join on the opening
    # looked up each slot's opening by its index (4 times the day list's cost on 13,800 slots).
    return Slot.objects.exclude(opening__in=ExceptionalOpening.objects.filter(mode=ExceptionalOpening.Mode.LOTTERY))


def _open_slots(counter_type: CounterType, *, now: dt.datetime | None = None) -> QuerySet[Slot]:
    start, end = booking_window(counter_type, now=now)
    return public_slots().filter(
        counter_type=counter_type, starts_at__gte=start, starts_at__lt=end, booked__lt=F("capacity")
    )


def has_available_place(counter_type: CounterType, *, now: dt.datetime | None = None) -> bool:
    """Whether any day of the booking window still has a public place."""
    return bool(list_available_days(counter_type, now=now))


def _counted_days(counter_type: CounterType, *, now: dt.datetime, first: dt.date, last: dt.date) -> list[AvailableDay]:
    """The days from `first` to `last` with places left, by adding up their open slots."""
    tz = ZoneInfo(counter_type.site.time_zone)
    slots = _open_slots(counter_type, now=now).filter(
        starts_at__gte=day_bounds(first, tz)[0], starts_at__lt=day_bounds(last, tz)[1]
    )
    rows = (
        slots.annotate(day=TruncDate("starts_at", tzinfo=tz))
        .values("day")
        .annotate(places_left=Sum(F("capacity") - F("booked")))
        .order_by("day")
    )
    return [AvailableDay(row["day"], row["places_left"]) for row in rows]


def list_available_days(
    counter_type: CounterType, *, now: dt.datetime | None = None, within: tuple[dt.date, dt.date] | None = None
) -> list[AvailableDay]:
    """Days of the booking window with places left; only those from `within[0]` to `within[1]` when given.

    Read from the per-day counts the database keeps with the slots (DayPlaces): one row per day, whatever
    the number of slots and counters. The day under way, if the window starts in it, is added up from its
    slots still to come. Without those counts (SQLite), every day is added up from its slots.
    """
    now = now or timezone.now()
    first, last = booking_days(counter_type, now=now)
    if within is not None:
        first, last = max(first, within[0]), min(last, within[1])
    if first > last:
        return []
    if connection.vendor != "postgresql":
        return _counted_days(counter_type, now=now, first=first, last=last)
    days = []
    if day_bounds(first, ZoneInfo(counter_type.site.time_zone))[0] < now:  # today: only the slots to come
        days = _counted_days(counter_type, now=now, first=first, last=first)
        first += dt.timedelta(days=1)
    if first <= last:
        rows = DayPlaces.objects.filter(
            counter_type=counter_type, day__gte=first, day__lte=last, places_left__gt=0
        ).order_by("day")
        days += [AvailableDay(day, places_left) for day, places_left in rows.values_list("day", "places_left")]
    return days


def list_available_times(
    counter_type: CounterType, *, day: dt.date, now: dt.datetime | None = None
) -> list[AvailableTime]:
    """Times with places left on `day`, counters at the same time merged into one line."""
    tz = ZoneInfo(counter_type.site.time_zone)
    day_start, day_end = day_bounds(day, tz)
    rows = (
        _open_slots(counter_type, now=now)
        .filter(starts_at__gte=day_start, starts_at__lt=day_end)
        .values("starts_at")
        .annotate(ends_at=Min("ends_at"), places_left=Sum(F("capacity") - F("booked")))
        .order_by("starts_at")
    )
    return [
        AvailableTime(row["starts_at"].astimezone(tz), row["ends_at"].astimezone(tz), row["places_left"])
        for row in rows
    ]


def is_time_bookable(counter_type: CounterType, *, starts_at: dt.datetime, now: dt.datetime | None = None) -> bool:
    return _open_slots(counter_type, now=now).filter(starts_at=starts_at).exists()


# Staff reads: agents see the reserved share too.

STAFF_OPEN = Q(booked__lt=F("capacity")) | Q(booked_reserved__lt=F("reserved_capacity"))


def list_staff_counter_types() -> QuerySet[CounterType]:
    """Every active procedure, online or not: agents book those that are not open online too."""
    return CounterType.objects.filter(is_active=True, site__is_active=True).select_related("site")


def list_staff_times(counter_type: CounterType, *, day: dt.date, now: dt.datetime | None = None) -> list[AvailableTime]:
    """Times with a place an agent may still give on `day`: public places and the reserved share.

    Agents book within the procedure's booking window too, except that they
    may book from now on (a person at the desk for today).
    """
    now = now or timezone.now()
    tz = ZoneInfo(counter_type.site.time_zone)
    _, window_end = booking_window(counter_type, now=now)
    day_start, day_end = day_bounds(day, tz)
    rows = (
        Slot.objects.filter(STAFF_OPEN, counter_type=counter_type, starts_at__gte=max(now, day_start))
        .filter(starts_at__lt=min(window_end, day_end))
        .values("starts_at")
        .annotate(
            ends_at=Min("ends_at"),
            places_left=Sum(F("capacity") + F("reserved_capacity") - F("booked") - F("booked_reserved")),
        )
        .order_by("starts_at")
    )
    return [
        AvailableTime(row["starts_at"].astimezone(tz), row["ends_at"].astimezone(tz), row["places_left"])
        for row in rows
    ]
