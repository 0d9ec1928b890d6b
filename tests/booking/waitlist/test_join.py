"""Joining a waiting list: the address proved, once per person and procedure (concurrently too), the days kept
to what the eligibility rule allows, leaving it."""

import datetime as dt
import threading

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from booking.address_check import code_for
from booking.eligibility import Answers, months_before
from booking.exceptions import NotEligible
from booking.models import ApplicationKind
from booking.waitlist.models import WaitlistEntry
from booking.waitlist.services import Days, confirm_entry, join_waiting_list, leave_waiting_list
from counters.models import CounterType
from tests.factories import CounterTypeFactory, person
from tests.fairness import waiting

pytestmark = pytest.mark.django_db
Status = WaitlistEntry.Status


def join(counter_type, n=1, **kwargs):
    kwargs.setdefault("answers", Answers())
    kwargs.setdefault("days", Days())
    return join_waiting_list(counter_type=counter_type, person=person(n), **kwargs)


def test_an_entry_waits_once_its_address_is_proved(django_capture_on_commit_callbacks):
    counter_type = CounterTypeFactory()
    with django_capture_on_commit_callbacks(execute=True):
        result = join(counter_type)
    entry = result.entry
    assert entry.status == Status.PENDING and entry.queued_at is None
    [code_email] = mail.outbox
    assert code_for(entry.verification_token) in code_email.subject

    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = confirm_entry(entry_id=entry.pk, code=code_for(entry.verification_token), now=now)
    assert confirmed.status == Status.WAITING and confirmed.queued_at == now
    assert f"/liste-attente/inscription/{entry.token}/" in mail.outbox[-1].body


def test_one_entry_per_person_and_procedure_and_the_first_one_is_told(django_capture_on_commit_callbacks):
    counter_type = CounterTypeFactory()
    first = waiting(counter_type, 1)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        again = join_waiting_list(
            counter_type=counter_type,
            person=person(1, email="intruder@example.org"),
            answers=Answers(),
            days=Days(),
        )
    assert again.entry is None
    assert WaitlistEntry.objects.count() == 1
    assert [message.to for message in mail.outbox] == [[first.email]]
    # Another procedure is another list.
    assert join(CounterTypeFactory(site=counter_type.site)).entry is not None


def test_two_entries_of_one_person_at_once_make_one(transactional_db):
    counter_type = CounterTypeFactory()
    barrier = threading.Barrier(8)
    made, errors = [], []

    def attempt():
        try:
            barrier.wait()
            made.append(join(counter_type).entry)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len([entry for entry in made if entry is not None]) == 1
    assert WaitlistEntry.objects.count() == 1


def test_a_renewal_waits_only_for_days_before_its_permit_expires():
    renewal = CounterTypeFactory(eligibility=CounterType.Eligibility.RENEWAL)
    expires = timezone.localdate() + dt.timedelta(days=40)
    answers = Answers(ApplicationKind.PERMIT_RENEWAL, permit_expires_on=expires)
    entry = join(renewal, answers=answers).entry
    assert entry.available_until == expires
    assert entry.available_from == months_before(expires, 2)  # the renewal window: two months before expiry
    with pytest.raises(NotEligible):  # the question must be answered, as for a booking
        join(renewal, n=2, answers=Answers())
    with pytest.raises(NotEligible):  # no day left
        join(renewal, n=3, answers=answers, days=Days(first=expires + dt.timedelta(days=1)))


def test_leaving_the_list(django_capture_on_commit_callbacks):
    entry = waiting(CounterTypeFactory())
    left = leave_waiting_list(token=entry.token)
    assert left.status == Status.LEFT and left.ended_at is not None
    assert leave_waiting_list(token=entry.token).status == Status.LEFT  # again: nothing changes
    # Left, the person may join again.
    assert join(entry.counter_type).entry is not None
