import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.utils import translation

from booking.roles import AGENT_GROUP, HEAD_GROUP, sync_staff_groups

STAFF_PASSWORD = "mot-de-passe-de-test-assez-long"


@pytest.fixture(autouse=True)
def _isolated(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.SITE_URL = "http://testserver"
    cache.clear()
    # A request leaves its language active in the thread: each test starts in French, the source language,
    # whatever page the test before it asked for (translated content is written in the active language).
    translation.activate(settings.LANGUAGE_CODE)


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
