"""A freed public place is never bookable at once by whoever refreshes fastest: withheld, then released
at a random time, the waiting list first."""

import datetime as dt
import threading

import pytest
from django.db import connection

from booking.services import cancel_booking, free_place, places, release_withheld_places
from counters.models import Slot, WithheldPlace
from counters.selectors import is_time_bookable, list_available_times
from tests.factories import SlotFactory, book_confirmed, person

pytestmark = pytest.mark.django_db


def booked(slot) -> tuple[int, int]:
    slot = Slot.objects.get(pk=slot.pk)
    return slot.booked, slot.booked_reserved


def cancelled_place(slot, n=0, now=None):
    booking = book_confirmed(counter_type=slot.counter_type, starts_at=slot.starts_at, person=person(n))
    cancel_booking(booking_id=booking.pk, now=now)
    return WithheldPlace.objects.filter(slot=slot).latest("pk")


def test_a_cancelled_place_comes_back_between_the_configured_delays_not_before(settings):
    settings.FREED_PLACE_DELAY_MIN_MINUTES, settings.FREED_PLACE_DELAY_MAX_MINUTES = 2, 20
    full = SlotFactory(capacity=1)
    now = full.starts_at - dt.timedelta(days=2)
    day = full.starts_at.astimezone(full.counter_type.site.zone).date()
    place = cancelled_place(full, now=now)

    assert dt.timedelta(minutes=2) <= place.release_at - now <= dt.timedelta(minutes=20)
    assert place.reason == WithheldPlace.Reason.CANCELLED
    assert booked(full) == (1, 0)
    assert list_available_times(full.counter_type, day=day, now=now) == []  # nothing to refresh for
    assert release_withheld_places(now=place.release_at - dt.timedelta(seconds=1)) == 0
    assert booked(full) == (1, 0)
    assert release_withheld_places(now=place.release_at) == 1
    assert booked(full) == (0, 0)
    assert list_available_times(full.counter_type, day=day, now=now)[0].places_left == 1
    assert release_withheld_places(now=place.release_at + dt.timedelta(hours=1)) == 0  # once only
    place.refresh_from_db()
    assert (place.released_at, place.outcome) == (place.release_at, WithheldPlace.Outcome.PUBLIC)


def test_a_withheld_place_cannot_be_booked_until_released(settings):
    slot = SlotFactory(capacity=1)
    now = slot.starts_at - dt.timedelta(days=2)
    place = cancelled_place(slot, now=now)
    assert not is_time_bookable(slot.counter_type, starts_at=slot.starts_at, now=now)
    release_withheld_places(now=place.release_at)
    assert is_time_bookable(slot.counter_type, starts_at=slot.starts_at, now=now)


def test_release_times_are_drawn_at_random(settings):
    settings.FREED_PLACE_DELAY_MIN_MINUTES, settings.FREED_PLACE_DELAY_MAX_MINUTES = 2, 20
    slot = SlotFactory(capacity=8)
    now = slot.starts_at - dt.timedelta(days=2)
    delays = {cancelled_place(slot, n=n, now=now).release_at - now for n in range(8)}
    assert len(delays) == 8  # eight cancellations at the same moment, eight different release times


def test_the_waiting_list_takes_a_freed_place_before_everyone(slot, monkeypatch):
    offered = []

    def waiting_list_takes_it(place, *, now):
        offered.append(place.slot_id)
        return True

    monkeypatch.setattr(places, "offer_to_waiting_list", waiting_list_takes_it)
    place = cancelled_place(slot)
    release_withheld_places(now=place.release_at)
    place.refresh_from_db()
    assert offered == [slot.pk]
    assert place.outcome == WithheldPlace.Outcome.WAITING_LIST
    assert booked(slot) == (1, 0)  # still taken: by the person from the waiting list


def test_a_place_kept_for_agents_goes_back_to_them_at_once(agent):
    from booking.models import Channel
    from booking.services import book_for_caller

    slot = SlotFactory(capacity=1, booked=1, reserved_capacity=1)
    booking = book_for_caller(
        counter_type=slot.counter_type, starts_at=slot.starts_at, person=person(), channel=Channel.PHONE, agent=agent
    )
    assert booked(slot) == (1, 1)
    cancel_booking(booking_id=booking.pk)
    assert booked(slot) == (1, 0)
    assert not WithheldPlace.objects.exists()


def test_free_place_is_the_one_way_back_for_a_public_place(slot):
    now = slot.starts_at - dt.timedelta(days=1)
    Slot.objects.filter(pk=slot.pk).update(booked=1)
    free_place(slot_id=slot.pk, reserved=False, reason=WithheldPlace.Reason.RELEASED, now=now)
    assert booked(slot) == (1, 0) and WithheldPlace.objects.get().reason == "released"


@pytest.mark.django_db(transaction=True)
def test_release_jobs_running_at_once_release_each_place_once():
    slot = SlotFactory(capacity=6)
    now = slot.starts_at - dt.timedelta(days=2)
    for n in range(6):
        cancelled_place(slot, n=n, now=now)
    assert booked(slot) == (6, 0)
    later = now + dt.timedelta(hours=1)
    start = threading.Barrier(4)
    released = []

    def run():
        try:
            start.wait()
            released.append(release_withheld_places(now=later))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(released) == 6
    assert booked(slot) == (0, 0)
    assert WithheldPlace.objects.filter(released_at__isnull=True).count() == 0
