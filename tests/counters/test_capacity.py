import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from django.db.models import F

from counters.exceptions import CapacityBelowBooked
from counters.models import Slot
from counters.services import generate_site_slots, release_place, set_slot_capacity
from tests.factories import CounterFactory, CounterTypeFactory, OpeningRuleFactory, SlotFactory, next_weekday

pytestmark = pytest.mark.django_db


def _monday_rule(**fields):
    counter_type = CounterTypeFactory(slot_duration_minutes=60)
    counter = CounterFactory(site=counter_type.site, counter_types=[counter_type])
    return OpeningRuleFactory(
        counter=counter,
        counter_type=counter_type,
        weekday=0,
        start_time=dt.time(9),
        end_time=dt.time(11),
        **fields,
    )


def test_generation_gives_each_slot_the_rules_reserved_share():
    rule = _monday_rule(people_per_slot=3, reserved_per_slot=1)
    monday = next_weekday(0)
    generate_site_slots(site=rule.counter.site, start=monday, end=monday)
    assert list(Slot.objects.values_list("capacity", "reserved_capacity")) == [(3, 1), (3, 1)]


def test_generation_never_lowers_the_reserved_share_below_what_is_booked():
    rule = _monday_rule(people_per_slot=2, reserved_per_slot=2)
    monday = next_weekday(0)
    generate_site_slots(site=rule.counter.site, start=monday, end=monday)
    slot = Slot.objects.order_by("starts_at").first()
    Slot.objects.filter(pk=slot.pk).update(booked_reserved=2)
    rule.reserved_per_slot = 0
    rule.save()
    generate_site_slots(site=rule.counter.site, start=monday, end=monday)
    slot.refresh_from_db()
    assert slot.reserved_capacity == 2
    assert Slot.objects.exclude(pk=slot.pk).get().reserved_capacity == 0


def test_capacity_can_be_raised_and_lowered_down_to_what_is_booked():
    slot = SlotFactory(capacity=5, booked=3, reserved_capacity=2, booked_reserved=1)
    set_slot_capacity(slot=slot, capacity=8, reserved_capacity=2)
    set_slot_capacity(slot=slot, capacity=3, reserved_capacity=1)
    slot.refresh_from_db()
    assert (slot.capacity, slot.reserved_capacity, slot.capacity_set_by_hand) == (3, 1, True)


def test_capacity_lowered_below_booked_is_refused_with_a_clear_message():
    slot = SlotFactory(capacity=5, booked=3)
    with pytest.raises(CapacityBelowBooked) as refusal:
        set_slot_capacity(slot=slot, capacity=2, reserved_capacity=0)
    assert "3 place(s) sont déjà prises" in str(refusal.value.message)
    slot.refresh_from_db()
    assert slot.capacity == 5


def test_reserved_share_lowered_below_its_bookings_is_refused():
    slot = SlotFactory(capacity=5, reserved_capacity=2, booked_reserved=2)
    with pytest.raises(CapacityBelowBooked):
        set_slot_capacity(slot=slot, capacity=5, reserved_capacity=1)


def test_a_capacity_set_by_hand_survives_slot_generation():
    rule = _monday_rule(people_per_slot=2)
    monday = next_weekday(0)
    generate_site_slots(site=rule.counter.site, start=monday, end=monday)
    slot = Slot.objects.order_by("starts_at").first()
    set_slot_capacity(slot=slot, capacity=6, reserved_capacity=1)
    generate_site_slots(site=rule.counter.site, start=monday, end=monday)
    slot.refresh_from_db()
    assert (slot.capacity, slot.reserved_capacity) == (6, 1)


def test_the_database_refuses_more_bookings_than_each_share_holds():
    slot = SlotFactory(capacity=1, reserved_capacity=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Slot.objects.filter(pk=slot.pk).update(booked=F("booked") + 2)
    with pytest.raises(IntegrityError), transaction.atomic():
        Slot.objects.filter(pk=slot.pk).update(booked_reserved=F("booked_reserved") + 2)


def test_a_released_place_goes_back_to_its_own_share():
    slot = SlotFactory(capacity=2, booked=1, reserved_capacity=1, booked_reserved=1)
    release_place(slot_id=slot.pk, reserved=True)
    slot.refresh_from_db()
    assert (slot.booked, slot.booked_reserved) == (1, 0)
    release_place(slot_id=slot.pk, reserved=False)
    release_place(slot_id=slot.pk, reserved=False)  # never below zero
    slot.refresh_from_db()
    assert (slot.booked, slot.booked_reserved) == (0, 0)
