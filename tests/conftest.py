import uuid
from dataclasses import dataclass

import psycopg2
import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.utils import translation
from django.utils.text import slugify
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from booking.roles import AGENT_GROUP, HEAD_GROUP, sync_staff_groups
from counters.models import Site
from counters.staff_sites.models import StaffProfile

STAFF_PASSWORD = "mot-de-passe-de-test-assez-long"


@pytest.fixture(autouse=True)
def _isolated(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.SITE_URL = "http://testserver"
    # Each test counts its own rate limits: a prefix of its own in the tests' Redis database.
    settings.RATELIMIT_KEY_PREFIX = f"{settings.RATELIMIT_KEY_PREFIX}:{uuid.uuid4().hex[:12]}"
    cache.clear()
    # A request leaves its language active in the thread: each test starts in French, the source language,
    # whatever page the test before it asked for (translated content is written in the active language).
    translation.activate(settings.LANGUAGE_CODE)


def give_second_factor(user) -> TOTPDevice:
    """The user's authenticator app, as after enrolment: a confirmed TOTP device (its key in `.bin_key`)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="Application de test", confirmed=True)


def current_code(device: TOTPDevice) -> str:
    """The six digits the user's authenticator app shows now."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift):06d}"


def wrong_code(device: TOTPDevice) -> str:
    """Six digits the app shows at no moment the server accepts now (the step before, this one, the next)."""
    near = {f"{totp(device.bin_key, step=device.step, drift=drift):06d}" for drift in (-1, 0, 1)}
    return next(code for code in ("000000", "111111", "222222", "333333") if code not in near)


def assign_sites(user, sites) -> None:
    profile, _ = StaffProfile.objects.get_or_create(user=user)
    profile.sites.set(sites)


def log_in(client, user, *, sites=None):
    """Log `user` in as the two login steps leave them: a session verified by their TOTP device.

    `sites`: the sites the user works at; left out, every site existing now (the many tests about one
    site). The tests of site confinement name them.
    """
    assign_sites(user, Site.objects.all() if sites is None else sites)
    device = give_second_factor(user)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def make_staff_user(username: str, group_name: str):
    groups = sync_staff_groups()  # transactional tests flush the groups the migration made
    user = get_user_model().objects.create_user(username=username, password=STAFF_PASSWORD, is_staff=True)
    user.groups.add(groups[group_name])
    give_second_factor(user)
    return user


@pytest.fixture
def agent(db):
    """An accueil agent: day agenda, check-in, bookings for callers."""
    return make_staff_user("agent", AGENT_GROUP)


@pytest.fixture
def head(db):
    """A head of bureau: configuration, exports and statistics too."""
    return make_staff_user("cheffe", HEAD_GROUP)


@pytest.fixture
def admin_client(client, admin_user):
    """pytest-django's, with the second factor every staff session now needs."""
    return log_in(client, admin_user, sites=[])


@dataclass
class SiteWorld:
    """A site with a procedure, a counter, a slot and a booking in it."""

    site: Site
    counter_type: object
    slot: object
    booking: object


def make_site_world(name: str, n: int, day=None) -> SiteWorld:
    from tests.factories import CounterTypeFactory, SiteFactory, SlotFactory, at, book_confirmed, next_weekday, person

    site = SiteFactory(name=name, slug=slugify(name))
    counter_type = CounterTypeFactory(site=site, name=f"Dépôt — {name}")
    slot = SlotFactory(counter_type=counter_type, starts_at=at(day or next_weekday(1), 10), capacity=3)
    booking = book_confirmed(counter_type=counter_type, starts_at=slot.starts_at, person=person(n))
    return SiteWorld(site, counter_type, slot, booking)


@pytest.fixture
def montpellier(db) -> SiteWorld:
    return make_site_world("Préfecture de Montpellier", 1)


@pytest.fixture
def nanterre(db) -> SiteWorld:
    return make_site_world("Préfecture de Nanterre", 2)


@pytest.fixture
def national_admin(db):
    """A national administrator who is not a superuser: the group gives every site."""
    from booking.roles import NATIONAL_GROUP

    return make_staff_user("nationale", NATIONAL_GROUP)


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
