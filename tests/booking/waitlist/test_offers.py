"""Freed places go to the waiting list first, as offers that expire and pass on; concurrent jobs and answers
never give one place twice, nor two places to one person."""

import datetime as dt
import threading

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from booking.exceptions import HoldExpired
from booking.models import Booking, OutboundEmail
from booking.services import cancel_booking, confirm_hold, expire_holds, release_withheld_places
from booking.services.holds import give_up_hold
from booking.statistics import get_statistics
from booking.waitlist.models import Offer, WaitlistEntry
from booking.waitlist.services import Days, weekdays_mask
from counters.models import Slot, WithheldPlace
from counters.selectors import is_time_bookable
from counters.services import publish_opening
from tests.factories import (
    CounterTypeFactory,
    ExceptionalOpeningFactory,
    SlotFactory,
    at,
    book_confirmed,
    next_weekday,
    person,
)
from tests.fairness import waiting

pytestmark = pytest.mark.django_db
Status = WaitlistEntry.Status


@pytest.fixture
def slot(db):
    """A full slot on a Tuesday a week or so ahead."""
    slot = SlotFactory(starts_at=at(next_weekday(1, after=timezone.localdate() + dt.timedelta(days=3)), 10), capacity=1)
    book_confirmed(counter_type=slot.counter_type, starts_at=slot.starts_at, person=person(99))
    return slot


def free_a_place(slot) -> WithheldPlace:
    """The booking in `slot` is cancelled: its place is withheld."""
    booking = Booking.objects.filter(slot=slot, status=Booking.Status.CONFIRMED).first()
    cancel_booking(booking_id=booking.pk)
    return WithheldPlace.objects.filter(slot=slot, released_at__isnull=True).latest("pk")


def release(place: WithheldPlace, capture=None) -> WithheldPlace:
    if capture is None:
        release_withheld_places(now=place.release_at)
    else:
        with capture(execute=True):
            release_withheld_places(now=place.release_at)
    place.refresh_from_db()
    return place


def test_a_freed_place_goes_to_the_waiting_list_before_anyone(slot, django_capture_on_commit_callbacks):
    entry = waiting(slot.counter_type, 1)
    place = free_a_place(slot)
    assert not is_time_bookable(slot.counter_type, starts_at=slot.starts_at)  # nobody can refresh for it
    mail.outbox.clear()

    place = release(place, django_capture_on_commit_callbacks)

    assert place.outcome == WithheldPlace.Outcome.WAITING_LIST
    entry.refresh_from_db()
    assert entry.status == Status.OFFERED
    offer = entry.offers.get()
    assert offer.booking.status == Booking.Status.HELD and offer.booking.slot_id == slot.pk
    assert offer.expires_at == offer.booking.hold_expires_at == place.release_at + dt.timedelta(minutes=120)
    assert not is_time_bookable(slot.counter_type, starts_at=slot.starts_at)  # still not open to the public
    assert Slot.objects.get(pk=slot.pk).booked == 1
    [message] = mail.outbox
    assert message.to == [entry.email]
    assert f"/liste-attente/offre/{offer.booking.verification_token}/" in message.body
    assert message.attachments == []


def test_the_first_whose_days_suit_the_slot_gets_it(slot):
    tuesday = slot.starts_at.weekday()
    mondays_only = waiting(slot.counter_type, 1, days=Days(weekdays=weekdays_mask([0])))
    too_late = waiting(slot.counter_type, 2, days=Days(first=slot.starts_at.date() + dt.timedelta(days=1)))
    suits = waiting(slot.counter_type, 3, days=Days(weekdays=weekdays_mask([tuesday])))
    after = waiting(slot.counter_type, 4)
    release(free_a_place(slot))
    assert Offer.objects.get().entry == suits
    for entry in (mondays_only, too_late, after):
        entry.refresh_from_db()
        assert entry.status == Status.WAITING


def test_an_offer_not_answered_in_time_passes_to_the_next(slot, django_capture_on_commit_callbacks):
    first, second = waiting(slot.counter_type, 1), waiting(slot.counter_type, 2)
    release(free_a_place(slot))
    offer = Offer.objects.get(entry=first)

    assert expire_holds(now=offer.expires_at) == 1
    first.refresh_from_db()
    offer.refresh_from_db()
    assert (first.status, offer.outcome) == (Status.LAPSED, Offer.Outcome.EXPIRED)
    place = WithheldPlace.objects.get(slot=slot, released_at__isnull=True)
    assert not is_time_bookable(slot.counter_type, starts_at=slot.starts_at)

    release(place, django_capture_on_commit_callbacks)
    second.refresh_from_db()
    assert second.status == Status.OFFERED
    assert mail.outbox[-1].to == [second.email]
    assert Slot.objects.get(pk=slot.pk).booked == 1


def test_a_declined_offer_passes_on_and_the_person_keeps_their_turn(slot):
    first, second = waiting(slot.counter_type, 1), waiting(slot.counter_type, 2)
    release(free_a_place(slot))
    offer = Offer.objects.get(entry=first)
    give_up_hold(token=offer.booking.verification_token)

    first.refresh_from_db()
    offer.refresh_from_db()
    assert (first.status, offer.outcome) == (Status.WAITING, Offer.Outcome.DECLINED)
    release(WithheldPlace.objects.get(slot=slot, released_at__isnull=True))
    second.refresh_from_db()
    assert second.status == Status.OFFERED  # this slot is not offered again to whoever declined it
    with pytest.raises(HoldExpired):
        give_up_hold(token=offer.booking.verification_token)


def test_accepting_confirms_the_booking_and_sends_the_convocation(slot, django_capture_on_commit_callbacks):
    entry = waiting(slot.counter_type, 1)
    release(free_a_place(slot))
    offer = Offer.objects.get()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        booking = confirm_hold(token=offer.booking.verification_token)
    assert booking.status == Booking.Status.CONFIRMED
    entry.refresh_from_db()
    offer.refresh_from_db()
    assert (entry.status, offer.outcome) == (Status.BOOKED, Offer.Outcome.ACCEPTED)
    [confirmation] = mail.outbox
    assert {name.rsplit(".", 1)[-1] for name, _content, _type in confirmation.attachments} == {"ics", "pdf"}


def test_nobody_suitable_the_place_goes_back_to_everyone(slot):
    waiting(slot.counter_type, 1, days=Days(weekdays=weekdays_mask([0])))  # Mondays only
    place = release(free_a_place(slot))
    assert place.outcome == WithheldPlace.Outcome.PUBLIC
    assert is_time_bookable(slot.counter_type, starts_at=slot.starts_at)


def test_someone_with_an_appointment_already_leaves_the_list_and_the_next_is_offered(slot):
    other = SlotFactory(counter_type=slot.counter_type, starts_at=slot.starts_at + dt.timedelta(days=1), capacity=1)
    first, second = waiting(slot.counter_type, 1), waiting(slot.counter_type, 2)
    book_confirmed(counter_type=other.counter_type, starts_at=other.starts_at, person=person(1))
    release(free_a_place(slot))
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (Status.ENDED, Status.OFFERED)


def test_places_offered_are_not_booked_in_the_figures(slot):
    waiting(slot.counter_type, 1)
    release(free_a_place(slot))
    day = slot.starts_at.astimezone(slot.counter_type.site.zone).date()
    statistics = get_statistics(site=slot.counter_type.site, start=day, end=day)
    assert statistics.total.booked == 0  # the one cancelled and the offer, still a hold


def test_a_new_opening_is_offered_to_the_waiting_list_before_anyone_sees_it():
    counter_type = CounterTypeFactory(name="Remise de titre")
    first, second, third = (waiting(counter_type, n) for n in range(3))
    opening = ExceptionalOpeningFactory(
        site=counter_type.site,
        date=next_weekday(5, after=timezone.localdate() + dt.timedelta(days=3)),
        start_time=dt.time(9),
        end_time=dt.time(9, 15),
        places=2,
        counter_types=[counter_type],
        published_at=None,
    )
    publish_opening(opening=opening)
    slot = Slot.objects.get(opening=opening)
    assert slot.booked == 2
    assert [entry.status for entry in WaitlistEntry.objects.order_by("queued_at")] == [
        Status.OFFERED,
        Status.OFFERED,
        Status.WAITING,
    ]
    assert not is_time_bookable(counter_type, starts_at=slot.starts_at)


def test_offers_respect_the_cap_per_address(slot, settings, django_capture_on_commit_callbacks):
    settings.EMAILS_PER_ADDRESS_PER_HOUR = 1
    with django_capture_on_commit_callbacks(execute=True):
        waiting(slot.counter_type, 1, email="shared@example.org")
    assert len(mail.outbox) == 1  # "you are on the list" (the code, overtaken by the link, was never sent)
    with django_capture_on_commit_callbacks(execute=True):
        release(free_a_place(slot))
    offer_email = OutboundEmail.objects.get(kind=OutboundEmail.Kind.WAITLIST_OFFER)
    # The address had its e-mail of the hour: the offer waits for the hour to pass, it is not dropped.
    assert offer_email.status == OutboundEmail.Status.QUEUED
    assert offer_email.retry_after > timezone.now()


def run_together(*targets) -> list:
    barrier = threading.Barrier(len(targets))
    outcomes, errors = [], []

    def run(target):
        try:
            barrier.wait()
            outcomes.append(target())
        except Exception as error:  # noqa: BLE001 - an outcome too
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(target,)) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes + errors


def test_two_freed_places_and_two_people_racing_jobs_give_one_place_each(transactional_db):
    counter_type = CounterTypeFactory()
    day = next_weekday(1, after=timezone.localdate() + dt.timedelta(days=3))
    slots = [SlotFactory(counter_type=counter_type, starts_at=at(day, hour), capacity=1) for hour in (10, 11)]
    for n, slot in enumerate(slots):
        book_confirmed(counter_type=counter_type, starts_at=slot.starts_at, person=person(90 + n))
    entries = [waiting(counter_type, n) for n in range(2)]
    places = [free_a_place(slot) for slot in slots]
    due = max(place.release_at for place in places)

    outcomes = run_together(*[lambda: release_withheld_places(now=due)] * 4)

    assert sum(outcomes) == 2
    assert Offer.objects.count() == 2
    assert {offer.entry_id for offer in Offer.objects.all()} == {entry.pk for entry in entries}
    assert {offer.booking.slot_id for offer in Offer.objects.all()} == {slot.pk for slot in slots}
    assert [Slot.objects.get(pk=slot.pk).booked for slot in slots] == [1, 1]


def test_accepting_while_the_offer_expires_ends_one_way_only(transactional_db):
    counter_type = CounterTypeFactory()
    slot = SlotFactory(
        counter_type=counter_type,
        starts_at=at(next_weekday(1, after=timezone.localdate() + dt.timedelta(days=3)), 10),
        capacity=1,
    )
    book_confirmed(counter_type=counter_type, starts_at=slot.starts_at, person=person(90))
    entry = waiting(counter_type, 1)
    release(free_a_place(slot))
    offer = Offer.objects.get()
    token, deadline = offer.booking.verification_token, offer.expires_at

    outcomes = run_together(
        lambda: confirm_hold(token=token, now=deadline - dt.timedelta(seconds=1)),
        lambda: expire_holds(now=deadline),
    )

    booking = Booking.objects.get(pk=offer.booking_id)
    offer.refresh_from_db()
    entry.refresh_from_db()
    withheld = WithheldPlace.objects.filter(slot=slot, released_at__isnull=True).count()
    if booking.status == Booking.Status.CONFIRMED:
        assert (offer.outcome, entry.status, withheld) == (Offer.Outcome.ACCEPTED, Status.BOOKED, 0)
        assert 0 in outcomes  # the expiry found nothing to do
    else:
        assert booking.status == Booking.Status.EXPIRED
        assert (offer.outcome, entry.status, withheld) == (Offer.Outcome.EXPIRED, Status.LAPSED, 1)
        assert any(isinstance(outcome, HoldExpired) for outcome in outcomes)
    assert Slot.objects.get(pk=slot.pk).booked == 1  # the place counted once, whoever won
