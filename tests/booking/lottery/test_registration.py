"""Registering for a lottery: once per person (concurrently too), in the window, eligible on the opening's day,
the address proved."""

import datetime as dt
import threading

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from booking.address_check import code_for
from booking.eligibility import Answers
from booking.exceptions import AddressCheckExpired, NotEligible, RegistrationClosed, WrongCode
from booking.lottery.drawing import draw_lottery
from booking.lottery.models import Registration
from booking.lottery.services import confirm_registration, register
from booking.models import ApplicationKind, OutboundEmail
from counters.models import CounterType
from tests.factories import CounterTypeFactory, person
from tests.fairness import draw_time, lottery_opening, registered

pytestmark = pytest.mark.django_db
Status = Registration.Status


def test_a_registration_counts_once_its_address_is_proved_by_the_code(django_capture_on_commit_callbacks):
    opening = lottery_opening()
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        result = register(
            opening=opening, counter_type=opening.counter_types.get(), person=person(1), answers=Answers(), now=now
        )
    registration = result.registration
    assert registration.status == Status.PENDING
    [code_email] = mail.outbox
    assert code_for(registration.verification_token) in code_email.subject
    assert registration.verification_token in code_email.body
    assert result.verify_before == now + dt.timedelta(minutes=30)

    with pytest.raises(WrongCode):
        confirm_registration(
            registration_id=registration.pk,
            code="000000" if code_for(registration.verification_token) != "000000" else "111111",
            now=now,
        )
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = confirm_registration(
            registration_id=registration.pk, code=code_for(registration.verification_token), now=now
        )
    assert confirmed.status == Status.REGISTERED and confirmed.verified_at == now
    registered_email = mail.outbox[-1]
    assert registration.registration_hash in registered_email.body
    assert f"/tirage/mon-inscription/{registration.token}/" in registered_email.body


def test_registering_twice_is_refused_and_tells_only_the_first_registrant(django_capture_on_commit_callbacks):
    opening = lottery_opening()
    first = registered(opening, 1)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        # The same person (same number and birth date), another address: nothing new is made.
        again = register(
            opening=opening,
            counter_type=opening.counter_types.get(),
            person=person(1, email="someone-else@example.org"),
            answers=Answers(),
        )
    assert again.registration is None
    assert Registration.objects.count() == 1
    assert [message.to for message in mail.outbox] == [[first.email]]


def test_registering_with_the_passport_of_a_registration_is_refused_too():
    opening = lottery_opening()
    registered(opening, 1, passport_number="AB123456")
    again = register(
        opening=opening,
        counter_type=opening.counter_types.get(),
        person=person(2, foreigner_number="", passport_number="ab 123456"),
        answers=Answers(),
    )
    assert again.registration is None and Registration.objects.count() == 1


def test_two_registrations_of_one_person_at_once_make_one(transactional_db):
    opening = lottery_opening()
    barrier = threading.Barrier(8)
    results, errors = [], []

    def attempt(n):
        try:
            barrier.wait()
            result = register(
                opening=opening, counter_type=opening.counter_types.get(), person=person(1), answers=Answers()
            )
            results.append(result.registration)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len([r for r in results if r is not None]) == 1
    assert Registration.objects.count() == 1


def test_registration_is_refused_outside_its_window():
    opening = lottery_opening()
    counter_type = opening.counter_types.get()
    for moment in (opening.registration_opens_at - dt.timedelta(seconds=1), opening.registration_closes_at):
        with pytest.raises(RegistrationClosed):
            register(opening=opening, counter_type=counter_type, person=person(1), answers=Answers(), now=moment)
    with pytest.raises(RegistrationClosed):
        register(
            opening=opening, counter_type=CounterTypeFactory(site=opening.site), person=person(1), answers=Answers()
        )
    assert not Registration.objects.exists()


def test_eligibility_is_checked_against_the_openings_day():
    renewal = CounterTypeFactory(name="Renouvellement", eligibility=CounterType.Eligibility.RENEWAL)
    opening = lottery_opening(counter_types=[renewal])
    too_early = Answers(ApplicationKind.PERMIT_RENEWAL, permit_expires_on=opening.date + dt.timedelta(days=100))
    with pytest.raises(NotEligible):
        register(opening=opening, counter_type=renewal, person=person(1), answers=too_early)
    in_window = Answers(ApplicationKind.PERMIT_RENEWAL, permit_expires_on=opening.date + dt.timedelta(days=20))
    assert register(opening=opening, counter_type=renewal, person=person(1), answers=in_window).registration


def test_an_address_never_proved_is_left_out_and_does_not_keep_the_person_out():
    opening = lottery_opening()
    now = timezone.now()
    counter_type = opening.counter_types.get()
    unproved = register(opening=opening, counter_type=counter_type, person=person(1), answers=Answers(), now=now)
    # While the code is valid, the person is registered already; once it expired, they may register again.
    assert (
        register(opening=opening, counter_type=counter_type, person=person(1), answers=Answers(), now=now).registration
        is None
    )
    later = now + dt.timedelta(minutes=31)
    with pytest.raises(AddressCheckExpired):
        confirm_registration(token=unproved.registration.verification_token, now=later)
    again = register(opening=opening, counter_type=counter_type, person=person(1), answers=Answers(), now=later)
    assert again.registration is not None
    assert not Registration.objects.filter(pk=unproved.registration.pk).exists()

    draw_lottery(lottery_id=opening.lottery.pk, now=draw_time(opening))
    assert not Registration.objects.exists()  # never proved: not in the draw, and forgotten


def test_a_code_is_valid_at_most_until_the_window_closes():
    opening = lottery_opening()
    late = opening.registration_closes_at - dt.timedelta(minutes=5)
    result = register(
        opening=opening, counter_type=opening.counter_types.get(), person=person(1), answers=Answers(), now=late
    )
    assert result.verify_before == opening.registration_closes_at
    with pytest.raises(AddressCheckExpired):
        confirm_registration(token=result.registration.verification_token, now=opening.registration_closes_at)


def test_registration_emails_respect_the_cap_per_address(settings, django_capture_on_commit_callbacks):
    """Ten people typing the same address: it gets EMAILS_PER_ADDRESS_PER_HOUR e-mails in the hour."""
    settings.EMAILS_PER_ADDRESS_PER_HOUR = 5
    opening = lottery_opening()
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(10):
            register(
                opening=opening,
                counter_type=opening.counter_types.get(),
                person=person(n, email="victim@example.org"),
                answers=Answers(),
            )
    assert len(mail.outbox) == 5
    waiting = OutboundEmail.objects.filter(recipient="victim@example.org", status=OutboundEmail.Status.QUEUED)
    assert waiting.count() == 5  # the first codes wait for the hour; repeats would be dropped
