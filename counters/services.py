"""Writes for counters: turning hours, closures and openings into bookable slots.

Generation is idempotent: running it twice, or concurrently with bookings,
never deletes a slot and never lowers a capacity below what is booked.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import holidays as holiday_calendars
from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from .exceptions import CapacityBelowBooked, OpeningNotReady, OpeningOverlaps
from .models import Closure, CounterType, ExceptionalOpening, OpeningRule, Site, Slot
from .selectors import day_bounds, site_today
from .signals import opening_slots_created

SlotKey = tuple[int | None, int, dt.datetime]  # (counter or opening id, counter type id, start)


@dataclass
class GenerationReport:
    created: int = 0
    updated: int = 0
    openings: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class PlannedSlot:
    counter_type: CounterType
    starts_at: dt.datetime
    ends_at: dt.datetime
    capacity: int


def french_public_holidays(years: range) -> holiday_calendars.HolidayBase:
    """Metropolitan France's public holidays, computed, never typed in."""
    return holiday_calendars.France(years=list(years))


def _slot_times(day: dt.date, start: dt.time, end: dt.time, minutes: int, tz: ZoneInfo):
    """Start and end of each whole slot of `minutes` between start and end."""
    step = dt.timedelta(minutes=minutes)
    current = dt.datetime.combine(day, start)
    last = dt.datetime.combine(day, end)
    while current + step <= last:
        yield current.replace(tzinfo=tz), (current + step).replace(tzinfo=tz)
        current += step


def _is_closed(closures: list[Closure], day: dt.date, counter_id: int) -> bool:
    return any(
        c.start_date <= day <= c.end_date and (c.counter_id is None or c.counter_id == counter_id) for c in closures
    )


def plan_weekly_slots(*, site: Site, start: dt.date, end: dt.date) -> dict[SlotKey, tuple[dt.datetime, int, int]]:
    """Slots the weekly rules give from `start` to `end` (inclusive): key → (end, capacity, reserved)."""
    tz = ZoneInfo(site.time_zone)
    public_holidays = french_public_holidays(range(start.year, end.year + 1))
    closures = list(
        Closure.objects.filter(Q(site=site) | Q(counter__site=site), start_date__lte=end, end_date__gte=start)
    )
    rules_by_weekday: dict[int, list[OpeningRule]] = defaultdict(list)
    rules = OpeningRule.objects.filter(
        counter__site=site, counter__is_active=True, counter_type__is_active=True
    ).select_related("counter_type")
    for rule in rules:
        rules_by_weekday[rule.weekday].append(rule)

    planned: dict[SlotKey, tuple[dt.datetime, int, int]] = {}
    day = start
    while day <= end:
        if day not in public_holidays:
            for rule in rules_by_weekday[day.weekday()]:
                if not rule.applies_on(day) or _is_closed(closures, day, rule.counter_id):
                    continue
                minutes = rule.counter_type.slot_duration_minutes
                for starts_at, ends_at in _slot_times(day, rule.start_time, rule.end_time, minutes, tz):
                    key = (rule.counter_id, rule.counter_type_id, starts_at)
                    _, capacity, reserved = planned.get(key, (ends_at, 0, 0))
                    planned[key] = (ends_at, capacity + rule.people_per_slot, reserved + rule.reserved_per_slot)
        day += dt.timedelta(days=1)
    return planned


Capacities = tuple[int, int]  # (public capacity, reserved capacity)


def _apply_capacity(slot_ids_by_capacity: dict[Capacities, list[int]]) -> int:
    """Set each slot's capacities, each share never below what is already booked in it."""
    updated = 0
    for (capacity, reserved), ids in slot_ids_by_capacity.items():
        updated += Slot.objects.filter(pk__in=ids).update(
            capacity=Greatest(F("booked"), capacity),
            reserved_capacity=Greatest(F("booked_reserved"), reserved),
        )
    return updated


@transaction.atomic
def generate_site_slots(
    *, site: Site, start: dt.date, end: dt.date, now: dt.datetime | None = None
) -> GenerationReport:
    """Create the slots the weekly hours give from `start` to `end` (the site's days), from `now` on."""
    report = GenerationReport()
    tz = ZoneInfo(site.time_zone)
    planned = plan_weekly_slots(site=site, start=start, end=end)
    window_start = max(day_bounds(start, tz)[0], now or timezone.now())
    window_end = day_bounds(end, tz)[1]
    slots = Slot.objects.filter(
        opening__isnull=True, counter__site=site, starts_at__gte=window_start, starts_at__lt=window_end
    )
    existing = {
        (counter_id, type_id, starts_at): (pk, (capacity, reserved))
        for pk, counter_id, type_id, starts_at, capacity, reserved in slots.values_list(
            "pk", "counter_id", "counter_type_id", "starts_at", "capacity", "reserved_capacity"
        )
    }
    # A capacity a head of bureau set by hand on one slot wins over the rules.
    kept_by_hand = set(slots.filter(capacity_set_by_hand=True).values_list("pk", flat=True))
    to_create = []
    changes: dict[Capacities, list[int]] = defaultdict(list)
    for key, (ends_at, capacity, reserved) in planned.items():
        if key[2] < window_start:
            continue
        current = existing.pop(key, None)
        if current is None:
            counter_id, type_id, starts_at = key
            to_create.append(
                Slot(
                    counter_id=counter_id,
                    counter_type_id=type_id,
                    starts_at=starts_at,
                    ends_at=ends_at,
                    capacity=capacity,
                    reserved_capacity=reserved,
                )
            )
        elif current[1] != (capacity, reserved) and current[0] not in kept_by_hand:
            changes[(capacity, reserved)].append(current[0])
    # Slots no rule gives any more (a closure, a changed rule): keep them for
    # the people already booked, but take no one else.
    for pk, capacities in existing.values():
        if any(capacities):
            changes[(0, 0)].append(pk)
    Slot.objects.bulk_create(to_create, batch_size=1000, ignore_conflicts=True)
    report.created = len(to_create)
    report.updated = _apply_capacity(changes)
    return report


def plan_opening_slots(opening: ExceptionalOpening) -> list[PlannedSlot]:
    """The slots an exceptional opening creates: its places shared out, exactly, over its types and times.

    Used both for the preview staff see before publishing and by publication itself.
    """
    tz = ZoneInfo(opening.site.time_zone)
    counter_types = sorted(opening.counter_types.all(), key=lambda t: (t.position, t.pk))
    if not counter_types:
        return []
    per_type, extra_types = divmod(opening.places, len(counter_types))
    plan: list[PlannedSlot] = []
    for index, counter_type in enumerate(counter_types):
        type_places = per_type + (1 if index < extra_types else 0)
        times = list(
            _slot_times(opening.date, opening.start_time, opening.end_time, counter_type.slot_duration_minutes, tz)
        )
        if not times or not type_places:
            continue
        per_slot, extra_slots = divmod(type_places, len(times))
        for position, (starts_at, ends_at) in enumerate(times):
            capacity = per_slot + (1 if position < extra_slots else 0)
            if capacity:
                plan.append(PlannedSlot(counter_type, starts_at, ends_at, capacity))
    return plan


@transaction.atomic
def materialise_opening(*, opening: ExceptionalOpening, now: dt.datetime | None = None) -> int:
    """Create (or bring up to date) the slots of a published opening. Returns how many were created."""
    now = now or timezone.now()
    opening = ExceptionalOpening.objects.select_for_update().select_related("site").get(pk=opening.pk)
    if opening.published_at is None or opening.published_at > now:
        return 0
    plan = plan_opening_slots(opening)
    existing = {
        (type_id, starts_at): (pk, capacity)
        for pk, type_id, starts_at, capacity in opening.slots.filter(capacity_set_by_hand=False).values_list(
            "pk", "counter_type_id", "starts_at", "capacity"
        )
    }
    kept_by_hand = {
        (type_id, starts_at)
        for type_id, starts_at in opening.slots.filter(capacity_set_by_hand=True).values_list(
            "counter_type_id", "starts_at"
        )
    }
    to_create = []
    # An opening's places are all public: (capacity, reserved=0).
    changes: dict[Capacities, list[int]] = defaultdict(list)
    for planned in plan:
        key = (planned.counter_type.pk, planned.starts_at)
        if key in kept_by_hand:
            continue
        current = existing.pop(key, None)
        if current is None:
            to_create.append(
                Slot(
                    opening=opening,
                    counter_type=planned.counter_type,
                    starts_at=planned.starts_at,
                    ends_at=planned.ends_at,
                    capacity=planned.capacity,
                )
            )
        elif current[1] != planned.capacity:
            changes[(planned.capacity, 0)].append(current[0])
    for pk, capacity in existing.values():
        if capacity:
            changes[(0, 0)].append(pk)
    Slot.objects.bulk_create(to_create, ignore_conflicts=True)
    _apply_capacity(changes)
    if opening.slots_created_at is None:
        opening.slots_created_at = timezone.now()
        opening.save(update_fields=["slots_created_at"])
        opening_slots_created.send(sender=ExceptionalOpening, opening=opening, now=now)
    return len(to_create)


def generate_slots(*, start: dt.date | None = None, days: int | None = None) -> GenerationReport:
    """Bring every active site's slots up to date over the rolling horizon, from each site's today."""
    horizon = dt.timedelta(days=(days if days is not None else settings.SLOT_HORIZON_DAYS))
    now = timezone.now()
    total = GenerationReport()
    for site in Site.objects.filter(is_active=True):
        site_start = start or site_today(site, now=now)
        report = generate_site_slots(site=site, start=site_start, end=site_start + horizon)
        total.created += report.created
        total.updated += report.updated
    # A day's margin: an opening's day is its own site's, which may be behind Paris.
    first_day = start or timezone.localdate(now) - dt.timedelta(days=1)
    for opening in ExceptionalOpening.objects.published().filter(date__gte=first_day):
        total.created += materialise_opening(opening=opening)
        total.openings.append(opening.pk)
    return total


def materialise_due_openings(*, now: dt.datetime | None = None) -> int:
    """Create the slots of openings whose publication time has come. Cheap: run every minute."""
    now = now or timezone.now()
    # A day's margin: an opening's day is its own site's, which may be behind Paris.
    due = ExceptionalOpening.objects.published(now).filter(
        slots_created_at__isnull=True, date__gte=timezone.localdate(now) - dt.timedelta(days=1)
    )
    return sum(materialise_opening(opening=opening, now=now) for opening in due)


def check_slot_capacity(*, slot: Slot, capacity: int, reserved_capacity: int) -> None:
    """May `slot` offer these places? Never fewer than are booked in each share.

    Raises CapacityBelowBooked naming the field at fault. The admin form asks it
    to show the error next to the field; set_slot_capacity asks it again on the
    locked row.
    """
    if capacity < slot.booked:
        raise CapacityBelowBooked(
            _("%(booked)s place(s) sont déjà prises sur ce créneau : il ne peut pas en offrir moins.")
            % {"booked": slot.booked},
            field="capacity",
        )
    if reserved_capacity < slot.booked_reserved:
        raise CapacityBelowBooked(
            _("%(booked)s place(s) réservées aux agents sont déjà prises : il ne peut pas en garder moins.")
            % {"booked": slot.booked_reserved},
            field="reserved_capacity",
        )


@transaction.atomic
def set_slot_capacity(*, slot: Slot, capacity: int, reserved_capacity: int) -> Slot:
    """Raise or lower a slot's places by hand; never below what is booked in each share.

    The slot's row is locked while it is checked and written, so a booking made
    at the same moment is counted. From then on, the weekly rules no longer
    change this slot's places.
    """
    locked = Slot.objects.select_for_update().get(pk=slot.pk)
    check_slot_capacity(slot=locked, capacity=capacity, reserved_capacity=reserved_capacity)
    locked.capacity = capacity
    locked.reserved_capacity = reserved_capacity
    locked.capacity_set_by_hand = True
    locked.save(update_fields=["capacity", "reserved_capacity", "capacity_set_by_hand"])
    return locked


def list_overlapping_openings(
    *,
    site: Site,
    date: dt.date,
    start_time: dt.time,
    end_time: dt.time,
    counter_types,
    exclude_pk: int | None = None,
) -> list[ExceptionalOpening]:
    """Other published (or scheduled) openings of the site that day, with hours overlapping these and a
    procedure in common: publishing both would offer their places twice at the same times."""
    return list(
        ExceptionalOpening.objects.filter(
            site=site,
            date=date,
            published_at__isnull=False,
            start_time__lt=end_time,
            end_time__gt=start_time,
            counter_types__in=list(counter_types),
        )
        .exclude(pk=exclude_pk)
        .distinct()
        .order_by("start_time", "pk")
    )


def check_opening_overlap(*, confirmed: bool = False, **opening_fields) -> None:
    """Refuse to publish over another published opening unless a person confirmed they want both.

    Takes the fields of list_overlapping_openings. The admin asks it while the
    form is checked; publish_opening asks it again under the site's lock.
    """
    others = list_overlapping_openings(**opening_fields)
    if others and not confirmed:
        raise OpeningOverlaps(
            _(
                "Une ouverture déjà publiée couvre ce jour et ces horaires pour une même démarche (%(others)s) : "
                "publier celle-ci doublerait les places à ces horaires. Cochez « Publier malgré tout » pour "
                "publier les deux."
            )
            % {"others": ", ".join(str(other) for other in others)}
        )


def publish_opening(*, opening: ExceptionalOpening, at: dt.datetime | None = None, confirmed: bool = False) -> int:
    """Publish an exceptional opening now (or from `at`): its slots and home-page announcement appear then.

    Refused (OpeningOverlaps) when another published opening already covers
    the same day, hours and a procedure, unless `confirmed`. Returns how many
    slots were created now; a publication set in the future is materialised by
    the periodic slot generation once its time comes.
    """
    with transaction.atomic():
        # One publication at a time per site: two identical drafts published at once cannot both pass the check.
        Site.objects.select_for_update().filter(pk=opening.site_id).first()
        opening = ExceptionalOpening.objects.select_for_update().get(pk=opening.pk)
        counter_types = list(opening.counter_types.all())
        if not counter_types:
            raise OpeningNotReady()
        check_opening_overlap(
            site=opening.site,
            date=opening.date,
            start_time=opening.start_time,
            end_time=opening.end_time,
            counter_types=counter_types,
            exclude_pk=opening.pk,
            confirmed=confirmed,
        )
        opening.published_at = at or timezone.now()
        opening.save(update_fields=["published_at"])
        return materialise_opening(opening=opening)


def release_place(*, slot_id: int, reserved: bool) -> None:
    """Give a cancelled booking's place back to the share it was taken from (`Booking.reserved_place`)."""
    if reserved:
        Slot.objects.filter(pk=slot_id, booked_reserved__gt=0).update(booked_reserved=F("booked_reserved") - 1)
    else:
        Slot.objects.filter(pk=slot_id, booked__gt=0).update(booked=F("booked") - 1)
