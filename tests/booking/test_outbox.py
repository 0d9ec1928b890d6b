"""The outbox's one retry policy, and what happens when a worker dies or the database goes away mid-send.

Bookings are made by phone here: confirmed at once, with one e-mail (the confirmation), where an online
booking would first send its code.
"""

import datetime as dt

import pytest
from django.core import mail

from booking.emails import outbox, requeue_due_emails, send_outbound_email
from booking.models import Channel, OutboundEmail
from booking.tasks import send_email_task

LOCMEM_SEND = "django.core.mail.backends.locmem.EmailBackend.send_messages"


@pytest.fixture
def smtp_down(monkeypatch):
    def refuse(self, *args, **kwargs):
        raise ConnectionRefusedError("SMTP down")

    monkeypatch.setattr(LOCMEM_SEND, refuse)
    return monkeypatch


def test_retry_schedule_doubles_from_a_minute_up_to_a_quarter_of_an_hour():
    delays = [outbox.retry_delay(attempt) for attempt in range(1, outbox.MAX_ATTEMPTS)]
    assert [delay // dt.timedelta(minutes=1) for delay in delays] == [1, 2, 4, 8] + [15] * 15


def test_failed_delivery_waits_out_its_backoff_then_the_sweep_sends_it(slot, book, smtp_down):
    booking = book(slot, channel=Channel.PHONE)  # eager task: the error is stored, the booking stands
    email = OutboundEmail.objects.get(booking=booking, kind="confirmation")
    assert (email.status, email.attempts) == ("queued", 1)  # one attempt: Celery does not retry on its own
    assert "SMTP down" in email.last_error
    assert email.retry_after == email.last_attempt_at + dt.timedelta(minutes=1)
    assert requeue_due_emails(now=email.retry_after - dt.timedelta(seconds=1)) == []

    smtp_down.undo()
    assert requeue_due_emails(now=email.retry_after) == [email.pk]
    assert send_outbound_email(email_id=email.pk) is True
    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert (email.status, email.attempts, email.last_error) == ("sent", 2, "")


def test_each_failure_waits_twice_as_long_and_the_last_one_gives_up(slot, book, smtp_down):
    booking = book(slot, channel=Channel.PHONE)
    email = OutboundEmail.objects.get(booking=booking, kind="confirmation")
    waits = [email.retry_after - email.last_attempt_at]
    while email.status == "queued":
        assert requeue_due_emails(now=email.retry_after) == [email.pk]
        send_outbound_email(email_id=email.pk, now=email.retry_after)
        email.refresh_from_db()
        waits.append(email.retry_after - email.last_attempt_at)
    assert (email.status, email.attempts) == ("failed", outbox.MAX_ATTEMPTS)
    assert [wait // dt.timedelta(minutes=1) for wait in waits[:-1]] == [1, 2, 4, 8] + [15] * 15
    assert requeue_due_emails(now=email.retry_after + dt.timedelta(days=1)) == []
    assert mail.outbox == []


def test_dispatch_that_never_arrived_is_replaced_by_the_sweep_within_a_minute(slot, book):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(send_email_task, "apply_async", lambda *args, **kwargs: None)  # the broker lost the task
        booking = book(slot, channel=Channel.PHONE)
    email = OutboundEmail.objects.get(booking=booking, kind="confirmation")
    assert (email.status, email.attempts) == ("queued", 0)
    assert requeue_due_emails(now=email.created_at + dt.timedelta(seconds=59)) == []
    assert requeue_due_emails(now=email.created_at + dt.timedelta(seconds=61)) == [email.pk]
    # Dispatched again: its task gets a minute to claim it before the sweep tries once more.
    assert requeue_due_emails(now=email.created_at + dt.timedelta(seconds=90)) == []
    assert send_outbound_email(email_id=email.pk) is True


def killed_mid_send(self, messages):
    raise SystemExit("worker killed")  # not an Exception: nothing in the worker gets to record anything


def test_row_of_a_worker_killed_mid_send_is_sent_again_after_the_derived_timeout(slot, book, monkeypatch):
    monkeypatch.setattr(LOCMEM_SEND, killed_mid_send)
    with pytest.raises(SystemExit):
        book(slot, channel=Channel.PHONE)
    monkeypatch.undo()
    email = OutboundEmail.objects.get()
    assert email.status == "sending"
    claimed_at = email.last_attempt_at

    # A live worker is killed by Celery at OUTBOX_SEND_TIME_LIMIT; past it (and a margin), the row is abandoned.
    timeout = outbox.sending_timeout()
    assert timeout == dt.timedelta(seconds=send_email_task.time_limit) + outbox.STALE_MARGIN
    assert timeout < dt.timedelta(minutes=2)  # 85 s with the default EMAIL_TIMEOUT: no longer 10 minutes
    assert send_outbound_email(email_id=email.pk) is False  # a redelivered task: still being sent, for all it knows
    assert requeue_due_emails(now=claimed_at + timeout - dt.timedelta(seconds=1)) == []
    assert requeue_due_emails(now=claimed_at + timeout) == [email.pk]
    assert send_outbound_email(email_id=email.pk) is True
    assert len(mail.outbox) == 1


def test_sending_timeout_follows_the_smtp_timeout_through_the_task_time_limit(settings):
    settings.OUTBOX_SEND_TIME_LIMIT = 2 * 5 + 30  # what EMAIL_TIMEOUT=5 gives in settings
    assert outbox.sending_timeout() == dt.timedelta(seconds=55)


def test_row_whose_workers_keep_dying_ends_failed(slot, book, monkeypatch):
    monkeypatch.setattr(LOCMEM_SEND, killed_mid_send)
    with pytest.raises(SystemExit):
        book(slot, channel=Channel.PHONE)
    email = OutboundEmail.objects.get()
    for _ in range(outbox.MAX_ATTEMPTS - 1):
        email.refresh_from_db()
        assert requeue_due_emails(now=email.retry_after) == [email.pk]
        with pytest.raises(SystemExit):
            send_outbound_email(email_id=email.pk, now=email.retry_after)
    email.refresh_from_db()
    assert requeue_due_emails(now=email.retry_after) == [email.pk]
    assert send_outbound_email(email_id=email.pk) is False
    email.refresh_from_db()
    assert (email.status, email.attempts) == ("failed", outbox.MAX_ATTEMPTS)


# --- The database goes away just after the SMTP server accepted the message ---------------------


@pytest.mark.django_db(transaction=True)
def test_worker_that_delivered_records_sent_once_the_database_is_back(slot, monkeypatch, database_outage):
    from tests.factories import book_confirmed, person

    cut, restore = database_outage
    deliver = mail.backends.locmem.EmailBackend.send_messages

    def deliver_then_lose_the_database(self, messages):
        sent = deliver(self, messages)
        cut()
        return sent

    pauses = []

    def wait(seconds):
        pauses.append(seconds)
        if len(pauses) == 3:
            restore()  # back after three failed attempts to record the message as sent

    monkeypatch.setattr(LOCMEM_SEND, deliver_then_lose_the_database)
    monkeypatch.setattr(outbox, "_pause", wait)
    booking = book_confirmed(
        counter_type=slot.counter_type, starts_at=slot.starts_at, person=person(), channel=Channel.PHONE
    )

    assert pauses == [0.5, 1.0, 2.0]  # three real OperationalErrors: a closed session, then refused connections
    email = OutboundEmail.objects.get(booking=booking, kind="confirmation")
    assert (email.status, email.attempts) == ("sent", 1)
    assert len(mail.outbox) == 1
    assert requeue_due_emails(now=email.retry_after + dt.timedelta(hours=1)) == []  # nothing left to send again


def test_an_email_whose_worker_died_leaves_within_two_minutes_with_the_configured_sweep(settings):
    sweep_every = dt.timedelta(seconds=settings.CELERY_BEAT_SCHEDULE["sweep-outbox"]["schedule"])
    assert outbox.sending_timeout() + sweep_every <= dt.timedelta(minutes=2)
    assert outbox.DISPATCH_GRACE + sweep_every <= dt.timedelta(minutes=2)


def test_the_outbox_gives_up_four_hours_after_the_first_failure():
    assert sum((outbox.retry_delay(attempt) for attempt in range(1, outbox.MAX_ATTEMPTS)), dt.timedelta()) == (
        dt.timedelta(hours=4)
    )
