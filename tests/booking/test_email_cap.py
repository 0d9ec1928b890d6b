"""No address gets more than a few e-mails an hour from the site, whatever is booked, moved or asked for."""

import datetime as dt
import threading

import pytest
from django.core import mail
from django.db import connection

from booking.emails import requeue_due_emails, send_outbound_email
from booking.models import Booking, OutboundEmail
from booking.services import book_appointment, expire_holds, move_booking, send_access_link
from tests.factories import SlotFactory, book_confirmed, person

pytestmark = pytest.mark.django_db

VICTIM = "victim@example.org"


def sent_to(address: str) -> int:
    return sum(1 for message in mail.outbox if message.to == [address])


def run_the_outbox(now: dt.datetime) -> None:
    """What the workers and the sweep do by `now`: every row due is tried once."""
    for email_id in requeue_due_emails(now=now):
        send_outbound_email(email_id=email_id, now=now)


def test_ten_holds_typed_with_someone_elses_address_reach_it_at_most_the_cap_in_an_hour(
    settings, django_capture_on_commit_callbacks
):
    settings.EMAILS_PER_ADDRESS_PER_HOUR = 5
    slot = SlotFactory(capacity=20)
    with django_capture_on_commit_callbacks(execute=True):
        holds = [
            book_appointment(
                counter_type=slot.counter_type,
                starts_at=slot.starts_at,
                person=person(n, email=f"Victim+{n}@Example.org"),
            )
            for n in range(10)
        ]
    assert sent_to(VICTIM) + sum(sent_to(f"Victim+{n}@Example.org") for n in range(10)) == 5
    waiting = OutboundEmail.objects.filter(status="queued")
    assert waiting.count() == 5  # the first code of a hold is not dropped, it waits for the next hour
    first_sent = OutboundEmail.objects.filter(status="sent").earliest("last_attempt_at").last_attempt_at
    assert all(row.retry_after > first_sent + dt.timedelta(hours=1) for row in waiting)

    # Within the hour nothing more leaves; past it, the holds have expired and their codes are of no use.
    run_the_outbox(first_sent + dt.timedelta(minutes=59))
    assert len(mail.outbox) == 5
    expire_holds(now=holds[0].hold_expires_at + dt.timedelta(minutes=1))
    run_the_outbox(first_sent + dt.timedelta(hours=2))
    assert len(mail.outbox) == 5
    assert OutboundEmail.objects.filter(status="skipped").count() == 5


def test_twenty_moves_send_a_bounded_number_of_emails(settings, django_capture_on_commit_callbacks):
    settings.EMAILS_PER_ADDRESS_PER_HOUR = 5
    first = SlotFactory(capacity=20)  # each move withholds the place it leaves
    second = SlotFactory(
        counter_type=first.counter_type,
        counter=first.counter,
        starts_at=first.starts_at + dt.timedelta(hours=1),
        capacity=20,
    )
    first.counter_type.max_moves = 20
    first.counter_type.save()
    with django_capture_on_commit_callbacks(execute=True):
        booking = book_confirmed(
            counter_type=first.counter_type, starts_at=first.starts_at, person=person(email=VICTIM)
        )
    for move in range(20):
        with django_capture_on_commit_callbacks(execute=True):
            move_booking(booking_id=booking.pk, starts_at=(second if move % 2 == 0 else first).starts_at)
    assert sent_to(VICTIM) == 5  # the confirmation and four moves, then the cap
    booking.refresh_from_db()
    later = booking.updated_at + dt.timedelta(hours=2)
    run_the_outbox(later)
    # Of the moves held back, only the latest is still true: the others are skipped, one e-mail more.
    assert sent_to(VICTIM) == 6
    assert f"SEQUENCE:{booking.version}" in mail.outbox[-1].attachments[0][1]
    assert OutboundEmail.objects.filter(status="queued").count() == 0


def test_over_the_cap_a_link_asked_for_again_is_skipped_with_its_reason(settings, django_capture_on_commit_callbacks):
    settings.EMAILS_PER_ADDRESS_PER_HOUR = 1
    slot = SlotFactory(capacity=2)
    with django_capture_on_commit_callbacks(execute=True):
        booking = book_confirmed(counter_type=slot.counter_type, starts_at=slot.starts_at, person=person(email=VICTIM))
    with django_capture_on_commit_callbacks(execute=True):
        link = send_access_link(booking_id=booking.pk)
    link.refresh_from_db()
    assert link.status == OutboundEmail.Status.SKIPPED and "1 e-mails in the last hour" in link.last_error
    assert sent_to(VICTIM) == 1


@pytest.mark.django_db(transaction=True)
def test_workers_sending_to_one_address_at_once_stay_within_the_cap(settings):
    settings.EMAILS_PER_ADDRESS_PER_HOUR = 3
    settings.CELERY_TASK_ALWAYS_EAGER = True
    slot = SlotFactory(capacity=10)
    bookings = [
        book_confirmed(counter_type=slot.counter_type, starts_at=slot.starts_at, person=person(n, email=VICTIM))
        for n in range(8)
    ]
    # In a transactional test the e-mails went at commit; queue the confirmations again, all due at once.
    mail.outbox.clear()
    OutboundEmail.objects.update(status="skipped")
    rows = OutboundEmail.objects.filter(booking__in=bookings, kind="confirmation")
    rows.update(status="queued", sent_at=None, last_attempt_at=None, attempts=0)
    start = threading.Barrier(8)

    def deliver(email_id):
        try:
            start.wait()
            send_outbound_email(email_id=email_id)
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver, args=(pk,)) for pk in rows.values_list("pk", flat=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sent_to(VICTIM) == 3
    assert OutboundEmail.objects.filter(status="queued", kind="confirmation").count() == 5
    assert Booking.objects.count() == 8
