"""A booking that cannot get the slot's lock in time is told to retry, never left hanging or 500."""

import threading

import pytest
from django.db import connection, connections, transaction
from django.urls import reverse

from booking.exceptions import ServiceBusy
from booking.models import Booking
from booking.services import book_appointment
from counters.models import Slot
from tests.factories import SlotFactory, person

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def locked_slot():
    slot = SlotFactory(capacity=3)
    locked, release = threading.Event(), threading.Event()

    def hold_lock():
        with transaction.atomic():
            Slot.objects.select_for_update().get(pk=slot.pk)
            locked.set()
            release.wait(timeout=30)
        connections.close_all()

    holder = threading.Thread(target=hold_lock)
    holder.start()
    assert locked.wait(timeout=10)
    with connection.cursor() as cursor:
        cursor.execute("SET lock_timeout = '300ms'")
    yield slot
    release.set()
    holder.join()
    with connection.cursor() as cursor:
        cursor.execute("RESET lock_timeout")


def test_booking_raises_service_busy_when_the_slot_stays_locked(locked_slot):
    with pytest.raises(ServiceBusy):
        book_appointment(counter_type=locked_slot.counter_type, starts_at=locked_slot.starts_at, person=person())
    assert not Booking.objects.exists()


def test_review_step_answers_503_and_keeps_the_draft(client, locked_slot):
    from tests.booking.test_flow_views import to_review

    with connection.cursor() as cursor:
        cursor.execute("RESET lock_timeout")
    to_review(client, locked_slot)
    with connection.cursor() as cursor:
        cursor.execute("SET lock_timeout = '300ms'")

    response = client.post(reverse("booking:review"), {"certify": "on"})

    assert response.status_code == 503
    assert "très sollicité" in response.content.decode()
    assert client.session["booking_draft"]["person"]["last_name"] == "Nguyen"
