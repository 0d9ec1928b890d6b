"""The content written before translations existed becomes their French version (counters 0015)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE, AFTER = ("counters", "0014_translated_content"), ("counters", "0015_copy_content_into_french")


def _apps_at(target):
    executor = MigrationExecutor(connection)
    executor.migrate([target])
    return MigrationExecutor(connection).loader.project_state([target]).apps


def test_existing_procedures_sites_and_openings_keep_their_text_as_the_french_translation():
    try:
        apps = _apps_at(BEFORE)
        site = apps.get_model("counters", "Site").objects.create(
            slug="p",
            name="Préfecture",
            address="1 rue",
            postal_code="34000",
            city="Montpellier",
            opening_information="Du lundi au vendredi.",
        )
        apps.get_model("counters", "CounterType").objects.create(
            site=site, code="depot", name="Dépôt", description="Première demande.", documents_to_bring="Passeport"
        )
        apps.get_model("counters", "ExceptionalOpening").objects.create(
            site=site,
            date="2030-03-09",
            start_time="08:30",
            end_time="12:30",
            places=10,
            announcement_title="Samedi matin",
            announcement_text="Sur rendez-vous.",
        )

        apps = _apps_at(AFTER)
        site = apps.get_model("counters", "Site").objects.get(slug="p")
        counter_type = apps.get_model("counters", "CounterType").objects.get(code="depot")
        opening = apps.get_model("counters", "ExceptionalOpening").objects.get(site=site)
        assert site.opening_information_fr == "Du lundi au vendredi."
        assert (counter_type.name_fr, counter_type.description_fr, counter_type.documents_to_bring_fr) == (
            "Dépôt",
            "Première demande.",
            "Passeport",
        )
        assert (opening.announcement_title_fr, opening.announcement_text_fr) == ("Samedi matin", "Sur rendez-vous.")
        assert counter_type.name_ar is None and site.opening_information_en is None  # shown in French, marked
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
