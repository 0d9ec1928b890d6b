"""A procedure with no place left says so on its first page, in one request that writes no session."""

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from counters.models import CounterType
from tests.factories import CounterTypeFactory, SlotFactory, at, book_confirmed, next_weekday, person

pytestmark = pytest.mark.django_db


def full(counter_type: CounterType) -> CounterType:
    """Its only place, next Monday, taken (through the booking service where it asks no questions)."""
    starts_at = at(next_weekday(0), 9)
    if counter_type.eligibility == CounterType.Eligibility.NONE:
        SlotFactory(counter_type=counter_type, starts_at=starts_at, capacity=1)
        book_confirmed(counter_type=counter_type, starts_at=starts_at, person=person())
    else:
        SlotFactory(counter_type=counter_type, starts_at=starts_at, capacity=1, booked=1)
    return counter_type


def start_url(counter_type: CounterType) -> str:
    return reverse("booking:start", args=[counter_type.pk])


def test_a_full_procedure_says_no_place_on_its_first_page_with_the_waiting_list_and_the_certificate(client):
    counter_type = full(CounterTypeFactory())

    with CaptureQueriesContext(connection) as queries:
        response = client.get(start_url(counter_type))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Aucun créneau disponible pour le moment" in page
    assert reverse("waitlist:join", args=[counter_type.pk]) in page
    assert reverse("attestations:request", args=[counter_type.pk]) in page
    assert "?questions=1" not in page  # no questions to answer for this one
    assert settings.SESSION_COOKIE_NAME not in response.cookies  # nothing started, nothing saved
    assert not any(query["sql"].startswith(("INSERT", "UPDATE")) for query in queries.captured_queries)


def test_a_procedure_with_a_place_left_and_no_questions_leads_straight_to_the_times(client):
    counter_type = CounterTypeFactory()
    SlotFactory(counter_type=counter_type, starts_at=at(next_weekday(0), 9), capacity=2)

    response = client.get(start_url(counter_type))

    assert response.status_code == 302 and response.url == reverse("booking:slot")
    assert client.get(response.url).status_code == 200


def test_a_procedure_with_a_place_left_and_questions_asks_them_first(client):
    renewal = CounterTypeFactory(eligibility=CounterType.Eligibility.RENEWAL)
    SlotFactory(counter_type=renewal, starts_at=at(next_weekday(0), 9), capacity=2)

    response = client.get(start_url(renewal))

    assert response.status_code == 302 and response.url == reverse("booking:eligibility")


def test_pages_that_change_nothing_write_no_session(client):
    counter_type = CounterTypeFactory()
    slot = SlotFactory(counter_type=counter_type, starts_at=at(next_weekday(0), 9), capacity=2)
    client.get(start_url(counter_type))
    day = slot.starts_at.astimezone(counter_type.site.zone).date().isoformat()
    client.post(reverse("booking:slot"), {"jour": day, "starts_at": slot.starts_at.isoformat()})

    for page in ("booking:slot", "booking:identity", "booking:slot"):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(page)).status_code == 200
        writes = [query["sql"] for query in queries.captured_queries if query["sql"].startswith(("INSERT", "UPDATE"))]
        assert writes == [], page


def test_questions_that_may_lead_to_an_urgent_counter_with_places_are_asked_first(client):
    urgent = CounterTypeFactory(eligibility=CounterType.Eligibility.EXPIRED_PERMIT)
    SlotFactory(counter_type=urgent, starts_at=at(next_weekday(0), 9), capacity=2)
    renewal = full(CounterTypeFactory(eligibility=CounterType.Eligibility.RENEWAL, urgent_counter_type=urgent))

    response = client.get(start_url(renewal))

    assert response.status_code == 302 and response.url == reverse("booking:eligibility")


def test_the_no_place_page_still_lets_one_answer_the_questions(client):
    renewal = full(CounterTypeFactory(eligibility=CounterType.Eligibility.RENEWAL))

    page = client.get(start_url(renewal)).content.decode()
    assert "Aucun créneau disponible pour le moment" in page and f"{start_url(renewal)}?questions=1" in page

    response = client.get(start_url(renewal), {"questions": "1"})
    assert response.status_code == 302 and response.url == reverse("booking:eligibility")
    page = client.get(reverse("booking:eligibility")).content.decode()
    assert 'name="application_kind"' in page
