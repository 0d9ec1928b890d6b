"""A code given twice at once logs in once: threads, each with its own connection, against PostgreSQL."""

import threading

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from prefecture.staff_auth import services
from tests.conftest import current_code, give_second_factor

pytestmark = pytest.mark.django_db(transaction=True)


def race(user, code: str, *, threads: int = 8) -> list[str]:
    barrier = threading.Barrier(threads)
    outcomes, lock = [], threading.Lock()

    def attempt():
        try:
            barrier.wait()
            services.verify_second_factor(user=user, code=code)
            result = "accepted"
        except services.SecondFactorError as error:
            result = type(error).__name__
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    workers = [threading.Thread(target=attempt) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    return outcomes


@pytest.fixture
def user():
    return get_user_model().objects.create_user(username="agent", password="x" * 20)


def test_one_recovery_code_given_by_eight_logins_at_once_lets_one_in(user):
    assert connection.vendor == "postgresql"
    code = services.replace_recovery_codes(user=user)[0]
    outcomes = race(user, code)
    assert outcomes.count("accepted") == 1 and len(outcomes) == 8
    assert services.count_recovery_codes(user) == 9


def test_one_app_code_given_by_eight_logins_at_once_lets_one_in(user):
    device = give_second_factor(user)
    outcomes = race(user, current_code(device))
    assert outcomes.count("accepted") == 1 and len(outcomes) == 8
