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
        # The models as they are at `target`, the other apps' as they are now (their tables are at their latest).
        others = [node for node in executor.loader.graph.leaf_nodes() if node[0] != target[0]]
        return MigrationExecutor(connection).loader.project_state([target, *others]).apps

    yield _migrate
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_booking_version_is_backfilled_from_its_moved_emails(migrate_to):
    apps = migrate_to(("booking", "0008_booking_version"))
    Site, CounterType = apps.get_model("counters", "Site"), apps.get_model("counters", "CounterType")
    Counter, Slot = apps.get_model("counters", "Counter"), apps.get_model("counters", "Slot")
    Booking = apps.get_model("booking", "Booking")
    OutboundEmail = apps.get_model("booking", "OutboundEmail")
    site = Site.objects.create(name="Préfecture", slug="p", address="1 rue", postal_code="34000", city="Montpellier")
    counter_type = CounterType.objects.create(site=site, code="depot", name="Dépôt")
    starts_at = dt.datetime(2030, 3, 4, 9, tzinfo=dt.UTC)
    slot = Slot.objects.create(
        counter=Counter.objects.create(site=site, label="Guichet 1"),
        counter_type=counter_type,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(minutes=15),
        capacity=5,
    )

    def booking(n, moves):
        made = Booking.objects.create(
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
        OutboundEmail.objects.create(booking=made, kind="confirmation", sequence=0)
        OutboundEmail.objects.create(booking=made, kind="reminder", sequence=len(moves))
        for sequence in moves:
            OutboundEmail.objects.create(booking=made, kind="moved", sequence=sequence)
        return made.pk

    never_moved, moved_twice, moved_three_times = booking(1, []), booking(2, [1, 2]), booking(3, [1, 2, 3])

    apps = migrate_to(("booking", "0009_backfill_booking_version"))
    versions = dict(apps.get_model("booking", "Booking").objects.values_list("pk", "version"))
    assert versions == {never_moved: 0, moved_twice: 2, moved_three_times: 3}
