"""Behind a real PgBouncer in transaction pooling mode, the lock timeout still holds and cursors work.

Each check runs in a thread of its own, whose connection goes through PgBouncer
with the settings DATABASE_PGBOUNCER=true gives; the main thread talks to
PostgreSQL directly to hold a lock.
"""

import copy
import datetime as dt
import threading
import time
from contextlib import contextmanager

import pytest
from django.db import DatabaseError, connection, connections, transaction

from booking.exceptions import ServiceBusy
from booking.models import Booking
from booking.services import book_appointment
from counters.models import Slot
from tests.factories import SlotFactory, person

pytestmark = pytest.mark.django_db(transaction=True)


@contextmanager
def through_pgbouncer(port: int, *, lock_timeout_ms: int = 400):
    """New connections (in new threads) go through PgBouncer, configured as settings.py does for it."""
    original = connections.settings
    pooled = copy.deepcopy(original["default"])
    pooled["PORT"] = port
    pooled["OPTIONS"].pop("options", None)
    pooled["DISABLE_SERVER_SIDE_CURSORS"] = True
    pooled["TIMEOUTS_PER_TRANSACTION"] = {"lock_timeout": lock_timeout_ms, "statement_timeout": 30000}
    connections.settings = {**original, "default": pooled}
    try:
        yield
    finally:
        connections.settings = original


def in_thread(function):
    """Run `function` in a new thread (so on a new connection) and return what it returned or raised."""
    outcome = {}

    def run():
        try:
            outcome["value"] = function()
        except Exception as error:  # noqa: BLE001 - handed back to the test
            outcome["error"] = error
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(30)
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def pooled_port() -> int:
    connection.ensure_connection()
    return connection.connection.info.port


def test_booking_through_pgbouncer_is_told_busy_after_the_lock_timeout(pgbouncer):
    slot = SlotFactory(capacity=3)
    with through_pgbouncer(pgbouncer, lock_timeout_ms=400):
        # Another client of the pool leaves a session setting behind on a server connection.
        in_thread(lambda: connection.cursor().execute("SET lock_timeout = 0"))
        with transaction.atomic():
            Slot.objects.select_for_update().get(pk=slot.pk)  # held directly on PostgreSQL

            def book():
                started = time.monotonic()
                try:
                    book_appointment(counter_type=slot.counter_type, starts_at=slot.starts_at, person=person())
                except ServiceBusy:
                    return time.monotonic() - started
                return None

            waited = in_thread(book)
    assert waited is not None, "the booking went through a locked slot"
    assert 0.3 < waited < 3, f"told busy after {waited:.1f} s instead of the 0.4 s lock timeout"
    assert not Booking.objects.exists()


def test_bookings_and_iterators_work_through_pgbouncer(pgbouncer):
    slot = SlotFactory(capacity=2)
    for hours in range(1, 6):
        SlotFactory(
            counter_type=slot.counter_type, counter=slot.counter, starts_at=slot.starts_at + dt.timedelta(hours=hours)
        )
    with through_pgbouncer(pgbouncer):
        assert in_thread(pooled_port) == pgbouncer
        made = in_thread(
            lambda: book_appointment(counter_type=slot.counter_type, starts_at=slot.starts_at, person=person(1)).pk
        )
        counted = in_thread(lambda: sum(1 for _ in Slot.objects.order_by("pk").iterator(chunk_size=2)))
    assert Booking.objects.filter(pk=made, slot=slot).exists()
    assert Slot.objects.get(pk=slot.pk).booked == 1
    assert counted == 6


def test_a_statement_failing_in_a_savepoint_through_pgbouncer_leaves_the_transaction_usable(pgbouncer):
    """As a second registration for the same person does (booking.lottery.services): the insert fails in its
    savepoint, the transaction goes back to it and looks up the first one. With the timeouts put in front of
    every statement, the rollback to the savepoint must not be refused by the failed transaction."""
    slot = SlotFactory(capacity=2)

    def fail_then_go_on():
        with transaction.atomic():
            try:
                with transaction.atomic():
                    connection.cursor().execute("SELECT 1 / 0")
            except DatabaseError:
                pass
            return Slot.objects.filter(pk=slot.pk).count()

    with through_pgbouncer(pgbouncer):
        assert in_thread(fail_then_go_on) == 1
