"""Someone booked first under another person's identity: at the desk, an agent releases it and books the
real person."""

import datetime as dt
import html

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from booking.exceptions import StatusChangeRefused
from booking.models import Booking, OutboundEmail
from booking.services import check_in_booking, release_usurped_booking
from booking.statistics import get_statistics
from counters.models import Slot, WithheldPlace
from tests.conftest import log_in
from tests.factories import SlotFactory, at, book_confirmed, person

pytestmark = pytest.mark.django_db

REAL_PERSON = {"foreigner_number": "7512345678", "birth_date": dt.date(1985, 3, 2)}


@pytest.fixture
def squatted(django_capture_on_commit_callbacks):
    """A booking made online with the real person's number and birth date, and the squatter's address."""
    slot = SlotFactory(starts_at=at(timezone.localdate() + dt.timedelta(days=3), 9), capacity=1, reserved_capacity=1)
    with django_capture_on_commit_callbacks(execute=True):
        booking = book_confirmed(
            counter_type=slot.counter_type,
            starts_at=slot.starts_at,
            person=person(last_name="Traoré", first_names="Moussa", email="squatter@example.org", **REAL_PERSON),
        )
    mail.outbox.clear()
    return booking


def caller_form(booking) -> dict:
    starts_at = timezone.localtime(booking.slot.starts_at)
    return {
        "counter_type": booking.counter_type_id,
        "date": starts_at.date().isoformat(),
        "starts_at": starts_at.isoformat(),
        "channel": "desk",
        "last_name": "Traoré",
        "first_names": "Moussa",
        "birth_date": "1985-03-02",
        "nationality": "ML",
        "foreigner_number": REAL_PERSON["foreigner_number"],
        "email": "moussa@example.org",
        "phone": "",
    }


def test_an_agent_releases_the_squatted_booking_then_books_the_real_person(
    client, agent, squatted, django_capture_on_commit_callbacks
):
    log_in(client, agent)
    # At the desk, the real person is refused first: the identity is taken.
    refused = client.post(reverse("staff:book"), caller_form(squatted))
    assert refused.status_code == 409
    assert reverse("staff:booking", args=[squatted.reference]) in refused.content.decode()  # the one in the way

    desk = html.unescape(client.get(reverse("staff:booking", args=[squatted.reference])).content.decode())
    release_url = reverse("staff:release-usurped", args=[squatted.reference])
    assert release_url in desk and "Libérer : usurpation d'identité" in desk
    incomplete = client.post(release_url, {"reason": "Identité usurpée"})
    assert incomplete.status_code == 400 and "Vérifiez d'abord les papiers" in html.unescape(
        incomplete.content.decode()
    )
    with django_capture_on_commit_callbacks(execute=True):
        released = client.post(release_url, {"reason": "Titre de séjour vérifié à l'accueil", "papers_checked": "on"})
    assert released.status_code == 302

    squatted.refresh_from_db()
    assert squatted.status == Booking.Status.RELEASED and squatted.cancelled_at is not None
    latest = squatted.history.latest()
    assert (latest.history_user, latest.history_change_reason) == (agent, "Titre de séjour vérifié à l'accueil")
    assert mail.outbox == []  # nothing to the squatter: no cancellation, no convocation
    assert not OutboundEmail.objects.filter(booking=squatted, kind="cancellation").exists()
    assert WithheldPlace.objects.get(slot=squatted.slot).reason == WithheldPlace.Reason.RELEASED

    with django_capture_on_commit_callbacks(execute=True):
        booked = client.post(reverse("staff:book"), caller_form(squatted))
    assert booked.status_code == 302
    real = Booking.objects.exclude(pk=squatted.pk).get()
    assert (real.status, real.email, real.reserved_place) == (Booking.Status.CONFIRMED, "moussa@example.org", True)
    assert [message.to for message in mail.outbox] == [["moussa@example.org"]]
    assert Slot.objects.get(pk=squatted.slot_id).booked_reserved == 1
    day = timezone.localtime(squatted.slot.starts_at).date()
    figures = get_statistics(site=squatted.counter_type.site, start=day, end=day).total
    assert (figures.booked, figures.cancelled) == (1, 1)  # the real person's; the squatter's counts as freed


def test_releasing_needs_its_permission_which_agents_and_heads_have(client, agent, head, squatted, django_user_model):
    url = reverse("staff:release-usurped", args=[squatted.reference])
    assert agent.has_perm("booking.release_usurped") and head.has_perm("booking.release_usurped")
    someone = django_user_model.objects.create_user(username="stagiaire", password="x" * 20, is_staff=True)
    log_in(client, someone)
    assert client.get(url).status_code == 403
    assert client.post(url, {"reason": "x", "papers_checked": "on"}).status_code == 403
    squatted.refresh_from_db()
    assert squatted.status == Booking.Status.CONFIRMED
    log_in(client, head)
    assert client.get(url).status_code == 200


def test_a_person_already_received_cannot_be_released(agent, squatted):
    check_in_booking(booking=squatted, agent=agent, now=squatted.slot.starts_at)
    with pytest.raises(StatusChangeRefused):
        release_usurped_booking(booking=squatted, agent=agent, reason="trop tard")


def test_a_hold_can_be_released_too_and_its_code_is_never_sent(agent):
    from booking.emails import send_outbound_email
    from booking.services import book_appointment

    slot = SlotFactory(capacity=1)
    held = book_appointment(counter_type=slot.counter_type, starts_at=slot.starts_at, person=person())
    release_usurped_booking(booking=held, agent=agent, reason="Identité usurpée")
    assert send_outbound_email(email_id=OutboundEmail.objects.get(booking=held).pk) is False
    assert mail.outbox == []
