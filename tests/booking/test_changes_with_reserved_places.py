"""Cancelling or moving a booking gives its place back to the share it came from: a reserved place to
the agents at once, a public place to everyone once withheld a while (booking.services.places)."""

import datetime as dt

import pytest

from booking.models import Channel
from booking.services import book_for_caller, cancel_booking, move_booking, release_withheld_places
from counters.models import Slot, WithheldPlace
from tests.factories import SlotFactory, book_confirmed, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def agent(django_user_model):
    return django_user_model.objects.create_user("agent-x", password="x" * 12)


def counts(slot):
    slot = Slot.objects.get(pk=slot.pk)
    return slot.booked, slot.booked_reserved


def test_cancelling_a_reserved_place_frees_the_reserved_share(agent):
    slot = SlotFactory(capacity=1, reserved_capacity=1, booked=1)  # the public place is taken already
    booking = book_for_caller(
        counter_type=slot.counter_type, starts_at=slot.starts_at, person=person(1), channel=Channel.PHONE, agent=agent
    )
    assert booking.reserved_place and counts(slot) == (1, 1)

    cancel_booking(booking_id=booking.pk)

    assert counts(slot) == (1, 0)


def test_moving_a_reserved_place_takes_a_public_place_and_frees_the_reserved_one(agent):
    old = SlotFactory(capacity=0, reserved_capacity=1)
    new = SlotFactory(
        counter_type=old.counter_type, counter=old.counter, starts_at=old.starts_at + dt.timedelta(hours=1), capacity=2
    )
    booking = book_for_caller(
        counter_type=old.counter_type, starts_at=old.starts_at, person=person(2), channel=Channel.DESK, agent=agent
    )

    moved = move_booking(booking_id=booking.pk, starts_at=new.starts_at)

    assert moved.slot_id == new.pk and not moved.reserved_place
    assert counts(old) == (0, 0) and counts(new) == (1, 0)


def test_moving_a_public_place_frees_the_public_share_once_withheld():
    old = SlotFactory(capacity=1, reserved_capacity=1)
    new = SlotFactory(
        counter_type=old.counter_type, counter=old.counter, starts_at=old.starts_at + dt.timedelta(hours=1), capacity=1
    )
    booking = book_confirmed(counter_type=old.counter_type, starts_at=old.starts_at, person=person(3))

    move_booking(booking_id=booking.pk, starts_at=new.starts_at)

    assert counts(old) == (1, 0) and counts(new) == (1, 0)  # withheld, still counted
    place = WithheldPlace.objects.get(slot=old)
    release_withheld_places(now=place.release_at)
    assert counts(old) == (0, 0) and counts(new) == (1, 0)


def test_the_audit_trail_records_the_reserved_place_an_agent_took(agent):
    slot = SlotFactory(capacity=1, reserved_capacity=1, booked=1)
    booking = book_for_caller(
        counter_type=slot.counter_type, starts_at=slot.starts_at, person=person(4), channel=Channel.PHONE, agent=agent
    )
    latest = booking.history.order_by("-history_id").first()
    assert latest.reserved_place is True and latest.history_user == agent
