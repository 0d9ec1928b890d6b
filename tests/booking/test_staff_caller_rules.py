"""An agent booking for a caller goes through the same eligibility rule as a resident, via the service."""

import datetime as dt
import html

import pytest
from django.urls import reverse

from booking.models import Booking
from counters.models import CounterType
from tests.clock import freeze
from tests.conftest import log_in
from tests.factories import CounterTypeFactory, SlotFactory, at

pytestmark = pytest.mark.django_db
NOW = at(dt.date(2026, 11, 10), 10)


@pytest.fixture
def renewal(monkeypatch):
    freeze(monkeypatch, NOW)
    return CounterTypeFactory(eligibility=CounterType.Eligibility.RENEWAL, name="Renouvellement", max_days_ahead=90)


def caller(counter_type, slot, **answers):
    return {
        "counter_type": counter_type.pk,
        "date": slot.starts_at.date().isoformat(),
        "starts_at": slot.starts_at.isoformat(),
        "channel": "desk",
        "last_name": "Traoré",
        "first_names": "Moussa",
        "birth_date": "1985-03-02",
        "nationality": "ML",
        "foreigner_number": "7512345678",
        "email": "",
        "phone": "",
        **answers,
    }


def test_an_agent_cannot_book_a_renewal_after_the_permits_expiry(client, agent, renewal):
    slot = SlotFactory(counter_type=renewal, starts_at=at(dt.date(2027, 1, 18), 9))
    log_in(client, agent)
    response = client.post(
        reverse("staff:book"), caller(renewal, slot, application_kind="permit_renewal", permit_expires_on="2027-01-15")
    )
    page = html.unescape(response.content.decode())
    assert response.status_code == 409
    assert "au plus tard ce jour-là" in page
    assert 'value="Traoré"' in page  # what the agent typed is kept
    assert not Booking.objects.exists()


def test_an_agent_is_asked_which_kind_of_application(client, agent, renewal):
    slot = SlotFactory(counter_type=renewal, starts_at=at(dt.date(2027, 1, 18), 9))
    log_in(client, agent)
    response = client.post(reverse("staff:book"), caller(renewal, slot))
    assert response.status_code == 409
    assert "première demande ou d'un renouvellement" in html.unescape(response.content.decode())


def test_an_agent_books_a_first_application_without_an_expiry_date(client, agent, renewal):
    slot = SlotFactory(counter_type=renewal, starts_at=at(dt.date(2027, 1, 18), 9))
    log_in(client, agent)
    response = client.post(reverse("staff:book"), caller(renewal, slot, application_kind="first"))
    assert response.status_code == 302
    booking = Booking.objects.get()
    assert (booking.application_kind, booking.permit_expires_on) == ("first", None)
    page = html.unescape(client.get(response.url).content.decode())
    assert "Première demande de titre de séjour" in page  # the agent at the desk sees what is filed
