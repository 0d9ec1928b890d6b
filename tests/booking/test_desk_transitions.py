"""The desk's transitions: which are allowed when, a second check-in, undoing a mistaken arrival or absence."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from booking.exceptions import AlreadyCheckedIn, NotOnAppointmentDay, StatusChangeRefused
from booking.models import Booking
from booking.services import (
    DeskAction,
    allowed_desk_actions,
    check_in_booking,
    mark_booking_done,
    mark_booking_no_show,
    undo_check_in,
    undo_no_show,
)
from tests.factories import CounterTypeFactory, SiteFactory, SlotFactory, at, book_confirmed, person

pytestmark = pytest.mark.django_db

REUNION = ZoneInfo("Indian/Reunion")  # UTC+4 all year: midnight there is 20:00 or 21:00 in Paris
MINUTE = dt.timedelta(minutes=1)


@pytest.fixture
def clerk():
    return get_user_model().objects.create_user(username="clerk", is_staff=True)


def _booking(starts_at: dt.datetime, n: int = 0, **slot_fields) -> Booking:
    slot = SlotFactory(starts_at=starts_at, **slot_fields)
    return book_confirmed(counter_type=slot.counter_type, starts_at=slot.starts_at, person=person(n))


def _today_at_nine(n: int = 0, **slot_fields) -> Booking:
    return _booking(at(timezone.localdate(), 9), n, **slot_fields)


def test_allowed_actions_follow_the_status_and_the_clock(clerk):
    booking = _today_at_nine()
    nine = booking.slot.starts_at
    assert allowed_desk_actions(booking, now=nine - MINUTE) == [DeskAction.CHECK_IN]
    assert allowed_desk_actions(booking, now=nine + MINUTE) == [DeskAction.CHECK_IN, DeskAction.NO_SHOW]
    assert allowed_desk_actions(booking, now=nine - dt.timedelta(days=1)) == []
    # The day after, it can still be marked absent, no longer checked in.
    assert allowed_desk_actions(booking, now=nine + dt.timedelta(days=1)) == [DeskAction.NO_SHOW]

    check_in_booking(booking=booking, agent=clerk, now=nine)
    booking.refresh_from_db()
    assert allowed_desk_actions(booking, now=nine + MINUTE) == [DeskAction.DONE, DeskAction.UNDO_CHECK_IN]
    assert allowed_desk_actions(booking, now=nine + dt.timedelta(days=1)) == [DeskAction.DONE]

    mark_booking_done(booking=booking, agent=clerk)
    booking.refresh_from_db()
    assert allowed_desk_actions(booking, now=nine + MINUTE) == []


def test_a_second_check_in_says_when_the_arrival_was_recorded_and_changes_nothing(clerk):
    booking = _today_at_nine()
    arrival = at(timezone.localdate(), 9, 12)
    check_in_booking(booking=booking, agent=clerk, now=arrival)
    with pytest.raises(AlreadyCheckedIn) as notice:
        check_in_booking(booking=booking, agent=clerk, now=arrival + dt.timedelta(minutes=5))
    assert str(notice.value.message) == f"{booking.display_reference} : arrivée déjà enregistrée à 09:12."
    booking.refresh_from_db()
    assert (booking.status, booking.checked_in_at) == (Booking.Status.CHECKED_IN, arrival)
    assert booking.history.count() == 3  # held, confirmed, checked in: the second scan wrote nothing


def test_a_mistaken_check_in_is_undone_and_the_audit_trail_keeps_both(clerk):
    booking = _today_at_nine()
    nine = booking.slot.starts_at
    check_in_booking(booking=booking, agent=clerk, now=nine)
    undo_check_in(booking=booking, agent=clerk, now=nine + dt.timedelta(minutes=2))
    booking.refresh_from_db()
    assert (booking.status, booking.checked_in_at) == (Booking.Status.CONFIRMED, None)
    history = list(booking.history.order_by("history_date").values_list("status", "history_user__username"))
    assert history == [("held", None), ("confirmed", None), ("checked_in", "clerk"), ("confirmed", "clerk")]
    # Back where it was: the real arrival can be recorded.
    check_in_booking(booking=booking, agent=clerk, now=nine + dt.timedelta(minutes=3))


def test_a_mistaken_no_show_is_undone_on_the_day(clerk):
    booking = _today_at_nine()
    nine = booking.slot.starts_at
    mark_booking_no_show(booking=booking, agent=clerk, now=nine + MINUTE)
    undo_no_show(booking=booking, agent=clerk, now=nine + dt.timedelta(hours=2))
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED
    assert booking.history.latest().history_user == clerk


def test_undoing_is_refused_once_the_appointment_day_is_over_in_the_sites_time_zone(clerk):
    site = SiteFactory(time_zone="Indian/Reunion")
    day = timezone.localdate()
    booking = _booking(dt.datetime.combine(day, dt.time(9), tzinfo=REUNION), counter_type=CounterTypeFactory(site=site))
    nine = booking.slot.starts_at
    check_in_booking(booking=booking, agent=clerk, now=nine)
    # 22:30 in Paris, still the same day there, but already the next day in Saint-Denis.
    late_evening = dt.datetime.combine(day, dt.time(22, 30), tzinfo=ZoneInfo("Europe/Paris"))
    with pytest.raises(NotOnAppointmentDay) as refusal:
        undo_check_in(booking=booking, agent=clerk, now=late_evening)
    assert booking.display_reference in str(refusal.value.message)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CHECKED_IN


def test_undoing_what_was_not_done_is_refused_with_the_reason(clerk):
    booking = _today_at_nine()
    nine = booking.slot.starts_at
    with pytest.raises(StatusChangeRefused, match="pas d'arrivée à annuler"):
        undo_check_in(booking=booking, agent=clerk, now=nine)
    with pytest.raises(StatusChangeRefused, match="pas d'absence à annuler"):
        undo_no_show(booking=booking, agent=clerk, now=nine)
    check_in_booking(booking=booking, agent=clerk, now=nine)
    mark_booking_done(booking=booking, agent=clerk)
    with pytest.raises(StatusChangeRefused):
        undo_check_in(booking=booking, agent=clerk, now=nine)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.DONE


def test_an_absence_is_not_undone_when_the_person_has_booked_the_procedure_again(clerk):
    booking = _today_at_nine()
    nine = booking.slot.starts_at
    mark_booking_no_show(booking=booking, agent=clerk, now=nine + MINUTE)
    again = _booking(at(timezone.localdate(), 15), counter_type=booking.counter_type)  # same person(0)
    with pytest.raises(StatusChangeRefused, match="autre rendez-vous pour cette démarche"):
        undo_no_show(booking=booking, agent=clerk, now=nine + dt.timedelta(hours=1))
    booking.refresh_from_db()
    assert booking.status == Booking.Status.NO_SHOW
    assert Booking.objects.get(pk=again.pk).status == Booking.Status.CONFIRMED
