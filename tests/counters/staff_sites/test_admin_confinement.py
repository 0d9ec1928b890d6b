"""In the admin, a head of bureau lists, reads and configures their own sites only."""

import pytest
from django.urls import reverse

from counters.models import Closure, Counter
from tests.conftest import log_in
from tests.factories import ExceptionalOpeningFactory

pytestmark = pytest.mark.django_db


def _objects(world):
    """One object of each configuration model (and the booking) of a site."""
    closure = Closure.objects.create(
        site=world.site, start_date=world.slot.starts_at.date(), end_date=world.slot.starts_at.date(), reason="Travaux"
    )
    opening = ExceptionalOpeningFactory(site=world.site, counter_types=[world.counter_type])
    return {
        "booking_booking": world.booking,
        "counters_slot": world.slot,
        "counters_counter": world.slot.counter,
        "counters_countertype": world.counter_type,
        "counters_closure": closure,
        "counters_exceptionalopening": opening,
        "counters_site": world.site,
    }


@pytest.fixture
def objects(montpellier, nanterre):
    return _objects(montpellier), _objects(nanterre)


MODELS = [
    "booking_booking",
    "counters_slot",
    "counters_counter",
    "counters_countertype",
    "counters_closure",
    "counters_exceptionalopening",
    "counters_site",
]


@pytest.mark.parametrize("model", MODELS)
def test_admin_lists_show_a_head_of_bureau_their_sites_only(client, head, montpellier, objects, model):
    own, other = (group[model] for group in objects)
    log_in(client, head, sites=[montpellier.site])
    page = client.get(reverse(f"admin:{model}_changelist")).content.decode()
    assert reverse(f"admin:{model}_change", args=[own.pk]) in page
    assert reverse(f"admin:{model}_change", args=[other.pk]) not in page
    # Nor its page, whatever the address typed.
    response = client.get(reverse(f"admin:{model}_change", args=[other.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("admin:index")


def test_the_national_administrator_lists_every_site(client, national_admin, objects):
    log_in(client, national_admin, sites=[])
    for model in objects[0]:
        page = client.get(reverse(f"admin:{model}_changelist")).content.decode()
        assert all(reverse(f"admin:{model}_change", args=[group[model].pk]) in page for group in objects), model


def test_a_head_of_bureau_cannot_change_another_sites_counter(client, head, montpellier, nanterre):
    counter = nanterre.slot.counter
    log_in(client, head, sites=[montpellier.site])
    url = reverse("admin:counters_counter_change", args=[counter.pk])
    form = {
        "label": "Renommé",
        "site": nanterre.site.pk,
        "counter_types": [nanterre.counter_type.pk],
        "is_active": "on",
        "rules-TOTAL_FORMS": "0",
        "rules-INITIAL_FORMS": "0",
    }
    client.post(url, form)
    counter.refresh_from_db()
    assert counter.label != "Renommé"
    assert client.get(reverse("admin:counters_counter_history", args=[counter.pk])).status_code == 403
    assert client.post(reverse("admin:counters_counter_delete", args=[counter.pk]), {"post": "yes"}).status_code == 302
    assert Counter.objects.filter(pk=counter.pk).exists()


def test_a_head_of_bureau_cannot_create_a_counter_at_another_site(client, head, montpellier, nanterre):
    log_in(client, head, sites=[montpellier.site])
    form = {"label": "Guichet pirate", "site": nanterre.site.pk, "is_active": "on"}
    form.update({"rules-TOTAL_FORMS": "0", "rules-INITIAL_FORMS": "0"})
    response = client.post(reverse("admin:counters_counter_add"), form)
    assert response.status_code == 200
    assert not Counter.objects.filter(label="Guichet pirate").exists()
    # Their own site: accepted.
    form["site"] = montpellier.site.pk
    form["label"] = "Guichet 12"
    assert client.post(reverse("admin:counters_counter_add"), form).status_code == 302


def test_forms_offer_the_heads_sites_and_procedures_only(client, head, montpellier, nanterre):
    log_in(client, head, sites=[montpellier.site])
    page = client.get(reverse("admin:counters_exceptionalopening_add")).content.decode()
    assert f'value="{montpellier.site.pk}"' in page and f'value="{montpellier.counter_type.pk}"' in page
    assert nanterre.site.name not in page and nanterre.counter_type.name not in page


def test_an_opening_with_another_sites_procedure_is_refused(client, head, montpellier, nanterre):
    log_in(client, head, sites=[montpellier.site])
    form = {
        "site": montpellier.site.pk,
        "date": "2030-06-01",
        "start_time": "08:30",
        "end_time": "12:30",
        "counter_types": [nanterre.counter_type.pk],
        "places": 10,
        "published_at_0": "",
        "published_at_1": "",
        "announcement_title": "Samedi",
        "announcement_text": "",
    }
    response = client.post(reverse("admin:counters_exceptionalopening_add"), form)
    assert response.status_code == 200 and "errornote" in response.content.decode()


def test_only_the_national_administrator_adds_a_site(client, head, national_admin, montpellier):
    log_in(client, head, sites=[montpellier.site])
    assert client.get(reverse("admin:counters_site_add")).status_code == 403
    log_in(client, national_admin, sites=[])
    assert client.get(reverse("admin:counters_site_add")).status_code == 200


def test_a_head_of_bureau_sees_the_accounts_of_their_sites_only(
    client, head, agent, national_admin, django_user_model, montpellier, nanterre
):
    from tests.conftest import assign_sites

    assign_sites(agent, [montpellier.site])
    elsewhere = django_user_model.objects.create_user(username="ailleurs", password="x" * 20, is_staff=True)
    assign_sites(elsewhere, [nanterre.site])
    assign_sites(national_admin, [montpellier.site])
    log_in(client, head, sites=[montpellier.site])
    page = client.get(reverse("admin:auth_user_changelist")).content.decode()
    assert reverse("admin:auth_user_change", args=[agent.pk]) in page
    assert reverse("admin:auth_user_change", args=[elsewhere.pk]) not in page
    assert reverse("admin:auth_user_change", args=[national_admin.pk]) not in page
