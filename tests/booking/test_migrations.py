"""Data migrations, run for real on PostgreSQL from the state just before them."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def migrate_to():
    """Move the database to a given migration; put it back at the latest ones afterwards."""

    def _migrate(target):
        executor = MigrationExecutor(connection)
        executor.migrate([target])
        # The models as they are at `target`, the other apps' as they are now (their tables are at their latest),
        # except those that depend on a later migration of `target`'s app, taken back with it (booking's own
        # sub-apps, such as the lottery and the waiting list).
        loader = MigrationExecutor(connection).loader
        others = [
            node for node in loader.graph.leaf_nodes() if node[0] != target[0] and node in loader.applied_migrations
        ]
        return loader.project_state([target, *others]).apps

    yield _migrate
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def make_booking(apps, n: int):
    """A booking made with the models of `apps`, as they were at that migration."""
    Site, CounterType = apps.get_model("counters", "Site"), apps.get_model("counters", "CounterType")
    Counter, Slot = apps.get_model("counters", "Counter"), apps.get_model("counters", "Slot")
    site, _ = Site.objects.get_or_create(
        slug="p", defaults={"name": "Préfecture", "address": "1 rue", "postal_code": "34000", "city": "Montpellier"}
    )
    counter_type, _ = CounterType.objects.get_or_create(site=site, code="depot", defaults={"name": "Dépôt"})
    starts_at = dt.datetime(2030, 3, 4, 9, tzinfo=dt.UTC)
    slot, _ = Slot.objects.get_or_create(
        counter=Counter.objects.get_or_create(site=site, label="Guichet 1")[0],
        counter_type=counter_type,
        starts_at=starts_at,
        defaults={"ends_at": starts_at + dt.timedelta(minutes=15), "capacity": 5},
    )
    return apps.get_model("booking", "Booking").objects.create(
        reference=f"REF{n}",
        token=f"token-{n}",
        slot=slot,
        counter_type=counter_type,
        last_name="Diallo",
        first_names="Aminata",
        birth_date=dt.date(1990, 5, 17),
        nationality="SN",
        foreigner_key=f"key-{n}",
        email="a@example.org",
    )


def test_booking_version_is_backfilled_from_its_moved_emails(migrate_to):
    apps = migrate_to(("booking", "0008_booking_version"))
    OutboundEmail = apps.get_model("booking", "OutboundEmail")

    def booking(n, moves):
        made = make_booking(apps, n)
        OutboundEmail.objects.create(booking=made, kind="confirmation", sequence=0)
        OutboundEmail.objects.create(booking=made, kind="reminder", sequence=len(moves))
        for sequence in moves:
            OutboundEmail.objects.create(booking=made, kind="moved", sequence=sequence)
        return made.pk

    never_moved, moved_twice, moved_three_times = booking(1, []), booking(2, [1, 2]), booking(3, [1, 2, 3])

    apps = migrate_to(("booking", "0009_backfill_booking_version"))
    versions = dict(apps.get_model("booking", "Booking").objects.values_list("pk", "version"))
    assert versions == {never_moved: 0, moved_twice: 2, moved_three_times: 3}


def test_rows_left_sending_by_the_previous_code_keep_its_ten_minutes(migrate_to):
    apps = migrate_to(("booking", "0010_outbound_email_retry_after"))
    OutboundEmail = apps.get_model("booking", "OutboundEmail")
    booking = make_booking(apps, 1)
    claimed_at = dt.datetime(2030, 3, 1, 9, tzinfo=dt.UTC)
    sending = OutboundEmail.objects.create(booking=booking, kind="confirmation", status="sending")
    OutboundEmail.objects.filter(pk=sending.pk).update(last_attempt_at=claimed_at)
    queued = OutboundEmail.objects.create(booking=booking, kind="reminder", status="queued")

    apps = migrate_to(("booking", "0011_backfill_outbound_email_retry_after"))
    rows = apps.get_model("booking", "OutboundEmail").objects
    assert rows.get(pk=sending.pk).retry_after == claimed_at + dt.timedelta(minutes=10)
    assert rows.get(pk=queued.pk).retry_after == queued.retry_after  # due at once, as the previous sweep had it
