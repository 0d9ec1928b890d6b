"""When new places next open, per procedure: the hook every way of releasing places plugs into.

Each source answers, for a site's procedures, the next moment it will make
places bookable that are not bookable now; `get_next_releases` keeps the
earliest per procedure. Two sources exist:

- the horizon: the booking window slides by one day at midnight (site time),
  so the first slot beyond today's window becomes bookable at the midnight
  `max_days_ahead` days before its own day;
- exceptional openings whose publication is scheduled (`published_at` still
  to come): their slots are created and bookable from that moment.

- lottery draws: an opening in lottery mode gives its places at its draw,
  when its registration window closes (booking.lottery), not at its
  publication.

Another source is a function appended to RELEASE_SOURCES; nothing else needs
to change here or on the page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db.models import Min, Q
from django.utils import formats
from django.utils.translation import gettext as _

from counters.models import CounterType, ExceptionalOpening, Site, Slot
from counters.selectors import booking_window, day_bounds


@dataclass(frozen=True)
class Release:
    at: dt.datetime  # aware, in the site's time zone
    kind: str  # "horizon", "opening"; each source names its own
    label: str  # what opens then, for the public page


ReleaseSource = Callable[[Site, Sequence[CounterType], dt.datetime], dict[int, Release]]


def horizon_releases(site: Site, counter_types: Sequence[CounterType], now: dt.datetime) -> dict[int, Release]:
    """The midnight when each procedure's first slot beyond its booking window enters it. One query."""
    if not counter_types:
        return {}
    tz = ZoneInfo(site.time_zone)
    beyond_window = Q()
    for counter_type in counter_types:
        _start, window_end = booking_window(counter_type, now=now)
        beyond_window |= Q(counter_type_id=counter_type.pk, starts_at__gte=window_end)
    firsts = dict(
        Slot.objects.filter(beyond_window, capacity__gt=0)
        .values("counter_type_id")
        .annotate(first=Min("starts_at"))
        .values_list("counter_type_id", "first")
    )
    releases = {}
    for counter_type in counter_types:
        if counter_type.pk not in firsts:
            continue
        slot_day = firsts[counter_type.pk].astimezone(tz).date()
        opens_on = slot_day - dt.timedelta(days=counter_type.max_days_ahead)
        releases[counter_type.pk] = Release(
            at=day_bounds(opens_on, tz)[0],
            kind="horizon",
            label=_("places du %(day)s") % {"day": formats.date_format(slot_day, "j F Y")},
        )
    return releases


def opening_releases(site: Site, counter_types: Sequence[CounterType], now: dt.datetime) -> dict[int, Release]:
    """The scheduled publication of each procedure's next exceptional opening. One query."""
    if not counter_types:
        return {}
    tz = ZoneInfo(site.time_zone)
    rows = (
        ExceptionalOpening.objects.filter(
            site=site,
            published_at__gt=now,
            date__gte=now.astimezone(tz).date(),
            counter_types__in=[counter_type.pk for counter_type in counter_types],
            mode=ExceptionalOpening.Mode.FIRST_COME,  # a lottery's places come at its draw
        )
        .order_by("-published_at")
        .values_list("counter_types", "published_at", "date")
    )
    # Latest first, so that each procedure is left with its earliest publication.
    return {
        counter_type_id: Release(
            at=published_at.astimezone(tz),
            kind="opening",
            label=_("ouverture exceptionnelle du %(day)s") % {"day": formats.date_format(day, "j F Y")},
        )
        for counter_type_id, published_at, day in rows
    }


def lottery_releases(site: Site, counter_types: Sequence[CounterType], now: dt.datetime) -> dict[int, Release]:
    """The next draw of a lottery opening of each procedure: when its registration window closes. One query."""
    if not counter_types:
        return {}
    tz = ZoneInfo(site.time_zone)
    rows = (
        ExceptionalOpening.objects.filter(
            site=site,
            mode=ExceptionalOpening.Mode.LOTTERY,
            registration_closes_at__gt=now,
            counter_types__in=[counter_type.pk for counter_type in counter_types],
        )
        .order_by("-registration_closes_at")
        .values_list("counter_types", "registration_closes_at", "date")
    )
    # Latest first, so that each procedure is left with its earliest draw.
    return {
        counter_type_id: Release(
            at=closes_at.astimezone(tz),
            kind="lottery",
            label=_("tirage au sort de l'ouverture du %(day)s") % {"day": formats.date_format(day, "j F Y")},
        )
        for counter_type_id, closes_at, day in rows
    }


RELEASE_SOURCES: list[ReleaseSource] = [horizon_releases, opening_releases, lottery_releases]


def get_next_releases(*, site: Site, counter_types: Sequence[CounterType], now: dt.datetime) -> dict[int, Release]:
    """The earliest coming release of each procedure, among every source; one query per source."""
    earliest: dict[int, Release] = {}
    for source in RELEASE_SOURCES:
        for counter_type_id, release in source(site, counter_types, now).items():
            if counter_type_id not in earliest or release.at < earliest[counter_type_id].at:
                earliest[counter_type_id] = release
    return earliest
