"""Each process keeps the bookable procedures it read, and reads them again as soon as anything changed."""

import threading

import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

from counters import selectors
from counters.models import CounterType, Site
from tests.factories import CounterTypeFactory

pytestmark = pytest.mark.django_db


def read(pk):
    with CaptureQueriesContext(connection) as queries:
        counter_type = selectors.get_bookable_counter_type(pk=pk)
    return counter_type, len(queries.captured_queries)


def test_a_procedure_read_again_costs_one_query_of_the_version_only():
    counter_type = CounterTypeFactory(name="Dépôt")

    first, first_queries = read(counter_type.pk)
    again, again_queries = read(counter_type.pk)

    assert first.name == again.name == "Dépôt" and again.site == counter_type.site
    assert first_queries == 2 and again_queries == 1
    assert again is not first  # each caller its own copy


@pytest.mark.parametrize(
    "change",
    [
        lambda ct: CounterType.objects.filter(pk=ct.pk).update(name="Renommée"),
        lambda ct: CounterType.objects.filter(pk=ct.pk).update(is_active=False),
        lambda ct: CounterType.objects.filter(pk=ct.pk).update(online_booking=False),
        lambda ct: Site.objects.filter(pk=ct.site_id).update(is_active=False),
        lambda ct: Site.objects.filter(pk=ct.site_id).update(name="Autre site"),
    ],
)
def test_any_change_to_procedures_or_sites_is_seen_at_once(change):
    counter_type = CounterTypeFactory(name="Dépôt")
    read(counter_type.pk)

    change(counter_type)

    fresh = CounterType.objects.filter(pk=counter_type.pk, is_active=True, online_booking=True, site__is_active=True)
    now, queries = read(counter_type.pk)
    assert queries == 2
    if fresh.exists():
        assert (now.name, now.site.name) == (fresh.get().name, fresh.get().site.name)
    else:
        assert now is None


def test_a_copy_changed_by_its_caller_leaves_the_kept_one_alone():
    counter_type = CounterTypeFactory(name="Dépôt")
    read(counter_type.pk)[0].name = "Changé en mémoire"

    assert read(counter_type.pk)[0].name == "Dépôt"


@pytest.mark.django_db(transaction=True)
def test_a_change_committed_by_another_connection_is_seen_by_the_next_read():
    counter_type = CounterTypeFactory(name="Dépôt")
    assert read(counter_type.pk)[0].name == "Dépôt"

    def rename():
        try:
            CounterType.objects.filter(pk=counter_type.pk).update(name="Renommée ailleurs")
        finally:
            connections.close_all()

    other = threading.Thread(target=rename)
    other.start()
    other.join()

    assert read(counter_type.pk)[0].name == "Renommée ailleurs"


def test_the_version_row_comes_back_when_a_database_is_emptied():
    counter_type = CounterTypeFactory(name="Dépôt")
    read(counter_type.pk)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM counters_catalogueversion")

    assert read(counter_type.pk)[1] == 4  # the version, again: its row, the version, the procedure
    CounterType.objects.filter(pk=counter_type.pk).update(name="Renommée")
    assert read(counter_type.pk)[0].name == "Renommée"
