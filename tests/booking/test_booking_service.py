import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError

from booking.eligibility import Answers
from booking.exceptions import AlreadyBooked, NotEligible, OutsideRenewalWindow, SlotFull
from booking.models import ApplicationKind, Booking, Channel, OutboundEmail
from booking.references import REFERENCE_ALPHABET
from booking.services import book_appointment
from counters.models import CounterType, Slot
from tests.factories import CounterFactory, CounterTypeFactory, SlotFactory, at, person

pytestmark = pytest.mark.django_db


def book(slot, who=None, **kwargs):
    return book_appointment(counter_type=slot.counter_type, starts_at=slot.starts_at, person=who or person(), **kwargs)


def test_an_online_booking_holds_one_place_and_sends_only_its_code_after_commit(
    mailoutbox, django_capture_on_commit_callbacks, settings
):
    slot = SlotFactory(capacity=2)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        booking = book(slot)
    email = OutboundEmail.objects.get(booking=booking)
    assert (email.kind, email.status) == (OutboundEmail.Kind.VERIFICATION, OutboundEmail.Status.QUEUED)
    assert mailoutbox == []  # nothing leaves before the commit
    for callback in callbacks:
        callback()

    slot.refresh_from_db()
    assert slot.booked == 1
    assert booking.status == Booking.Status.HELD and booking.channel == Channel.ONLINE
    held_for = booking.hold_expires_at - booking.created_at
    assert abs(held_for - dt.timedelta(minutes=settings.HOLD_MINUTES)) < dt.timedelta(seconds=5)
    assert booking.slot == slot
    assert len(booking.reference) == 8 and set(booking.reference) <= set(REFERENCE_ALPHABET)
    assert len(booking.token) >= 40 and len(booking.verification_token) >= 40
    assert OutboundEmail.objects.get(booking=booking).status == OutboundEmail.Status.SENT
    assert len(mailoutbox) == 1 and mailoutbox[0].attachments == []


def test_a_booking_made_by_an_agent_is_confirmed_at_once_with_its_convocation(
    mailoutbox, django_capture_on_commit_callbacks
):
    slot = SlotFactory(capacity=2)
    with django_capture_on_commit_callbacks(execute=True):
        booking = book(slot, channel=Channel.PHONE)
    assert booking.status == Booking.Status.CONFIRMED and booking.verification_token is None
    assert OutboundEmail.objects.get(booking=booking).kind == OutboundEmail.Kind.CONFIRMATION
    assert len(mailoutbox) == 1 and booking.display_reference in mailoutbox[0].subject
    assert len(mailoutbox[0].attachments) == 2


def test_booking_refused_when_slot_is_full_leaves_nothing_behind():
    slot = SlotFactory(capacity=1)
    book(slot, person(1))

    with pytest.raises(SlotFull):
        book(slot, person(2))

    assert Booking.objects.count() == 1 and OutboundEmail.objects.count() == 1
    slot.refresh_from_db()
    assert slot.booked == 1


def test_a_full_counter_gives_way_to_another_counter_at_the_same_time():
    first = SlotFactory(capacity=1)
    second_counter = CounterFactory(site=first.counter_type.site, counter_types=[first.counter_type])
    second = SlotFactory(counter_type=first.counter_type, counter=second_counter, starts_at=first.starts_at, capacity=1)

    bookings = [book(first, person(1)), book(first, person(2))]

    assert {b.slot_id for b in bookings} == {first.pk, second.pk}
    with pytest.raises(SlotFull):
        book(first, person(3))


def test_second_active_booking_for_the_same_person_and_procedure_is_refused():
    slot = SlotFactory(capacity=5)
    book(slot, person(1, foreigner_number="7500000001"))

    with pytest.raises(AlreadyBooked):
        book(slot, person(2, foreigner_number="75 000 000 01", email="other@example.org"))
    slot.refresh_from_db()
    assert slot.booked == 1


def test_passport_number_also_identifies_the_person():
    slot = SlotFactory(capacity=5)
    book(slot, person(1, foreigner_number="", passport_number="ab 123456"))

    with pytest.raises(AlreadyBooked):
        book(slot, person(2, foreigner_number="", passport_number="AB123456"))


def test_same_number_with_another_birth_date_is_another_person():
    slot = SlotFactory(capacity=5)
    book(slot, person(1))
    assert book(slot, person(1, birth_date=dt.date(1985, 1, 1)))


def test_same_person_may_book_another_procedure_or_again_after_cancelling():
    slot = SlotFactory(capacity=5)
    other_procedure = SlotFactory(capacity=5)
    first = book(slot)
    assert book(other_procedure)

    Booking.objects.filter(pk=first.pk).update(status=Booking.Status.CANCELLED)
    assert book(slot)


def test_database_refuses_two_active_bookings_even_if_python_forgets_to_check():
    slot = SlotFactory(capacity=5)
    booking = book(slot)
    booking.pk = None
    booking.reference, booking.token = "XXXXXXXX", "another-token"
    with pytest.raises(IntegrityError):
        booking.save(force_insert=True)


def test_booking_records_channel_language_and_agent(django_user_model):
    agent = django_user_model.objects.create_user("agent", password="x" * 12)
    booking = book(SlotFactory(), channel=Channel.PHONE, language="en", agent=agent)
    booking.refresh_from_db()
    assert (booking.channel, booking.language, booking.created_by) == (Channel.PHONE, "en", agent)


def test_no_slot_at_that_time_is_full():
    slot = SlotFactory()
    with pytest.raises(SlotFull):
        book_appointment(
            counter_type=slot.counter_type, starts_at=slot.starts_at + dt.timedelta(minutes=1), person=person()
        )
    assert Slot.objects.get(pk=slot.pk).booked == 0


RENEWAL_NOW = at(dt.date(2026, 11, 10), 10)
EXPIRY = dt.date(2027, 1, 15)


@pytest.fixture
def renewal():
    return CounterTypeFactory(eligibility=CounterType.Eligibility.RENEWAL, min_days_ahead=1, max_days_ahead=90)


def test_service_refuses_a_renewal_slot_after_expiry_even_if_the_view_is_bypassed(renewal, mailoutbox):
    slot = SlotFactory(counter_type=renewal, starts_at=at(dt.date(2027, 1, 18), 9))
    answers = Answers(ApplicationKind.PERMIT_RENEWAL, EXPIRY)
    with pytest.raises(OutsideRenewalWindow):
        book(slot, answers=answers, now=RENEWAL_NOW)
    assert not Booking.objects.exists() and not OutboundEmail.objects.exists() and mailoutbox == []
    assert Slot.objects.get(pk=slot.pk).booked == 0


def test_service_refuses_a_renewal_without_its_answers(renewal):
    slot = SlotFactory(counter_type=renewal, starts_at=at(EXPIRY, 9))
    with pytest.raises(NotEligible):
        book(slot, now=RENEWAL_NOW)
    with pytest.raises(NotEligible):
        book(slot, answers=Answers(ApplicationKind.RECEIPT_RENEWAL), now=RENEWAL_NOW)
    assert Slot.objects.get(pk=slot.pk).booked == 0


def test_renewal_on_the_expiry_day_is_booked_with_its_answers_recorded(renewal):
    slot = SlotFactory(counter_type=renewal, starts_at=at(EXPIRY, 9))
    booking = book(slot, answers=Answers(ApplicationKind.RECEIPT_RENEWAL, EXPIRY), now=RENEWAL_NOW)
    booking.refresh_from_db()
    assert (booking.application_kind, booking.permit_expires_on) == ("receipt_renewal", EXPIRY)


def test_a_first_application_books_without_an_expiry_date(renewal):
    slot = SlotFactory(counter_type=renewal, starts_at=at(dt.date(2027, 2, 1), 9))
    booking = book(slot, answers=Answers(ApplicationKind.FIRST), now=RENEWAL_NOW)
    assert (booking.application_kind, booking.permit_expires_on) == (ApplicationKind.FIRST, None)


def test_the_renewal_rule_is_checked_against_the_sites_day_not_pariss(renewal):
    """23:30 in Cayenne on the expiry day is already the next day in Paris: still a valid renewal day."""
    renewal.site.time_zone = "America/Cayenne"
    renewal.site.save()
    starts_at = dt.datetime(2027, 1, 15, 23, 30, tzinfo=ZoneInfo("America/Cayenne"))
    slot = SlotFactory(counter_type=renewal, starts_at=starts_at)
    assert book(slot, answers=Answers(ApplicationKind.PERMIT_RENEWAL, EXPIRY), now=RENEWAL_NOW)


def test_an_agent_booking_for_a_caller_obeys_the_same_rule(renewal, django_user_model):
    from booking.services import book_for_caller

    agent = django_user_model.objects.create_user("agent", password="x" * 12)
    slot = SlotFactory(counter_type=renewal, starts_at=at(dt.date(2027, 1, 18), 9), capacity=0, reserved_capacity=1)
    with pytest.raises(OutsideRenewalWindow):
        book_for_caller(
            counter_type=renewal,
            starts_at=slot.starts_at,
            person=person(),
            channel=Channel.PHONE,
            agent=agent,
            answers=Answers(ApplicationKind.PERMIT_RENEWAL, EXPIRY),
            now=RENEWAL_NOW,
        )
    assert Slot.objects.get(pk=slot.pk).booked_reserved == 0
