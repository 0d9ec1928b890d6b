"""The connection health check (SELECT 1) is made only after the connection sat unused, not per request."""

import time

import pytest
from django.db import OperationalError, connections

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def private():
    """A connection of its own, as a web thread holds one, with health checks on and a 60-second idle time."""
    wrapper = connections.create_connection("default")
    wrapper.settings_dict = {**wrapper.settings_dict, "CONN_HEALTH_CHECKS": True, "HEALTH_CHECK_IDLE_S": 60}
    checks = []
    is_usable = wrapper.is_usable

    def counted():
        checks.append(1)
        return is_usable()

    wrapper.is_usable = counted
    wrapper.checks = checks
    yield wrapper
    wrapper.close()


def request(wrapper) -> int:
    """What a request does to its thread's connection: Django's check at its start, then a query."""
    wrapper.close_if_unusable_or_obsolete()
    with wrapper.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def terminate(pid: int) -> None:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    for _ in range(50):  # the backend is gone once no session has its pid
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [pid])
            if not cursor.fetchone()[0]:
                return
        time.sleep(0.05)


def test_a_connection_in_steady_use_is_not_checked_on_every_request(private):
    first = request(private)
    for _ in range(5):
        assert request(private) == first

    assert private.checks == []


def test_a_connection_that_sat_unused_is_checked_and_replaced_when_the_server_dropped_it(private):
    first = request(private)
    terminate(first)
    private.used_at -= 61  # unused for longer than the idle time

    second = request(private)

    assert private.checks == [1] and second != first


def test_a_connection_dropped_while_in_use_fails_one_query_then_the_next_request_reconnects(private):
    first = request(private)
    terminate(first)

    with pytest.raises(OperationalError):
        request(private)
    second = request(private)  # the error marked it: Django checks it at the next request's start

    assert second != first


def test_an_idle_time_of_zero_checks_every_request_as_django_does(private):
    private.settings_dict["HEALTH_CHECK_IDLE_S"] = 0
    for _ in range(3):
        request(private)

    assert len(private.checks) == 2  # every reuse of the connection
