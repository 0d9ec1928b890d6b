"""A head of bureau writes the frequently asked questions of their own sites; those for every site are
the national administrator's (they reach the residents of every prefecture)."""

import pytest
from django.urls import reverse

from prefecture.models import FaqEntry
from tests.conftest import log_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def entries(montpellier, nanterre):
    FaqEntry.objects.all().delete()  # the general questions the migration created
    return {
        "own": FaqEntry.objects.create(question="Montpellier ?", answer="Oui.", site=montpellier.site),
        "other": FaqEntry.objects.create(question="Nanterre ?", answer="Oui.", site=nanterre.site),
        "general": FaqEntry.objects.create(question="Tous les sites ?", answer="Oui."),
    }


def _form(**changes):
    return {"question_fr": "Nouvelle question ?", "answer_fr": "Réponse.", "topic": "other", "position": 0, **changes}


def test_a_head_of_bureau_lists_and_opens_the_questions_of_their_own_sites_only(client, head, montpellier, entries):
    log_in(client, head, sites=[montpellier.site])
    page = client.get(reverse("admin:prefecture_faqentry_changelist")).content.decode()

    assert reverse("admin:prefecture_faqentry_change", args=[entries["own"].pk]) in page
    for name in ("other", "general"):
        url = reverse("admin:prefecture_faqentry_change", args=[entries[name].pk])
        assert url not in page
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == reverse("admin:index")


def test_a_head_of_bureau_cannot_change_another_sites_question_nor_one_for_every_site(
    client, head, montpellier, entries
):
    log_in(client, head, sites=[montpellier.site])
    for name in ("other", "general"):
        entry = entries[name]
        client.post(reverse("admin:prefecture_faqentry_change", args=[entry.pk]), _form(site=montpellier.site.pk))
        entry.refresh_from_db()
        assert entry.question_fr != "Nouvelle question ?"
        assert client.get(reverse("admin:prefecture_faqentry_history", args=[entry.pk])).status_code == 403


def test_a_head_of_bureau_adds_a_question_for_their_site_not_for_every_site_nor_another(
    client, head, montpellier, nanterre, entries
):
    log_in(client, head, sites=[montpellier.site])
    url = reverse("admin:prefecture_faqentry_add")

    for_every_site = client.post(url, _form())
    assert for_every_site.status_code == 200
    assert "Ce champ est obligatoire" in for_every_site.content.decode()
    assert client.post(url, _form(site=nanterre.site.pk)).status_code == 200  # not one of the choices
    assert not FaqEntry.objects.filter(question_fr="Nouvelle question ?").exists()

    assert client.post(url, _form(site=montpellier.site.pk)).status_code == 302
    assert FaqEntry.objects.get(question_fr="Nouvelle question ?").site == montpellier.site


def test_the_national_administrator_writes_the_questions_for_every_site(client, national_admin, entries):
    log_in(client, national_admin, sites=[])
    page = client.get(reverse("admin:prefecture_faqentry_changelist")).content.decode()
    assert all(reverse("admin:prefecture_faqentry_change", args=[entry.pk]) in page for entry in entries.values())

    general = entries["general"]
    response = client.post(reverse("admin:prefecture_faqentry_change", args=[general.pk]), _form(is_published="on"))
    assert response.status_code == 302
    general.refresh_from_db()
    assert (general.question_fr, general.site) == ("Nouvelle question ?", None)
