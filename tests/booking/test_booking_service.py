import datetime as dt

import pytest
from django.db import IntegrityError

from booking.exceptions import AlreadyBooked, SlotFull
from booking.models import Booking, Channel, OutboundEmail
from booking.references import REFERENCE_ALPHABET
from booking.services import book_appointment
from counters.models import Slot
from tests.factories import CounterFactory, SlotFactory, person

pytestmark = pytest.mark.django_db


def book(slot, who=None, **kwargs):
    return book_appointment(counter_type=slot.counter_type, starts_at=slot.starts_at, person=who or person(), **kwargs)


def test_booking_takes_one_place_and_sends_its_confirmation_after_commit(
    mailoutbox, django_capture_on_commit_callbacks
):
    slot = SlotFactory(capacity=2)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        booking = book(slot)
    assert OutboundEmail.objects.get(booking=booking).status == OutboundEmail.Status.QUEUED
    assert mailoutbox == []  # nothing leaves before the commit
    for callback in callbacks:
        callback()

    slot.refresh_from_db()
    assert slot.booked == 1
    assert booking.status == Booking.Status.CONFIRMED and booking.channel == Channel.ONLINE
    assert booking.slot == slot
    assert len(booking.reference) == 8 and set(booking.reference) <= set(REFERENCE_ALPHABET)
    assert len(booking.token) >= 40
    assert OutboundEmail.objects.get(booking=booking).status == OutboundEmail.Status.SENT
    assert len(mailoutbox) == 1 and booking.display_reference in mailoutbox[0].subject


def test_booking_refused_when_slot_is_full_leaves_nothing_behind():
    slot = SlotFactory(capacity=1)
    book(slot, person(1))

    with pytest.raises(SlotFull):
        book(slot, person(2))

    assert Booking.objects.count() == 1 and OutboundEmail.objects.count() == 1
    slot.refresh_from_db()
    assert slot.booked == 1


def test_a_full_counter_gives_way_to_another_counter_at_the_same_time():
    first = SlotFactory(capacity=1)
    second_counter = CounterFactory(site=first.counter_type.site, counter_types=[first.counter_type])
    second = SlotFactory(counter_type=first.counter_type, counter=second_counter, starts_at=first.starts_at, capacity=1)

    bookings = [book(first, person(1)), book(first, person(2))]

    assert {b.slot_id for b in bookings} == {first.pk, second.pk}
    with pytest.raises(SlotFull):
        book(first, person(3))


def test_second_active_booking_for_the_same_person_and_procedure_is_refused():
    slot = SlotFactory(capacity=5)
    book(slot, person(1, foreigner_number="7500000001"))

    with pytest.raises(AlreadyBooked):
        book(slot, person(2, foreigner_number="75 000 000 01", email="other@example.org"))
    slot.refresh_from_db()
    assert slot.booked == 1


def test_passport_number_also_identifies_the_person():
    slot = SlotFactory(capacity=5)
    book(slot, person(1, foreigner_number="", passport_number="ab 123456"))

    with pytest.raises(AlreadyBooked):
        book(slot, person(2, foreigner_number="", passport_number="AB123456"))


def test_same_number_with_another_birth_date_is_another_person():
    slot = SlotFactory(capacity=5)
    book(slot, person(1))
    assert book(slot, person(1, birth_date=dt.date(1985, 1, 1)))


def test_same_person_may_book_another_procedure_or_again_after_cancelling():
    slot = SlotFactory(capacity=5)
    other_procedure = SlotFactory(capacity=5)
    first = book(slot)
    assert book(other_procedure)

    Booking.objects.filter(pk=first.pk).update(status=Booking.Status.CANCELLED)
    assert book(slot)


def test_database_refuses_two_active_bookings_even_if_python_forgets_to_check():
    slot = SlotFactory(capacity=5)
    booking = book(slot)
    booking.pk = None
    booking.reference, booking.token = "XXXXXXXX", "another-token"
    with pytest.raises(IntegrityError):
        booking.save(force_insert=True)


def test_booking_records_channel_language_and_agent(django_user_model):
    agent = django_user_model.objects.create_user("agent", password="x" * 12)
    booking = book(SlotFactory(), channel=Channel.PHONE, language="en", agent=agent)
    booking.refresh_from_db()
    assert (booking.channel, booking.language, booking.created_by) == (Channel.PHONE, "en", agent)


def test_no_slot_at_that_time_is_full():
    slot = SlotFactory()
    with pytest.raises(SlotFull):
        book_appointment(
            counter_type=slot.counter_type, starts_at=slot.starts_at + dt.timedelta(minutes=1), person=person()
        )
    assert Slot.objects.get(pk=slot.pk).booked == 0
