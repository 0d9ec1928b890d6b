"""The places left per procedure and day, kept by the database with the slots, always equal their sum."""

import datetime as dt
import random
import threading
from collections import defaultdict

import pytest
from django.db import connection, transaction

from booking.exceptions import AlreadyBooked, ServiceBusy, SlotFull
from booking.models import Booking, Channel
from booking.services import book_appointment
from booking.services.changes import cancel_booking
from counters import selectors
from counters.exceptions import CapacityBelowBooked
from counters.models import CounterType, DayPlaces, ExceptionalOpening, Site, Slot
from counters.services import set_slot_capacity
from tests.factories import CounterTypeFactory, ExceptionalOpeningFactory, SlotFactory, at, next_weekday, person


def summed_from_slots(counter_type: CounterType) -> dict[dt.date, int]:
    """What the per-day counts must say: every slot but a lottery opening's, on its site's day."""
    counter_type.refresh_from_db()
    zone = Site.objects.get(pk=counter_type.site_id).zone
    totals = defaultdict(int)
    for slot in Slot.objects.filter(counter_type=counter_type).select_related("opening"):
        if slot.opening is None or slot.opening.mode != ExceptionalOpening.Mode.LOTTERY:
            totals[slot.starts_at.astimezone(zone).date()] += slot.capacity - slot.booked
    return {day: places for day, places in totals.items() if places}


def kept(counter_type: CounterType) -> dict[dt.date, int]:
    rows = DayPlaces.objects.filter(counter_type=counter_type).exclude(places_left=0)
    return dict(rows.values_list("day", "places_left"))


@pytest.mark.django_db
def test_the_counts_follow_every_change_to_slots_openings_and_sites():
    counter_type = CounterTypeFactory(min_days_ahead=0, max_days_ahead=60)
    monday, tuesday = next_weekday(0), next_weekday(1)
    early = SlotFactory(counter_type=counter_type, starts_at=at(monday, 9), capacity=3)
    SlotFactory(counter_type=counter_type, starts_at=at(monday, 10), capacity=2)
    late = SlotFactory(counter_type=counter_type, starts_at=at(tuesday, 0, 30), capacity=4)  # 00:30 in Paris
    lottery = ExceptionalOpeningFactory(
        site=counter_type.site,
        mode=ExceptionalOpening.Mode.LOTTERY,
        registration_opens_at=at(monday, 8) - dt.timedelta(days=10),
        registration_closes_at=at(monday, 8) - dt.timedelta(days=3),
    )
    SlotFactory(counter_type=counter_type, starts_at=at(tuesday, 11), capacity=50, opening=lottery)
    assert kept(counter_type) == summed_from_slots(counter_type) == {monday: 5, tuesday: 4}

    booking = book_appointment(
        counter_type=counter_type, starts_at=early.starts_at, person=person(1), channel=Channel.PHONE
    )
    with transaction.atomic():
        set_slot_capacity(slot=late, capacity=6, reserved_capacity=0)
    assert kept(counter_type) == summed_from_slots(counter_type) == {monday: 4, tuesday: 6}

    cancel_booking(booking_id=booking.pk)
    assert kept(counter_type) == summed_from_slots(counter_type)

    # The cancelled place is withheld a while (still counted as booked) before it comes back.
    ExceptionalOpening.objects.filter(pk=lottery.pk).update(mode=ExceptionalOpening.Mode.FIRST_COME)
    assert kept(counter_type) == summed_from_slots(counter_type) == {monday: 4, tuesday: 56}

    Site.objects.filter(pk=counter_type.site_id).update(time_zone="America/Cayenne")  # 00:30 in Paris: the day before
    assert kept(counter_type) == summed_from_slots(counter_type)
    assert kept(counter_type)[monday] == 4 + 6

    Slot.objects.filter(pk=late.pk).delete()
    assert kept(counter_type) == summed_from_slots(counter_type)


@pytest.mark.django_db
def test_the_day_list_reads_the_counts_and_the_slots_still_to_come_today():
    counter_type = CounterTypeFactory(min_days_ahead=0, max_days_ahead=30)
    today = selectors.site_today(counter_type.site)
    now = at(today, 12)
    SlotFactory(counter_type=counter_type, starts_at=at(today, 9), capacity=7)  # gone by noon
    SlotFactory(counter_type=counter_type, starts_at=at(today, 15), capacity=2)
    later = next_weekday(2, after=today)
    SlotFactory(counter_type=counter_type, starts_at=at(later, 9), capacity=3)
    full = SlotFactory(counter_type=counter_type, starts_at=at(later + dt.timedelta(days=1), 9), capacity=1)
    Slot.objects.filter(pk=full.pk).update(booked=1)

    days = selectors.list_available_days(counter_type, now=now)

    assert [(day.day, day.places_left) for day in days] == [(today, 2), (later, 3)]
    assert selectors.list_available_days(counter_type, now=now, within=(later, later)) == days[1:]
    assert selectors.list_available_days(counter_type, now=now) == selectors._counted_days(
        counter_type, now=now, first=today, last=today + dt.timedelta(days=30)
    )


@pytest.mark.django_db
def test_a_procedure_deleted_after_its_slots_leaves_no_count_behind():
    counter_type = CounterTypeFactory()
    SlotFactory(counter_type=counter_type, capacity=3)
    pk = counter_type.pk

    Slot.objects.filter(counter_type=counter_type).delete()
    counter_type.delete()

    assert not DayPlaces.objects.filter(counter_type_id=pk).exists()


@pytest.mark.django_db(transaction=True)
def test_bookings_cancellations_and_capacity_changes_racing_on_one_day_keep_the_count_exact():
    counter_type = CounterTypeFactory(min_days_ahead=0)
    day = next_weekday(3)
    slots = [SlotFactory(counter_type=counter_type, starts_at=at(day, 9 + n), capacity=4) for n in range(3)]
    other_day = SlotFactory(counter_type=counter_type, starts_at=at(next_weekday(3, after=day), 9), capacity=4)
    earlier = [  # confirmed (taken by phone), so that they can be cancelled
        book_appointment(
            counter_type=counter_type, starts_at=slot.starts_at, person=person(100 + n), channel=Channel.PHONE
        )
        for n, slot in enumerate(slots)
    ]
    rng = random.Random(9)
    jobs = [("book", rng.choice([*slots, other_day]), person(n)) for n in range(24)]
    jobs += [("capacity", slot, rng.randint(1, 8)) for slot in slots for _ in range(2)]
    jobs += [("cancel", booking, None) for booking in earlier]
    rng.shuffle(jobs)
    barrier = threading.Barrier(len(jobs))
    errors = []

    def run(kind, target, value):
        try:
            barrier.wait()
            if kind == "book":
                book_appointment(counter_type=counter_type, starts_at=target.starts_at, person=value)
            elif kind == "cancel":
                cancel_booking(booking_id=target.pk)
            else:
                with transaction.atomic():
                    set_slot_capacity(slot=target, capacity=value, reserved_capacity=0)
        except (SlotFull, AlreadyBooked, ServiceBusy, CapacityBelowBooked):
            pass
        except Exception as error:  # noqa: BLE001 - any other failure fails the test below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=job) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert Booking.objects.filter(counter_type=counter_type).exists()
    assert kept(counter_type) == summed_from_slots(counter_type)
    assert all(Slot.objects.get(pk=slot.pk).booked <= Slot.objects.get(pk=slot.pk).capacity for slot in slots)
