import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from booking.exceptions import AlreadyBooked, NotOnAppointmentDay, SlotFull, StatusChangeRefused
from booking.models import Booking, Channel, OutboundEmail
from booking.services import (
    book_for_caller,
    check_in_booking,
    mark_booking_done,
    mark_booking_no_show,
    mark_no_shows_for_day,
)
from booking.tasks import mark_no_shows_task
from counters.models import Handover
from tests.factories import CounterTypeFactory, SlotFactory, at, book_confirmed, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk():
    return get_user_model().objects.create_user(username="clerk", is_staff=True)


def _book(slot, n=0, **kwargs):
    return book_confirmed(counter_type=slot.counter_type, starts_at=slot.starts_at, person=person(n), **kwargs)


def _slot_today(hour=9, **fields):
    return SlotFactory(starts_at=at(timezone.localdate(), hour), **fields)


def test_check_in_on_the_day_records_the_arrival(clerk):
    booking = _book(_slot_today())
    check_in_booking(booking=booking, agent=clerk)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CHECKED_IN
    assert booking.checked_in_at is not None


def test_check_in_is_refused_on_another_day(clerk):
    slot = SlotFactory(starts_at=at(timezone.localdate() + dt.timedelta(days=3), 9))
    booking = _book(slot)
    with pytest.raises(NotOnAppointmentDay) as refusal:
        check_in_booking(booking=booking, agent=clerk)
    assert booking.display_reference in str(refusal.value.message)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED


def test_a_second_check_in_is_refused(clerk):
    booking = _book(_slot_today())
    check_in_booking(booking=booking, agent=clerk)
    with pytest.raises(StatusChangeRefused):
        check_in_booking(booking=booking, agent=clerk)


def test_done_records_the_receipt_when_the_procedure_hands_one_over(clerk):
    counter_type = CounterTypeFactory(handover=Handover.RECEIPT)
    booking = _book(_slot_today(counter_type=counter_type))
    check_in_booking(booking=booking, agent=clerk)
    mark_booking_done(booking=booking, agent=clerk, handed_over=True)
    booking.refresh_from_db()
    assert (booking.status, booking.handed_over) == (Booking.Status.DONE, Handover.RECEIPT)


def test_done_records_nothing_handed_over_for_a_procedure_without_handover(clerk):
    booking = _book(_slot_today())
    check_in_booking(booking=booking, agent=clerk)
    mark_booking_done(booking=booking, agent=clerk, handed_over=True)
    booking.refresh_from_db()
    assert (booking.status, booking.handed_over) == (Booking.Status.DONE, "")


def test_done_is_refused_before_check_in(clerk):
    booking = _book(_slot_today())
    with pytest.raises(StatusChangeRefused):
        mark_booking_done(booking=booking, agent=clerk)


def test_no_show_is_refused_before_the_appointment_starts(clerk):
    booking = _book(_slot_today())
    with pytest.raises(StatusChangeRefused):
        mark_booking_no_show(booking=booking, agent=clerk, now=booking.slot.starts_at - dt.timedelta(minutes=1))
    mark_booking_no_show(booking=booking, agent=clerk, now=booking.slot.starts_at + dt.timedelta(minutes=1))
    booking.refresh_from_db()
    assert booking.status == Booking.Status.NO_SHOW


def test_end_of_day_marks_absent_only_those_never_checked_in(clerk):
    today = timezone.localdate()
    slot = _slot_today(capacity=5)
    came, missed, gone = _book(slot, 1), _book(slot, 2), _book(slot, 3)
    tomorrow = _book(SlotFactory(starts_at=at(today + dt.timedelta(days=1), 9)), 4)
    Booking.objects.filter(pk=gone.pk).update(status=Booking.Status.CANCELLED)
    check_in_booking(booking=came, agent=clerk)
    assert mark_no_shows_for_day(day=today) == 1
    assert mark_no_shows_for_day(day=today) == 0  # idempotent
    statuses = dict(Booking.objects.values_list("pk", "status"))
    assert statuses == {
        came.pk: Booking.Status.CHECKED_IN,
        missed.pk: Booking.Status.NO_SHOW,
        gone.pk: Booking.Status.CANCELLED,
        tomorrow.pk: Booking.Status.CONFIRMED,
    }


def test_no_show_task_marks_the_given_day():
    booking = _book(_slot_today())
    assert mark_no_shows_task.delay(timezone.localdate().isoformat()).get() == 1
    booking.refresh_from_db()
    assert booking.status == Booking.Status.NO_SHOW


def test_a_booking_for_a_caller_records_channel_and_agent(clerk):
    slot = SlotFactory(capacity=1)
    booking = book_for_caller(
        counter_type=slot.counter_type, starts_at=slot.starts_at, person=person(), channel=Channel.PHONE, agent=clerk
    )
    booking.refresh_from_db()
    assert (booking.channel, booking.created_by, booking.reserved_place) == (Channel.PHONE, clerk, False)


def test_a_caller_without_email_is_booked_without_any_email_queued(clerk):
    slot = SlotFactory()
    booking = book_for_caller(
        counter_type=slot.counter_type,
        starts_at=slot.starts_at,
        person=person(email=""),
        channel=Channel.DESK,
        agent=clerk,
    )
    assert not OutboundEmail.objects.filter(booking=booking).exists()


def test_a_booking_for_a_caller_follows_the_one_booking_per_person_rule(clerk):
    slot = SlotFactory(capacity=3)
    _book(slot)
    with pytest.raises(AlreadyBooked):
        book_for_caller(
            counter_type=slot.counter_type,
            starts_at=slot.starts_at,
            person=person(),
            channel=Channel.PHONE,
            agent=clerk,
        )


def test_the_public_never_takes_the_reserved_places_agents_do(clerk):
    slot = SlotFactory(capacity=1, reserved_capacity=1)
    first = _book(slot, 1)
    with pytest.raises(SlotFull):
        _book(slot, 2)
    second = book_for_caller(
        counter_type=slot.counter_type, starts_at=slot.starts_at, person=person(3), channel=Channel.PHONE, agent=clerk
    )
    with pytest.raises(SlotFull):
        book_for_caller(
            counter_type=slot.counter_type,
            starts_at=slot.starts_at,
            person=person(4),
            channel=Channel.PHONE,
            agent=clerk,
        )
    slot.refresh_from_db()
    assert (slot.booked, slot.booked_reserved) == (1, 1)
    assert (first.reserved_place, second.reserved_place) == (False, True)


def test_agents_take_public_places_before_reserved_ones(clerk):
    slot = SlotFactory(capacity=1, reserved_capacity=1)
    booking = book_for_caller(
        counter_type=slot.counter_type, starts_at=slot.starts_at, person=person(), channel=Channel.DESK, agent=clerk
    )
    slot.refresh_from_db()
    assert (slot.booked, slot.booked_reserved, booking.reserved_place) == (1, 0, False)


def test_a_staff_booking_cannot_claim_the_online_channel(clerk):
    slot = SlotFactory()
    with pytest.raises(ValueError):
        book_for_caller(
            counter_type=slot.counter_type,
            starts_at=slot.starts_at,
            person=person(),
            channel=Channel.ONLINE,
            agent=clerk,
        )
