"""After the draw: places given in order as holds to confirm, the others told, unconfirmed places passed on,
the slots never open to the public, the figures right, and two workers never drawing twice."""

import datetime as dt
import threading

import pytest
from django.core import mail
from django.db import connection

from booking.exceptions import SlotFull
from booking.lottery.drawing import draw_due_lotteries, draw_lottery, give_leftover_places
from booking.lottery.models import Lottery, Registration
from booking.models import Booking, OutboundEmail
from booking.services import book_appointment, confirm_hold, expire_holds, release_withheld_places
from booking.statistics import get_statistics
from booking.waitlist.models import WaitlistEntry
from counters.models import Slot, WithheldPlace
from counters.selectors import is_time_bookable, list_available_days
from tests.factories import CounterTypeFactory, SlotFactory, person
from tests.fairness import draw_time, lottery_opening, registered, slot_of, waiting

pytestmark = pytest.mark.django_db
Status = Registration.Status


def drawn(opening, people: int, capture=None):
    for n in range(people):
        registered(opening, n)
    if capture is None:
        draw_lottery(lottery_id=opening.lottery.pk, now=draw_time(opening))
    else:
        with capture(execute=True):
            draw_lottery(lottery_id=opening.lottery.pk, now=draw_time(opening))
    return list(Registration.objects.filter(lottery__opening=opening).select_related("booking").order_by("rank"))


def test_the_first_drawn_get_a_place_to_confirm_and_the_others_are_told(django_capture_on_commit_callbacks):
    opening = lottery_opening(places=3, confirm_hours=48)
    ranked = drawn(opening, 5)
    slot = slot_of(opening)

    assert [r.status for r in ranked] == [Status.DRAWN] * 3 + [Status.RESERVE] * 2
    for registration in ranked[:3]:
        booking = registration.booking
        assert booking.status == Booking.Status.HELD and booking.slot_id == slot.pk
        assert booking.hold_expires_at == draw_time(opening) + dt.timedelta(hours=48)
        assert booking.emails.get().kind == OutboundEmail.Kind.LOTTERY_DRAWN
    for registration in ranked[3:]:
        assert registration.booking is None
        assert registration.emails.filter(kind=OutboundEmail.Kind.LOTTERY_NOT_DRAWN).count() == 1
    assert Slot.objects.get(pk=slot.pk).booked == 3


def test_the_drawn_e_mail_carries_the_link_to_confirm_and_no_convocation(django_capture_on_commit_callbacks):
    opening = lottery_opening(places=1)
    registered(opening, 1)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        draw_lottery(lottery_id=opening.lottery.pk, now=draw_time(opening))
    registration = Registration.objects.get()
    [message] = mail.outbox
    assert f"/rendez-vous/valider/{registration.booking.verification_token}/" in message.body
    assert registration.registration_hash in message.body
    assert message.attachments == []

    with django_capture_on_commit_callbacks(execute=True):
        confirm_hold(token=registration.booking.verification_token, now=draw_time(opening))
    confirmation = mail.outbox[-1]
    assert {name.rsplit(".", 1)[-1] for name, _content, _type in confirmation.attachments} == {"ics", "pdf"}


def test_each_person_gets_a_slot_of_their_own_procedure():
    filing = CounterTypeFactory(name="Dépôt")
    cards = CounterTypeFactory(site=filing.site, name="Remise")
    opening = lottery_opening(places=4, counter_types=[filing, cards])  # two places each
    for n in range(3):
        registered(opening, n, counter_type=filing)
    registered(opening, 10, counter_type=cards)
    draw_lottery(lottery_id=opening.lottery.pk, now=draw_time(opening))

    for registration in Registration.objects.filter(status=Status.DRAWN).select_related("booking__slot"):
        assert registration.booking.slot.counter_type_id == registration.counter_type_id
    assert Registration.objects.filter(counter_type=filing, status=Status.DRAWN).count() == 2
    assert Registration.objects.filter(counter_type=filing, status=Status.RESERVE).count() == 1
    assert Registration.objects.filter(counter_type=cards, status=Status.DRAWN).count() == 1


def test_a_place_not_confirmed_in_time_passes_to_the_next_drawn(django_capture_on_commit_callbacks):
    opening = lottery_opening(places=2, confirm_hours=48)
    ranked = drawn(opening, 4)
    deadline = ranked[0].booking.hold_expires_at
    confirm_hold(token=ranked[1].booking.verification_token, now=draw_time(opening))

    assert expire_holds(now=deadline) == 1
    place = WithheldPlace.objects.get()
    assert place.slot_id == slot_of(opening).pk
    with django_capture_on_commit_callbacks(execute=True):
        assert release_withheld_places(now=place.release_at) == 1

    place.refresh_from_db()
    assert place.outcome == WithheldPlace.Outcome.WAITING_LIST
    third = Registration.objects.get(pk=ranked[2].pk)
    assert third.status == Status.DRAWN and third.booking.status == Booking.Status.HELD
    assert third.booking.hold_expires_at == place.release_at + dt.timedelta(hours=48)
    assert mail.outbox[-1].to == [third.email]
    assert Registration.objects.get(pk=ranked[3].pk).status == Status.RESERVE
    assert Slot.objects.get(pk=place.slot_id).booked == 2


def test_a_lottery_slot_is_never_offered_to_the_public():
    opening = lottery_opening(places=5)
    counter_type = opening.counter_types.get()
    slot = slot_of(opening)
    assert list_available_days(counter_type) == []
    assert not is_time_bookable(counter_type, starts_at=slot.starts_at)
    with pytest.raises(SlotFull):
        book_appointment(counter_type=counter_type, starts_at=slot.starts_at, person=person(1))
    # An agent still books it, for someone at the desk.
    staff_booking = book_appointment(counter_type=counter_type, starts_at=slot.starts_at, person=person(1), staff=True)
    assert staff_booking.slot_id == slot.pk


def test_places_held_for_the_drawn_are_not_booked_in_the_figures():
    opening = lottery_opening(places=2)
    ranked = drawn(opening, 2)
    confirm_hold(token=ranked[0].booking.verification_token, now=draw_time(opening))
    [row] = [row for row in get_statistics(site=opening.site, start=opening.date, end=opening.date).rows]
    assert row.booked == 1  # the confirmed one; the other is still a hold


def test_two_workers_draw_a_lottery_once(transactional_db):
    opening = lottery_opening(places=2)
    for n in range(5):
        registered(opening, n)
    barrier = threading.Barrier(4)
    counts, errors = [], []

    def run():
        try:
            barrier.wait()
            counts.append(draw_due_lotteries(now=draw_time(opening)))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sum(counts) == 1
    assert Booking.objects.count() == 2 == Slot.objects.get(opening=opening).booked
    assert sorted(Registration.objects.values_list("rank", flat=True)) == [1, 2, 3, 4, 5]
    assert OutboundEmail.objects.filter(kind=OutboundEmail.Kind.LOTTERY_NOT_DRAWN).count() == 3


def test_places_nobody_registered_for_go_to_the_waiting_list():
    opening = lottery_opening(places=3)
    counter_type = opening.counter_types.get()
    entry = waiting(counter_type, 20)
    registered(opening, 1)
    draw_lottery(lottery_id=opening.lottery.pk, now=draw_time(opening))

    entry.refresh_from_db()
    assert entry.status == WaitlistEntry.Status.OFFERED
    assert entry.offers.get().booking.slot_id == slot_of(opening).pk
    assert Slot.objects.get(opening=opening).booked == 2  # the drawn person's and the offer's, one left

    # Someone joining later is offered the last one by the minute job.
    late = waiting(counter_type, 21)
    assert give_leftover_places(now=draw_time(opening) + dt.timedelta(minutes=1)) == 1
    late.refresh_from_db()
    assert late.status == WaitlistEntry.Status.OFFERED
    assert give_leftover_places(now=draw_time(opening) + dt.timedelta(minutes=2)) == 0


def test_someone_drawn_who_already_has_an_appointment_is_skipped():
    opening = lottery_opening(places=1)
    counter_type = opening.counter_types.get()
    slot = slot_of(opening)
    book_appointment(counter_type=counter_type, starts_at=slot.starts_at, person=person(1), staff=True)
    Slot.objects.filter(pk=slot.pk).update(capacity=3)  # two places left: both drawn are tried
    registered(opening, 1)
    registered(opening, 2)
    draw_lottery(lottery_id=opening.lottery.pk, now=draw_time(opening))
    assert Registration.objects.get(foreigner_number=person(1).foreigner_number).status == Status.SKIPPED
    assert Registration.objects.get(foreigner_number=person(2).foreigner_number).status == Status.DRAWN
    assert Lottery.objects.get(opening=opening).is_drawn


def test_two_places_passed_on_at_once_go_to_two_people_in_the_reserve(transactional_db):
    opening = lottery_opening(places=2, confirm_hours=48)
    ranked = drawn(opening, 4)
    deadline = ranked[0].booking.hold_expires_at
    assert expire_holds(now=deadline) == 2
    due = max(WithheldPlace.objects.values_list("release_at", flat=True))
    barrier = threading.Barrier(4)
    outcomes, errors = [], []

    def run():
        try:
            barrier.wait()
            outcomes.append(release_withheld_places(now=due))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and sum(outcomes) == 2
    reserve = Registration.objects.filter(pk__in=[ranked[2].pk, ranked[3].pk])
    assert {registration.status for registration in reserve} == {Status.DRAWN}
    assert Booking.objects.filter(status=Booking.Status.HELD).count() == 2
    assert Slot.objects.get(opening=opening).booked == 2


def test_booking_again_while_drawn_sends_the_drawn_e_mail_again_not_a_code(django_capture_on_commit_callbacks):
    from booking.services import hold_appointment

    opening = lottery_opening(places=1)
    [registration] = drawn(opening, 1)
    other = SlotFactory(counter_type=registration.counter_type, capacity=1)
    with django_capture_on_commit_callbacks(execute=True):
        result = hold_appointment(counter_type=other.counter_type, starts_at=other.starts_at, person=person(0))
    assert result.booking is None  # one appointment per person and procedure: the drawn place is theirs
    kinds = list(registration.booking.emails.values_list("kind", "sequence"))
    assert kinds == [(OutboundEmail.Kind.LOTTERY_DRAWN, 0), (OutboundEmail.Kind.LOTTERY_DRAWN, 1)]
