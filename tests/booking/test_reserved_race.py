import threading

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from booking.exceptions import SlotFull
from booking.models import Booking, Channel
from booking.services import book_appointment, book_for_caller
from counters.models import Slot
from tests.factories import SlotFactory, person

PUBLIC, RESERVED = 3, 2
CONTENDERS = 12  # of each kind


@pytest.mark.django_db(transaction=True)
def test_public_and_staff_racing_for_a_slot_never_overbook_either_share():
    slot = SlotFactory(capacity=PUBLIC, reserved_capacity=RESERVED)
    clerk = get_user_model().objects.create_user(username="clerk", is_staff=True)
    barrier = threading.Barrier(2 * CONTENDERS)
    outcomes: list[tuple[str, str]] = []
    lock = threading.Lock()

    def contend(kind: str, n: int) -> None:
        try:
            barrier.wait()
            if kind == "public":
                book_appointment(counter_type=slot.counter_type, starts_at=slot.starts_at, person=person(n))
            else:
                book_for_caller(
                    counter_type=slot.counter_type,
                    starts_at=slot.starts_at,
                    person=person(n),
                    channel=Channel.PHONE,
                    agent=clerk,
                )
            result = "booked"
        except SlotFull:
            result = "full"
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            result = repr(error)
        finally:
            connection.close()
        with lock:
            outcomes.append((kind, result))

    threads = [
        threading.Thread(target=contend, args=(kind, offset + n))
        for kind, offset in (("public", 0), ("staff", 1000))
        for n in range(CONTENDERS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert {result for _, result in outcomes} <= {"booked", "full"}, outcomes
    assert len(outcomes) == 2 * CONTENDERS
    public_won = sum(1 for kind, result in outcomes if kind == "public" and result == "booked")
    staff_won = sum(1 for kind, result in outcomes if kind == "staff" and result == "booked")
    assert public_won + staff_won == PUBLIC + RESERVED  # every place taken, none twice
    assert public_won <= PUBLIC  # the public never took a reserved place
    slot.refresh_from_db()
    bookings = Booking.objects.filter(slot=slot)
    assert (slot.booked, slot.booked_reserved) == (
        bookings.filter(reserved_place=False).count(),
        bookings.filter(reserved_place=True).count(),
    )
    assert slot.booked_reserved <= RESERVED and slot.booked <= PUBLIC
    assert not bookings.filter(reserved_place=True, channel=Channel.ONLINE).exists()
    assert Slot.objects.get(pk=slot.pk).booked == PUBLIC  # staff fill public places too before reserved ones
