"""Agents see and act on the bookings of their own sites only; a national administrator sees all."""

import pytest
from django.urls import reverse

from booking.models import Booking
from booking.roles import AGENT_GROUP
from tests.conftest import log_in, make_staff_user

pytestmark = pytest.mark.django_db

NOT_FOUND = "Aucun rendez-vous ne correspond"


@pytest.fixture
def agent_client(client, agent, montpellier, nanterre):
    """An agent of Montpellier, while Nanterre has bookings too."""
    return log_in(client, agent, sites=[montpellier.site])


@pytest.fixture
def head_client(client, head, montpellier, nanterre):
    return log_in(client, head, sites=[montpellier.site])


def _day(world) -> str:
    return world.slot.starts_at.date().isoformat()


def test_another_sites_booking_is_not_found_at_the_desk_like_an_unknown_reference(agent_client, nanterre):
    other = agent_client.get(reverse("staff:booking", args=[nanterre.booking.reference]))
    unknown = agent_client.get(reverse("staff:booking", args=["ZZZZZZZZ"]))
    assert other.status_code == unknown.status_code == 404
    assert nanterre.booking.last_name.upper() not in other.content.decode()
    assert other.content.decode().count(NOT_FOUND) == unknown.content.decode().count(NOT_FOUND) == 1


def test_an_agent_cannot_act_on_another_sites_booking(agent_client, nanterre):
    url = reverse("staff:booking-action", args=[nanterre.booking.reference, "no_show"])
    assert agent_client.post(url).status_code == 404
    response = agent_client.post(reverse("staff:check-in"), {"reference": nanterre.booking.display_reference})
    assert response.status_code == 404 and NOT_FOUND in response.content.decode()
    nanterre.booking.refresh_from_db()
    assert nanterre.booking.status == Booking.Status.CONFIRMED


def test_an_agent_checks_in_the_bookings_of_their_own_site(agent_client, montpellier):
    response = agent_client.post(reverse("staff:check-in"), {"reference": montpellier.booking.display_reference})
    assert response.status_code in (302, 409)  # found; whether the day allows it is the desk rules' business
    assert agent_client.get(reverse("staff:booking", args=[montpellier.booking.reference])).status_code == 200


def test_the_agenda_offers_and_shows_the_agents_sites_only(agent_client, montpellier, nanterre):
    response = agent_client.get(reverse("staff:agenda"), {"date": _day(montpellier)})
    page = response.content.decode()
    assert response.status_code == 200
    assert montpellier.booking.display_reference in page
    assert nanterre.site.name not in page  # not even offered in the choice of sites
    response = agent_client.get(reverse("staff:agenda"), {"site": nanterre.site.pk, "date": _day(nanterre)})
    assert response.status_code == 400
    assert nanterre.booking.display_reference not in response.content.decode()


def test_the_agenda_refuses_another_sites_procedure(agent_client, montpellier, nanterre):
    query = {"site": montpellier.site.pk, "counter_type": nanterre.counter_type.pk, "date": _day(montpellier)}
    assert agent_client.get(reverse("staff:agenda"), query).status_code == 400


def test_export_and_statistics_of_another_site_are_refused(head_client, montpellier, nanterre):
    period = {"start": _day(nanterre), "end": _day(nanterre)}
    for name in ("staff:export", "staff:statistics"):
        response = head_client.get(reverse(name), {"site": nanterre.site.pk, **period})
        assert response.status_code == 400, name
        assert "Ce site n&#x27;existe pas" in response.content.decode()
    export = head_client.get(reverse("staff:export"), {"site": montpellier.site.pk, **period})
    csv = b"".join(export.streaming_content).decode()
    assert montpellier.booking.display_reference in csv
    assert nanterre.booking.display_reference not in csv and nanterre.booking.email not in csv


def test_an_agent_books_only_for_the_procedures_of_their_sites(agent_client, montpellier, nanterre):
    page = agent_client.get(reverse("staff:book")).content.decode()
    assert montpellier.counter_type.name in page and nanterre.counter_type.name not in page
    response = agent_client.get(
        reverse("staff:book"), {"counter_type": nanterre.counter_type.pk, "date": _day(nanterre)}
    )
    assert response.status_code == 400


def test_the_national_administrator_sees_every_site(client, national_admin, montpellier, nanterre):
    log_in(client, national_admin, sites=[])
    assert client.get(reverse("staff:booking", args=[nanterre.booking.reference])).status_code == 200
    response = client.get(reverse("staff:agenda"), {"site": nanterre.site.pk, "date": _day(nanterre)})
    assert response.status_code == 200 and nanterre.booking.display_reference in response.content.decode()
    page = client.get(reverse("staff:agenda"), {"date": _day(montpellier)}).content.decode()
    assert montpellier.site.name in page and nanterre.site.name in page


def test_an_agent_without_a_site_is_told_so(client, montpellier):
    loner = make_staff_user("sans-site", AGENT_GROUP)
    log_in(client, loner, sites=[])
    response = client.get(reverse("staff:agenda"))
    assert response.status_code == 403 and "Aucun site attribué" in response.content.decode()
    assert client.get(reverse("staff:booking", args=[montpellier.booking.reference])).status_code == 404
    assert "aucun site" in client.get(reverse("staff:home")).content.decode()
