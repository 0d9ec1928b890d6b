"""Racing for real: threads, each with its own database connection, against PostgreSQL."""

import threading

import pytest
from django.db import connection

from booking.exceptions import AlreadyBooked, SlotFull
from booking.models import Booking
from booking.services import book_appointment
from counters.models import Slot
from tests.factories import SlotFactory, person

pytestmark = pytest.mark.django_db(transaction=True)


def race(slot, people):
    barrier = threading.Barrier(len(people))
    outcomes = []
    lock = threading.Lock()

    def attempt(who):
        try:
            barrier.wait()
            book_appointment(counter_type=slot.counter_type, starts_at=slot.starts_at, person=who)
            result = "booked"
        except (SlotFull, AlreadyBooked) as error:
            result = type(error).__name__
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=attempt, args=(who,)) for who in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def test_twenty_people_racing_for_five_places_make_exactly_five_bookings():
    assert connection.vendor == "postgresql"
    slot = SlotFactory(capacity=5)

    outcomes = race(slot, [person(n) for n in range(20)])

    assert outcomes.count("booked") == 5 and outcomes.count("SlotFull") == 15
    assert Booking.objects.filter(slot=slot).count() == 5
    assert Slot.objects.get(pk=slot.pk).booked == 5


def test_one_person_booking_twice_at_once_gets_one_booking():
    slot = SlotFactory(capacity=10)

    outcomes = race(slot, [person(1, email=f"same{n}@example.org") for n in range(6)])

    assert outcomes.count("booked") == 1 and outcomes.count("AlreadyBooked") == 5
    assert Slot.objects.get(pk=slot.pk).booked == 1
