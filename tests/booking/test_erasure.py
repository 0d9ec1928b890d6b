"""A resident asks, from the manage link, for their booking's data to be deleted once the appointment is past."""

import datetime as dt
import html
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from booking.exceptions import ErasureRefused
from booking.models import Booking
from booking.services import check_erasable, erase_booking
from counters.models import Slot
from tests.factories import CounterTypeFactory, SiteFactory, SlotFactory, at, book_confirmed, person

pytestmark = pytest.mark.django_db

NOUMEA = ZoneInfo("Pacific/Noumea")  # UTC+11: its day ends while Paris is still in the afternoon


def url(name, booking):
    return reverse(f"booking:{name}", kwargs={"token": booking.token})


def text(response) -> str:
    return html.unescape(response.content.decode())


def booked_at(starts_at: dt.datetime, *, site=None) -> Booking:
    counter_type = CounterTypeFactory(site=site) if site else CounterTypeFactory()
    slot = SlotFactory(counter_type=counter_type, starts_at=starts_at, capacity=2)
    return book_confirmed(counter_type=counter_type, starts_at=slot.starts_at, person=person(1))


def move_into_the_past(booking: Booking, *, days: int = 2) -> Booking:
    """The appointment took place `days` days ago (slots cannot be booked in the past)."""
    starts_at = booking.slot.starts_at - dt.timedelta(days=(booking.slot.starts_at - timezone.now()).days + days + 1)
    Slot.objects.filter(pk=booking.slot_id).update(starts_at=starts_at, ends_at=starts_at + dt.timedelta(minutes=15))
    return Booking.objects.select_related("slot", "counter_type__site").get(pk=booking.pk)


@pytest.fixture
def upcoming():
    return booked_at(at(timezone.localdate() + dt.timedelta(days=3), 10))


def test_erasure_is_refused_until_the_day_after_the_appointment_in_the_sites_time_zone():
    site = SiteFactory(time_zone="Pacific/Noumea")
    day = timezone.localdate() + dt.timedelta(days=3)
    booking = booked_at(dt.datetime.combine(day, dt.time(10), tzinfo=NOUMEA), site=site)
    for moment in (booking.slot.starts_at - dt.timedelta(days=1), booking.slot.starts_at + dt.timedelta(hours=13)):
        with pytest.raises(ErasureRefused):
            check_erasable(booking, now=moment)
    # 00:30 the next day in Nouméa, still the afternoon of the appointment's day in Paris and UTC.
    next_day = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0, 30), tzinfo=NOUMEA)
    check_erasable(booking, now=next_day)
    erased = erase_booking(booking_id=booking.pk, now=next_day)
    assert erased.anonymised_at == next_day and erased.last_name == "" and erased.email == ""
    assert not erased.history.exclude(last_name="").exists()
    assert not erased.emails.exclude(recipient="").exists()
    with pytest.raises(ErasureRefused):
        erase_booking(booking_id=booking.pk, now=next_day)  # once


def test_before_the_appointment_the_link_offers_cancelling_not_deleting(client, upcoming):
    page = text(client.get(url("manage", upcoming)))
    assert url("cancel", upcoming) in page and url("erase", upcoming) not in page
    response = client.get(url("erase", upcoming))
    assert response.status_code == 409
    assert "à partir du lendemain de votre rendez-vous" in text(response)
    assert client.post(url("erase", upcoming)).status_code == 409
    upcoming.refresh_from_db()
    assert upcoming.anonymised_at is None and upcoming.last_name == "Diallo"


def test_after_the_appointment_the_resident_deletes_their_data_after_confirming(client, upcoming):
    booking = move_into_the_past(upcoming)
    page = text(client.get(url("manage", booking)))
    assert url("erase", booking) in page

    confirmation = client.get(url("erase", booking))
    assert confirmation.status_code == 200
    assert "Cette suppression est définitive" in text(confirmation)
    booking.refresh_from_db()
    assert booking.anonymised_at is None  # asking is not deleting

    done = client.post(url("erase", booking))
    assert done.status_code == 200 and "Données supprimées" in text(done)
    booking.refresh_from_db()
    assert booking.anonymised_at is not None
    assert (booking.last_name, booking.first_names, booking.email, booking.foreigner_key) == ("", "", "", None)
    assert booking.status == Booking.Status.CONFIRMED  # still counted in the figures

    for name in ("manage", "erase", "cancel", "convocation", "calendar"):
        response = client.get(url(name, booking))
        assert response.status_code == 410, name
        assert "Données supprimées" in text(response) and "Diallo" not in text(response)
    assert client.post(url("erase", booking)).status_code == 410
