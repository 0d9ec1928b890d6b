"""Counters in natural order: "Dépôt 2" before "Dépôt 10", wherever they are listed."""

import importlib
import re

import pytest
from django.apps import apps
from django.urls import reverse

from counters.models import Counter
from counters.sorting import natural_sort_key
from tests.conftest import log_in
from tests.factories import CounterFactory, SiteFactory

LABELS_IN_ORDER = ["Accueil", "dépôt 1", "Dépôt 2", "Dépôt 10", "Écoute 3", "Urgence"]


def test_numbers_sort_by_value_and_letters_without_case_or_accents():
    shuffled = ["Urgence", "Dépôt 10", "Écoute 3", "Dépôt 2", "Accueil", "dépôt 1"]
    assert sorted(shuffled, key=natural_sort_key) == LABELS_IN_ORDER


@pytest.mark.django_db
def test_the_database_lists_counters_in_natural_order():
    site = SiteFactory()
    for label in reversed(LABELS_IN_ORDER):
        CounterFactory(site=site, label=label)
    assert list(Counter.objects.filter(site=site).values_list("label", flat=True)) == LABELS_IN_ORDER


@pytest.mark.django_db
def test_a_renamed_counter_takes_its_new_place():
    site = SiteFactory()
    two, ten = CounterFactory(site=site, label="Dépôt 2"), CounterFactory(site=site, label="Dépôt 10")
    two.label = "Dépôt 20"
    two.save(update_fields=["label"])
    assert list(Counter.objects.filter(site=site)) == [ten, two]


@pytest.mark.django_db
def test_the_admin_lists_counters_in_natural_order(client, head):
    site = SiteFactory()
    for label in reversed(LABELS_IN_ORDER):
        CounterFactory(site=site, label=label)
    log_in(client, head)
    page = client.get(reverse("admin:counters_counter_changelist")).content.decode()
    listed = re.findall(r'<th class="field-numbered_label"><a [^>]*>([^<]+)</a>', page)
    assert listed == LABELS_IN_ORDER


@pytest.mark.django_db
def test_the_migration_gives_existing_counters_their_sort_key():
    site = SiteFactory()
    for label in LABELS_IN_ORDER:
        CounterFactory(site=site, label=label)
    Counter.objects.update(sort_key="")
    migration = importlib.import_module("counters.migrations.0010_fill_counter_sort_key")
    migration.fill_sort_keys(apps, None)
    assert list(Counter.objects.filter(site=site).values_list("label", flat=True)) == LABELS_IN_ORDER
