import datetime as dt
import threading

import pytest
from django.core import mail
from django.db import connection

from booking.models import OutboundEmail
from booking.services import cancel_booking, move_booking, queue_due_reminders


@pytest.fixture
def booking(slot, book):
    booking = book(slot)
    mail.outbox.clear()
    return booking


def reminders(booking):
    return list(OutboundEmail.objects.filter(booking=booking, kind="reminder").values_list("sequence", "status"))


def test_reminder_job_run_twice_sends_one_reminder(booking, slot, django_capture_on_commit_callbacks):
    inside_window = slot.starts_at - dt.timedelta(hours=47)
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            queue_due_reminders(now=inside_window)
    assert reminders(booking) == [(0, "sent")]
    [message] = mail.outbox
    assert message.subject.startswith("Rappel : votre rendez-vous du")
    assert booking.token in message.body


def test_no_reminder_before_the_window_of_the_counter_type(booking, slot):
    assert queue_due_reminders(now=slot.starts_at - dt.timedelta(hours=49)) == 0
    slot.counter_type.reminder_hours_before = 60
    slot.counter_type.save()
    assert queue_due_reminders(now=slot.starts_at - dt.timedelta(hours=49)) == 1


def test_reminders_can_be_switched_off_per_counter_type(booking, slot):
    slot.counter_type.reminder_hours_before = 0
    slot.counter_type.save()
    assert queue_due_reminders(now=slot.starts_at - dt.timedelta(hours=1)) == 0


def test_booking_made_inside_the_window_gets_no_reminder(booking, slot):
    slot.counter_type.reminder_hours_before = 100  # booked 72 h ahead: the confirmation is the reminder
    slot.counter_type.save()
    assert queue_due_reminders(now=slot.starts_at - dt.timedelta(hours=47)) == 0


def test_cancelled_booking_gets_no_reminder(booking, slot):
    cancel_booking(booking_id=booking.pk)
    assert queue_due_reminders(now=slot.starts_at - dt.timedelta(hours=47)) == 0


def test_reminder_overtaken_by_a_cancellation_is_not_sent(booking, slot, django_capture_on_commit_callbacks):
    queue_due_reminders(now=slot.starts_at - dt.timedelta(hours=47))  # queued, its dispatch not run
    cancel_booking(booking_id=booking.pk)
    from booking.emails import send_outbound_email

    reminder = OutboundEmail.objects.get(booking=booking, kind="reminder")
    assert send_outbound_email(email_id=reminder.pk) is False
    assert reminders(booking) == [(0, "skipped")]
    assert mail.outbox == []


def test_moved_appointment_gets_its_own_reminder(booking, slot, other_slot):
    assert queue_due_reminders(now=slot.starts_at - dt.timedelta(hours=47)) == 1
    # Moved a day later, well before the new time's window: a reminder for the new time follows.
    move_booking(booking_id=booking.pk, starts_at=other_slot.starts_at, now=slot.starts_at - dt.timedelta(hours=60))
    OutboundEmail.objects.filter(booking=booking, kind="moved").update(
        created_at=slot.starts_at - dt.timedelta(hours=60)
    )
    assert queue_due_reminders(now=other_slot.starts_at - dt.timedelta(hours=47)) == 1
    assert sorted(seq for seq, _status in reminders(booking)) == [0, 1]


@pytest.mark.django_db(transaction=True)
def test_overlapping_reminder_jobs_queue_one_reminder(slot, settings):
    from tests.factories import book_confirmed, person

    booking = book_confirmed(counter_type=slot.counter_type, starts_at=slot.starts_at, person=person())
    start = threading.Barrier(4)

    def run():
        try:
            start.wait()
            queue_due_reminders(now=slot.starts_at - dt.timedelta(hours=47))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [seq for seq, _status in reminders(booking)] == [0]
    assert len([m for m in mail.outbox if m.subject.startswith("Rappel")]) == 1
