"""Once a booking is committed, the resident sees it: never an error page inviting them to book again."""

import html
from unittest import mock

import pytest
from django.contrib.sessions.models import Session
from django.db import OperationalError
from django.urls import reverse

from booking.models import Booking
from booking.services import cancel_booking
from tests.booking.test_flow_views import to_review
from tests.factories import CounterTypeFactory, SlotFactory
from tests.flow import hold

pytestmark = pytest.mark.django_db


@pytest.fixture
def slot():
    return SlotFactory(capacity=2, counter_type=CounterTypeFactory(min_days_ahead=0))


def refuse_session_writes():
    """The database going away between the booking's commit and the session's save (a restart)."""
    return mock.patch.object(Session, "save", side_effect=OperationalError("server closed the connection"))


def test_the_code_page_and_the_link_still_work_when_the_session_cannot_be_saved_after_holding(
    client, slot, mailoutbox, django_capture_on_commit_callbacks
):
    to_review(client, slot)
    with refuse_session_writes() as save, django_capture_on_commit_callbacks(execute=True):
        response = hold(client)

    assert save.called  # the failure did happen, and was survived
    booking = Booking.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("booking:verify")
    assert len(mailoutbox) == 1
    page = html.unescape(client.get(response["Location"]).content.decode())
    assert "ouvrez le lien de l'e-mail" in page  # not an invitation to book again
    link = reverse("booking:verify-link", args=[booking.verification_token])
    assert link in mailoutbox[0].body
    confirmed = client.post(link)
    assert confirmed["Location"] == reverse("booking:confirmation", args=[booking.token])
    page = html.unescape(client.get(confirmed["Location"]).content.decode())
    assert "Votre rendez-vous est confirmé" in page and booking.display_reference in page


def test_other_pages_still_report_a_session_that_cannot_be_saved(client, slot):
    """Only a committed booking's answer survives; elsewhere Django's own error stands."""
    client.get(reverse("booking:start", args=[slot.counter_type.pk]))
    with refuse_session_writes():
        response = client.get(reverse("booking:start", args=[slot.counter_type.pk]))
    assert response.status_code == 400


def test_the_confirmation_page_is_never_cached(client, book):
    booking = book(SlotFactory(capacity=1))
    response = client.get(reverse("booking:confirmation", args=[booking.token]))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_the_confirmation_page_of_a_cancelled_booking_says_it_is_cancelled(client, book):
    booking = book(SlotFactory(capacity=1))
    cancel_booking(booking_id=booking.pk)

    response = client.get(reverse("booking:confirmation", args=[booking.token]))

    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "Ce rendez-vous est annulé" in page and "Annulé" in page
    assert "confirmé" not in page.lower()
    assert reverse("booking:convocation", args=[booking.token]) not in page
