import psycopg2
import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection

from booking.roles import AGENT_GROUP, HEAD_GROUP, sync_staff_groups

STAFF_PASSWORD = "mot-de-passe-de-test-assez-long"


@pytest.fixture(autouse=True)
def _isolated(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.SITE_URL = "http://testserver"
    cache.clear()


def _staff_user(username: str, group_name: str):
    groups = sync_staff_groups()  # transactional tests flush the groups the migration made
    user = get_user_model().objects.create_user(username=username, password=STAFF_PASSWORD, is_staff=True)
    user.groups.add(groups[group_name])
    return user


@pytest.fixture
def agent(db):
    """An accueil agent: day agenda, check-in, bookings for callers."""
    return _staff_user("agent", AGENT_GROUP)


@pytest.fixture
def head(db):
    """A head of bureau: configuration, exports and statistics too."""
    return _staff_user("cheffe", HEAD_GROUP)


@pytest.fixture
def database_outage():
    """Cut this test's database, as a restart would: end every session on it (this test's and a live
    server's) and refuse new ones, until `restore()` is called."""
    name = connection.settings_dict["NAME"]
    admin = psycopg2.connect(
        dbname="postgres",
        user=connection.settings_dict["USER"],
        host=connection.settings_dict["HOST"],
        port=connection.settings_dict["PORT"],
    )
    admin.autocommit = True

    def cut():
        with admin.cursor() as cursor:
            cursor.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
            # Each call returns once that session is gone.
            cursor.execute(
                "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity WHERE datname = %s",
                [name],
            )

    def restore():
        with admin.cursor() as cursor:
            cursor.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')

    yield cut, restore
    restore()
    admin.close()
    connection.close()  # this test's own session may have been ended: the next query reconnects
