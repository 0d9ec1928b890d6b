"""A booking that cannot get the slot's lock in time is told to retry, never left hanging or 500."""

import sqlite3
import threading

import pytest
from django.db import DataError, OperationalError, connection, connections, transaction
from django.db.utils import ConnectionHandler

from booking.exceptions import ServiceBusy
from booking.models import Booking
from booking.services.booking import busy_on_lock_timeout
from counters.models import Slot
from tests.factories import SlotFactory, book_confirmed, person

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
        book_confirmed(counter_type=locked_slot.counter_type, starts_at=locked_slot.starts_at, person=person())
    assert not Booking.objects.exists()


def test_review_step_answers_503_and_keeps_the_draft(client, locked_slot):
    from tests.booking.test_flow_views import to_review
    from tests.flow import hold

    with connection.cursor() as cursor:
        cursor.execute("RESET lock_timeout")
    to_review(client, locked_slot)
    with connection.cursor() as cursor:
        cursor.execute("SET lock_timeout = '300ms'")

    response = hold(client)

    assert response.status_code == 503
    assert "très sollicité" in response.content.decode()
    assert client.session["booking_draft"]["person"]["last_name"] == "Nguyen"


# --- Recognised by error code, whatever language the server speaks ---------------------------


def speak_french(cursor) -> None:
    """Have this session's PostgreSQL messages in French, as on a server set up with lc_messages = fr_FR."""
    try:
        cursor.execute("SET lc_messages TO 'fr_FR.UTF-8'")
    except DataError:
        pytest.fail("the fr_FR.UTF-8 locale is missing on this machine: `make locales` (part of `make test`) adds it")


@pytest.fixture
def french_messages():
    with connection.cursor() as cursor:
        speak_french(cursor)
    yield
    with connection.cursor() as cursor:
        cursor.execute("RESET lc_messages")


def test_lock_timeout_is_busy_when_postgresql_answers_in_french(locked_slot, french_messages):
    with pytest.raises(ServiceBusy) as raised:
        book_confirmed(counter_type=locked_slot.counter_type, starts_at=locked_slot.starts_at, person=person())
    # The server really answered in French: matching its English text could not have recognised it.
    assert "verrou" in str(raised.value.__cause__)
    assert not Booking.objects.exists()


def test_deadlock_victim_is_told_busy_when_postgresql_answers_in_french():
    first, second = SlotFactory(), SlotFactory()
    both_hold_one = threading.Barrier(2)
    outcomes = []

    def lock_in_order(*, ids):
        with transaction.atomic():
            Slot.objects.select_for_update().get(pk=ids[0])
            both_hold_one.wait(timeout=10)
            Slot.objects.select_for_update().get(pk=ids[1])  # one of the two is chosen as the deadlock victim

    def run(ids):
        try:
            with connection.cursor() as cursor:
                speak_french(cursor)
                cursor.execute("SET lock_timeout = '10s'")  # longer than deadlock_timeout (1 s)
            busy_on_lock_timeout(lock_in_order, ids=ids)
            outcomes.append("done")
        except ServiceBusy as error:
            outcomes.append(str(error.__cause__))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(ids,)) for ids in ([first.pk, second.pk], [second.pk, first.pk])]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("done") == 1
    victim = next(outcome for outcome in outcomes if outcome != "done")
    assert "interblocage" in victim  # "deadlock detected", in French


def test_statement_timeout_is_busy(french_messages):
    def slow_write():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_sleep(2)")

    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = '100ms'")
    try:
        with pytest.raises(ServiceBusy):
            busy_on_lock_timeout(slow_write)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET statement_timeout")


@pytest.fixture
def sqlite_database(tmp_path):
    """A Django SQLite connection, as in the embedded default, on a file another connection holds locked."""
    path = tmp_path / "db.sqlite3"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE place (taken INTEGER)")
    handler = ConnectionHandler(
        {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(path), "OPTIONS": {"timeout": 0.1}}}
    )
    yield handler["default"], holder
    handler.close_all()
    holder.close()


def test_sqlite_database_is_locked_is_busy(sqlite_database):
    embedded, holder = sqlite_database

    def write():
        with embedded.cursor() as cursor:
            cursor.execute("INSERT INTO place (taken) VALUES (1)")

    holder.execute("BEGIN EXCLUSIVE")
    with pytest.raises(ServiceBusy):
        busy_on_lock_timeout(write)
    holder.execute("ROLLBACK")
    write()  # the same write goes through once the lock is gone


def test_other_database_errors_are_not_mistaken_for_busy(sqlite_database):
    embedded, _holder = sqlite_database

    def broken_write():
        with embedded.cursor() as cursor:
            cursor.execute("INSERT INTO no_such_table (taken) VALUES (1)")

    with pytest.raises(OperationalError):
        busy_on_lock_timeout(broken_write)
