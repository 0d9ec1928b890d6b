"""One person, one appointment, not transferable: a fixed identity, limited moves, limited cancel-and-rebook."""

import datetime as dt
import html
import importlib
import sqlite3

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from booking.exceptions import MoveLimitReached, TooManyCancellations
from booking.models import Booking
from booking.services import cancel_booking, hold_appointment, move_booking, release_usurped_booking
from tests.factories import SlotFactory, book_confirmed, person

pytestmark = pytest.mark.django_db

FROZEN = importlib.import_module("booking.migrations.0017_booking_identity_frozen")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("last_name", "Acheteur"),
        ("first_names", "Paul"),
        ("birth_date", dt.date(1980, 1, 1)),
        ("nationality", "FR"),
        ("foreigner_number", "7500000099"),
        ("passport_number", "ZZ999999"),
        ("foreigner_key", "0" * 64),
        ("passport_key", "1" * 64),
    ],
)
def test_the_database_refuses_to_change_a_bookings_identity(slot, book, field, value):
    booking = book(slot)
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.filter(pk=booking.pk).update(**{field: value})  # no model code in the way
    booking.refresh_from_db()
    assert (booking.last_name, booking.foreigner_number) == ("Diallo", "7500000000")


def test_the_rest_of_a_booking_still_changes(slot, book):
    booking = book(slot)
    Booking.objects.filter(pk=booking.pk).update(phone="06 00 00 00 00", email="new@example.org")
    booking.save()  # a save that writes the same identity again is fine


def test_anonymisation_may_change_the_identity_once_and_then_it_is_frozen_again(slot, book):
    booking = book(slot)
    anonymous = {"last_name": "ANONYME", "first_names": "", "foreigner_number": "", "foreigner_key": None}
    Booking.objects.filter(pk=booking.pk).update(anonymised_at=timezone.now(), **anonymous)
    booking.refresh_from_db()
    assert booking.last_name == "ANONYME" and booking.anonymised_at is not None
    for change in ({"last_name": "Quelqu'un"}, {"anonymised_at": None}, {"anonymised_at": timezone.now()}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Booking.objects.filter(pk=booking.pk).update(**change)


def test_the_embedded_sqlite_database_has_the_same_trigger():
    database = sqlite3.connect(":memory:")
    columns = ", ".join(f"{name} TEXT" for name in FROZEN.IDENTITY_COLUMNS)
    database.execute(
        f"CREATE TABLE booking_booking (id INTEGER PRIMARY KEY, phone TEXT, anonymised_at TEXT, {columns})"
    )
    database.execute(FROZEN.SQLITE_CREATE)
    database.execute("INSERT INTO booking_booking (id, last_name, phone) VALUES (1, 'Diallo', '')")
    database.execute("UPDATE booking_booking SET phone = '06' WHERE id = 1")
    with pytest.raises(sqlite3.IntegrityError):
        database.execute("UPDATE booking_booking SET last_name = 'Acheteur' WHERE id = 1")
    database.execute("UPDATE booking_booking SET last_name = 'ANONYME', anonymised_at = 'now' WHERE id = 1")
    with pytest.raises(sqlite3.IntegrityError):
        database.execute("UPDATE booking_booking SET last_name = 'Autre' WHERE id = 1")


def test_the_admin_shows_the_identity_but_cannot_change_it(admin_client, slot, book):
    booking = book(slot)
    form = admin_client.get(reverse("admin:booking_booking_change", args=[booking.pk])).context["adminform"].form
    assert not {"last_name", "first_names", "birth_date", "foreigner_number", "passport_number"} & set(form.fields)


def test_moves_are_limited_per_procedure_and_the_page_says_why(client, slot, other_slot, book):
    slot.counter_type.max_moves = 2
    slot.counter_type.save()
    booking = book(slot)
    move_booking(booking_id=booking.pk, starts_at=other_slot.starts_at)
    move_booking(booking_id=booking.pk, starts_at=slot.starts_at)
    with pytest.raises(MoveLimitReached):
        move_booking(booking_id=booking.pk, starts_at=other_slot.starts_at)

    page = html.unescape(client.get(reverse("booking:manage", args=[booking.token])).content.decode())
    assert "déjà été déplacé 2 fois" in page
    assert reverse("booking:move", args=[booking.token]) not in page
    assert reverse("booking:cancel", args=[booking.token]) in page  # cancelling stays possible
    response = client.post(reverse("booking:move", args=[booking.token]), {"starts_at": "x"})
    assert response.status_code == 409


def test_a_procedure_may_allow_no_move_at_all(slot, other_slot, book):
    slot.counter_type.max_moves = 0
    slot.counter_type.save()
    with pytest.raises(MoveLimitReached, match="ne permet pas de déplacer"):
        move_booking(booking_id=book(slot).pk, starts_at=other_slot.starts_at)


def test_cancel_and_rebook_cycles_are_limited_per_identity_across_procedures(settings):
    settings.REBOOK_MAX_CANCELLATIONS, settings.REBOOK_WINDOW_DAYS = 3, 30
    slot = SlotFactory(capacity=10)
    elsewhere = SlotFactory(capacity=10)  # another procedure: the same person
    now = slot.starts_at - dt.timedelta(days=5)
    for day in range(3):
        booking = book_confirmed(
            counter_type=slot.counter_type, starts_at=slot.starts_at, person=person(), now=now + dt.timedelta(days=day)
        )
        cancel_booking(booking_id=booking.pk, now=now + dt.timedelta(days=day))
    with pytest.raises(TooManyCancellations):
        hold_appointment(counter_type=elsewhere.counter_type, starts_at=elsewhere.starts_at, person=person(), now=now)
    # Someone else is not concerned; the same person again once the oldest cancellation is 30 days old.
    assert hold_appointment(
        counter_type=elsewhere.counter_type, starts_at=elsewhere.starts_at, person=person(1), now=now
    ).booking
    later = now + dt.timedelta(days=30, seconds=1)
    Booking.objects.filter(cancelled_at=now).update(cancelled_at=now - dt.timedelta(days=1))
    assert hold_appointment(
        counter_type=elsewhere.counter_type, starts_at=elsewhere.starts_at, person=person(), now=later
    ).booking


def test_a_booking_released_at_the_desk_does_not_count_against_the_real_person(agent, settings):
    settings.REBOOK_MAX_CANCELLATIONS = 1
    slot = SlotFactory(capacity=3)
    squatted = book_confirmed(counter_type=slot.counter_type, starts_at=slot.starts_at, person=person())
    release_usurped_booking(booking=squatted, agent=agent, reason="Identité usurpée")
    result = hold_appointment(counter_type=slot.counter_type, starts_at=slot.starts_at, person=person())
    assert result.booking is not None


def test_the_review_step_says_why_a_rebooking_is_refused(client, settings, django_capture_on_commit_callbacks):
    from tests.booking.test_flow_views import IDENTITY, to_review
    from tests.flow import hold

    settings.REBOOK_MAX_CANCELLATIONS = 1
    slot = SlotFactory(capacity=3)
    identity = person(foreigner_number=IDENTITY["foreigner_number"], birth_date=dt.date(1992, 3, 4))
    cancel_booking(
        booking_id=book_confirmed(counter_type=slot.counter_type, starts_at=slot.starts_at, person=identity).pk
    )
    to_review(client, slot)
    response = hold(client)
    assert response.status_code == 409
    assert "Trop de rendez-vous pris avec ces coordonnées ont été annulés" in html.unescape(response.content.decode())
