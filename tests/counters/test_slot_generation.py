import datetime as dt

import holidays
import pytest
from django.db import IntegrityError
from django.db.models import F, Sum
from django.utils import timezone

from counters.models import Closure, Slot
from counters.services import generate_slots, materialise_opening, plan_opening_slots
from tests.factories import (
    CounterFactory,
    CounterTypeFactory,
    ExceptionalOpeningFactory,
    OpeningRuleFactory,
    SiteFactory,
    at,
    days_through,
    next_weekday,
)

pytestmark = pytest.mark.django_db

MONDAY, THURSDAY, SATURDAY = 0, 3, 5


def generate_through_next_monday():
    """Slots from today through the next working Monday, the day `make_rule()` opens by default."""
    return generate_slots(days=days_through(next_weekday(MONDAY)))


def make_rule(weekday=MONDAY, **kwargs):
    counter_type = kwargs.pop("counter_type", None) or CounterTypeFactory()
    counter = kwargs.pop("counter", None) or CounterFactory(site=counter_type.site, counter_types=[counter_type])
    return OpeningRuleFactory(counter=counter, counter_type=counter_type, weekday=weekday, **kwargs)


def slots_on(day, **filters):
    start = at(day, 0)
    return Slot.objects.filter(starts_at__gte=start, starts_at__lt=start + dt.timedelta(days=1), **filters)


def test_weekly_rule_creates_whole_slots_with_people_per_slot():
    rule = make_rule(start_time=dt.time(9, 0), end_time=dt.time(10, 50), people_per_slot=3)  # 15-minute slots
    monday = next_weekday(MONDAY)

    generate_slots(days=days_through(monday + dt.timedelta(days=1)))

    slots = list(slots_on(monday).order_by("starts_at"))
    assert [timezone.localtime(s.starts_at).time() for s in slots] == [
        dt.time(9, 0),
        dt.time(9, 15),
        dt.time(9, 30),
        dt.time(9, 45),
        dt.time(10, 0),
        dt.time(10, 15),
        dt.time(10, 30),
    ]  # 10:45–11:00 would overrun the 10:50 close
    assert {s.capacity for s in slots} == {3}
    assert {s.counter_id for s in slots} == {rule.counter_id}
    assert not slots_on(monday + dt.timedelta(days=1)).exists()


def test_rule_validity_period_is_respected():
    first, second = next_weekday(MONDAY), next_weekday(MONDAY, weeks=1)
    make_rule(valid_from=second)

    generate_slots(days=days_through(second))

    assert not slots_on(first).exists()
    assert slots_on(second).exists()


def test_site_closure_removes_every_counter_and_counter_closure_only_its_own():
    rule = make_rule()
    other_counter = CounterFactory(site=rule.counter.site, counter_types=[rule.counter_type])
    OpeningRuleFactory(counter=other_counter, counter_type=rule.counter_type, weekday=MONDAY)
    first, second = next_weekday(MONDAY), next_weekday(MONDAY, weeks=1)
    Closure.objects.create(site=rule.counter.site, start_date=first, end_date=first, reason="Inventaire")
    Closure.objects.create(counter=other_counter, start_date=second, end_date=second, reason="Formation")

    generate_slots(days=days_through(second))

    assert not slots_on(first).exists()
    assert set(slots_on(second).values_list("counter_id", flat=True)) == {rule.counter_id}


def test_no_slot_on_a_french_public_holiday():
    today = timezone.localdate()
    french = holidays.France(years=[today.year, today.year + 1])
    holiday = min(d for d in french if d > today)
    working_day = next(
        holiday + dt.timedelta(weeks=n) for n in range(1, 9) if holiday + dt.timedelta(weeks=n) not in french
    )
    make_rule(weekday=holiday.weekday())

    generate_slots(days=(working_day - today).days + 1)

    assert not slots_on(holiday).exists()
    assert slots_on(working_day).exists()


def test_thursday_closure_of_the_bureau_keeps_card_delivery_open():
    site = SiteFactory()
    filing = CounterTypeFactory(site=site)
    cards = CounterTypeFactory(site=site)
    for weekday in (0, 1, 2, 4):
        make_rule(weekday=weekday, counter_type=filing, counter=CounterFactory(site=site, counter_types=[filing]))
    card_counter = CounterFactory(site=site, counter_types=[cards])
    for weekday in range(5):
        make_rule(weekday=weekday, counter_type=cards, counter=card_counter)
    thursday, monday = next_weekday(THURSDAY), next_weekday(MONDAY)

    generate_slots(days=days_through(max(thursday, monday)))

    assert not slots_on(thursday, counter_type=filing).exists()
    assert slots_on(thursday, counter_type=cards).exists()
    assert slots_on(monday, counter_type=filing).exists()


def test_regeneration_is_idempotent():
    make_rule()
    generate_through_next_monday()
    before = list(Slot.objects.values_list("pk", "capacity").order_by("pk"))

    report = generate_through_next_monday()

    assert report.created == 0 and report.updated == 0
    assert list(Slot.objects.values_list("pk", "capacity").order_by("pk")) == before


def test_regeneration_never_shrinks_below_booked_nor_deletes():
    rule = make_rule(people_per_slot=3)
    generate_through_next_monday()
    booked_slot = Slot.objects.order_by("starts_at").first()
    Slot.objects.filter(pk=booked_slot.pk).update(booked=2)
    rule.people_per_slot = 1
    rule.save()
    day = timezone.localtime(booked_slot.starts_at).date()
    Closure.objects.create(site=rule.counter.site, start_date=day, end_date=day, reason="Grève")

    generate_through_next_monday()

    booked_slot.refresh_from_db()
    assert booked_slot.capacity == 2  # closed: nobody else, but the two booked keep their place
    others = slots_on(day).exclude(pk=booked_slot.pk)
    assert others.exists() and set(others.values_list("capacity", flat=True)) == {0}


def test_capacity_change_applies_to_slots_with_nothing_booked():
    rule = make_rule(people_per_slot=1)
    generate_through_next_monday()
    rule.people_per_slot = 4
    rule.save()

    generate_through_next_monday()

    assert set(Slot.objects.values_list("capacity", flat=True)) == {4}


def test_database_refuses_more_booked_than_capacity():
    make_rule()
    generate_through_next_monday()
    slot = Slot.objects.first()
    with pytest.raises(IntegrityError):
        Slot.objects.filter(pk=slot.pk).update(booked=F("capacity") + 1)


def test_exceptional_opening_shares_its_places_exactly_over_types_and_times():
    site = SiteFactory()
    filing = CounterTypeFactory(site=site, slot_duration_minutes=20)
    cards = CounterTypeFactory(site=site, slot_duration_minutes=15)
    opening = ExceptionalOpeningFactory(site=site, places=200, counter_types=[filing, cards])

    generate_slots(days=days_through(opening.date))

    slots = Slot.objects.filter(opening=opening)
    assert slots.aggregate(total=Sum("capacity"))["total"] == 200
    assert slots.filter(counter_type=filing).aggregate(t=Sum("capacity"))["t"] == 100
    assert slots.filter(counter_type=filing).count() == 12  # 8:30–12:30 in 20 minutes
    assert slots.filter(counter_type=cards).count() == 16
    assert all(timezone.localtime(s.starts_at).date() == opening.date for s in slots)


def test_unpublished_or_not_yet_published_opening_has_no_slot():
    site = SiteFactory()
    counter_type = CounterTypeFactory(site=site)
    draft = ExceptionalOpeningFactory(site=site, published_at=None, counter_types=[counter_type])
    later = ExceptionalOpeningFactory(
        site=site, published_at=timezone.now() + dt.timedelta(hours=1), counter_types=[counter_type]
    )

    generate_slots(days=days_through(later.date))

    assert not Slot.objects.filter(opening__in=[draft, later]).exists()
    later.published_at = timezone.now() - dt.timedelta(seconds=1)
    later.save()
    generate_slots(days=days_through(later.date))
    assert Slot.objects.filter(opening=later).exists()


def test_opening_preview_equals_what_publication_creates():
    site = SiteFactory()
    types = [CounterTypeFactory(site=site, slot_duration_minutes=25), CounterTypeFactory(site=site)]
    opening = ExceptionalOpeningFactory(site=site, places=97, counter_types=types)

    preview = {(p.counter_type.pk, p.starts_at, p.capacity) for p in plan_opening_slots(opening)}
    materialise_opening(opening=opening)
    created = set(Slot.objects.filter(opening=opening).values_list("counter_type_id", "starts_at", "capacity"))

    assert preview == created
    assert sum(capacity for *_, capacity in created) == 97
    assert materialise_opening(opening=opening) == 0  # publishing again creates nothing more


def test_opening_published_for_later_gets_its_slots_and_announcement_once_its_time_comes():
    from counters.selectors import list_announcements
    from counters.services import materialise_due_openings

    counter_type = CounterTypeFactory()
    publication = timezone.now() + dt.timedelta(minutes=30)
    opening = ExceptionalOpeningFactory(site=counter_type.site, published_at=publication, counter_types=[counter_type])

    assert materialise_due_openings() == 0
    assert not list_announcements().exists()

    later = publication + dt.timedelta(seconds=1)
    assert materialise_due_openings(now=later) > 0
    assert Slot.objects.filter(opening=opening).exists()
    assert list(list_announcements(now=later)) == [opening]
    assert materialise_due_openings(now=later) == 0
