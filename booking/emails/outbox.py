"""The e-mail outbox: one row per (booking, kind, sequence), sent once by a task.

How a row travels. It is written QUEUED in the transaction of the change it
tells about, and a task is dispatched after commit. The task claims the row
(SENDING, in a short transaction), hands the message to the SMTP server, and
marks it SENT. One retry policy, carried by the row's `retry_after`: the
periodic sweep (`requeue_due_emails`, every 30 s from Celery beat) dispatches
again every row still QUEUED or SENDING once its `retry_after` has passed.
Celery itself never retries.

`retry_after` is, in turn:
- on creation, and each time the sweep dispatches the row, now + DISPATCH_GRACE
  (1 min): a task that never arrives (broker down, message lost) is replaced;
- on claim, now + `sending_timeout()`: longer than a live worker can hold the
  row, so only a row abandoned by a worker that died is sent again;
- after a failed attempt, now + `retry_delay(attempts)`: 1, 2, 4, 8 min, then
  every 15 min; the 20th failure (4 h after the first) marks the row FAILED,
  for an agent to look at in the admin. The cap keeps an e-mail within 15 min
  of an SMTP server's recovery; the count lets an outage of hours lose nothing.

`sending_timeout()` is the hard time limit of `send_email_task`
(settings.OUTBOX_SEND_TIME_LIMIT = 2 × EMAIL_TIMEOUT for the SMTP exchange +
30 s to record the result: 70 s with the default 20 s EMAIL_TIMEOUT), plus
15 s. So after a worker is killed, or PostgreSQL restarts, under a sending
task, its e-mail leaves within about 2 minutes (85 s + at most 30 s to the
next sweep), and a row queued while the database or broker was down leaves
within 30 s of the first sweep after recovery.

At most EMAILS_PER_ADDRESS_PER_HOUR e-mails leave for one address in an hour,
whatever is booked, moved or asked for (someone typing another person's
address cannot flood it). Each row carries its normalised `recipient`; the
claim counts the rows to that address claimed in the last hour (under an
advisory lock per address, so two workers cannot both take the last one).
Over the cap, an e-mail the person needs (the first code of a hold, a
confirmation, a cancellation, a move, a reminder) waits: its `retry_after`
becomes the moment the oldest of those leaves the hour; one that repeats
something already sent (a link asked for again, a code sent again) is
SKIPPED, with the reason in `last_error`. A held code that waits past its
hold's expiry is then overtaken, and never sent.

Exactly once, except for one narrow window. A worker whose SMTP server
accepted the message keeps trying to record it as SENT (`_record_sent`),
reconnecting with backoff, until shortly before its time limit, so a database
restart or short outage does not cause a second send. Only if the worker dies
in that window, or the database stays unreachable past it, does the row stay
SENDING and get sent again by the sweep. Each e-mail carries a deterministic
Message-ID (`OutboundEmail.message_id`), so such a duplicate is recognisable,
and most mail clients fold it into the first. Holding a database lock during
the SMTP exchange would not close the window (the commit can still fail after
the server accepted the message); it would only keep connections and locks
open while a remote server answers.
"""

from __future__ import annotations

import datetime as dt
import logging
import time

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connection, transaction
from django.utils import timezone

from prefecture.dispatch import dispatch_after_commit

from ..identity import normalise_address
from ..models import Booking, OutboundEmail

logger = logging.getLogger(__name__)

RETRY_BASE = dt.timedelta(minutes=1)
RETRY_CAP = dt.timedelta(minutes=15)
# After this many attempts a row is FAILED and left for an agent to look at.
MAX_ATTEMPTS = 20
# A dispatched task that has not claimed its row after this is taken as lost.
DISPATCH_GRACE = dt.timedelta(minutes=1)
# Beyond the task's hard time limit: its start-up before the claim, and clocks
# that differ a little between the worker and the sweeper.
STALE_MARGIN = dt.timedelta(seconds=15)
# Recording SENT stops retrying this long before the hard time limit, so that
# the worker gives up cleanly (and says so) rather than being killed mid-write.
RECORD_DEADLINE_MARGIN = 10.0
RECORD_FIRST_PAUSE, RECORD_MAX_PAUSE = 0.5, 5.0
SWEEP_BATCH = 500
CAP_WINDOW = dt.timedelta(hours=1)

Status = OutboundEmail.Status
Kind = OutboundEmail.Kind


def retry_delay(attempts: int) -> dt.timedelta:
    """How long to wait after the `attempts`-th failed attempt: doubling from a minute, capped at 15 minutes."""
    return min(RETRY_BASE * 2 ** max(attempts - 1, 0), RETRY_CAP)


def sending_timeout() -> dt.timedelta:
    """How long a row may stay SENDING before it counts as abandoned by a dead worker.

    A live worker never holds it longer: Celery kills the task at
    OUTBOX_SEND_TIME_LIMIT, which is derived from EMAIL_TIMEOUT in settings.
    """
    return dt.timedelta(seconds=settings.OUTBOX_SEND_TIME_LIMIT) + STALE_MARGIN


def queue_email(*, booking: Booking | None = None, kind: str, sequence: int = 0, about=None) -> OutboundEmail | None:
    """Write the outbox row in the caller's transaction; wake a sender once it commits.

    The e-mail is about `booking`, or `about` a lottery registration, a
    waiting-list entry or a written question (their OUTBOX_FIELD names the
    row's field). Writing the
    same (subject, kind, sequence) twice returns the existing row and sends
    nothing more. A booking without an address (a caller booked by an agent
    may have none) gets no row.
    """
    from ..tasks import send_email_task

    subject = booking if booking is not None else about
    if not subject.email:
        return None
    field = "booking" if booking is not None else type(about).OUTBOX_FIELD
    email, created = OutboundEmail.objects.get_or_create(
        **{field: subject},
        kind=kind,
        sequence=sequence,
        defaults={"retry_after": timezone.now() + DISPATCH_GRACE, "recipient": normalise_address(subject.email)},
    )
    if created:
        dispatch_after_commit(send_email_task, email.pk)
    return email


def _claim(email_id: int, *, now: dt.datetime) -> OutboundEmail | None:
    """Mark the row SENDING, or return None when it is sent, failed, or being sent."""
    with transaction.atomic():
        # skip_locked: a second delivery arriving while the first claims the row
        # returns at once instead of waiting for the lock.
        email = OutboundEmail.objects.select_for_update(skip_locked=True).filter(pk=email_id).first()
        if email is None or email.status != Status.QUEUED:
            return None
        if is_overtaken(email):
            email.status = Status.SKIPPED
            email.save(update_fields=["status"])
            return None
        if not _within_address_cap(email, now=now):
            return None
        if email.attempts >= MAX_ATTEMPTS:  # its workers kept dying: stop here
            email.status = Status.FAILED
            email.last_error = email.last_error or "Abandoned by its worker at each attempt"
            email.save(update_fields=["status", "last_error"])
            logger.error("Giving up on e-mail %s after %s attempts", email.pk, email.attempts)
            return None
        email.status = Status.SENDING
        email.attempts += 1
        email.last_attempt_at = now
        email.retry_after = now + sending_timeout()
        email.save(update_fields=["status", "attempts", "last_attempt_at", "retry_after"])
    return email


def is_essential(email: OutboundEmail) -> bool:
    """Whether the person needs this e-mail even past the cap: it is delayed, not skipped.

    Only a repetition is dropped: a link asked for again, a code sent again, the
    notice of a registration or an entry sent again to whoever made it.
    """
    repeatable = (*OutboundEmail.CODE_KINDS, *OutboundEmail.HOLD_KINDS, Kind.LOTTERY_REGISTERED, Kind.WAITLIST_JOINED)
    return email.kind != Kind.ACCESS_LINK and not (email.kind in repeatable and email.sequence > 0)


def _lock_recipient(recipient: str) -> None:
    """Serialise the claims to one address until the transaction ends (PostgreSQL; SQLite has one writer)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"outbox:{recipient}"])


def _within_address_cap(email: OutboundEmail, *, now: dt.datetime) -> bool:
    """Whether `email` may leave now; otherwise it is delayed or skipped (see the module's docstring)."""
    if not email.recipient:
        return True
    _lock_recipient(email.recipient)
    recent = list(
        OutboundEmail.objects.filter(
            recipient=email.recipient,
            status__in=[Status.SENDING, Status.SENT],
            last_attempt_at__gt=now - CAP_WINDOW,
        )
        .exclude(pk=email.pk)
        .order_by("last_attempt_at")
        .values_list("last_attempt_at", flat=True)[: settings.EMAILS_PER_ADDRESS_PER_HOUR]
    )
    if len(recent) < settings.EMAILS_PER_ADDRESS_PER_HOUR:
        return True
    if is_essential(email):
        email.retry_after = recent[0] + CAP_WINDOW + dt.timedelta(seconds=1)
        email.save(update_fields=["retry_after"])
        logger.info("E-mail %s delayed: its address has had its e-mails for the hour", email.pk)
    else:
        email.status = Status.SKIPPED
        email.last_error = f"Not sent: the address has had {len(recent)} e-mails in the last hour"
        email.save(update_fields=["status", "last_error"])
    return False


def is_overtaken(email: OutboundEmail) -> bool:
    """Whether a later change made this e-mail wrong: it would tell of a time or a booking that no longer holds."""
    if email.booking_id is None:
        # A registration's or an entry's code, once the address is proved or the code expired.
        subject = email.subject
        return email.kind in OutboundEmail.CODE_KINDS and (
            not subject.awaits_code or subject.code_expired(timezone.now())
        )
    booking = Booking.objects.only("status", "version").get(pk=email.booking_id)
    if email.kind == Kind.CANCELLATION:
        return False
    if email.kind in OutboundEmail.HOLD_KINDS:
        return not booking.is_held  # confirmed, or expired: the code or the offer has no use any more
    if booking.status not in Booking.CONFIRMED_STATUSES:
        return True
    if email.kind in (Kind.REMINDER, Kind.MOVED):
        return email.sequence != booking.version
    return False


def send_outbound_email(*, email_id: int, now: dt.datetime | None = None) -> bool:
    """Send one outbox row. Returns whether this call sent it.

    A row already sent, being sent, failed, or overtaken sends nothing. A
    delivery error is recorded on the row with its next retry time (or FAILED
    after MAX_ATTEMPTS), never raised: the sweep is the one retry policy.
    """
    from .messages import build_message

    deadline = time.monotonic() + settings.OUTBOX_SEND_TIME_LIMIT - RECORD_DEADLINE_MARGIN
    now = now or timezone.now()
    email = _claim(email_id, now=now)
    if email is None:
        return False
    try:
        build_message(email).send()
    except Exception as error:  # noqa: BLE001 - any failure to deliver is recorded and retried the same way
        _record_failure(email, error=error, now=now)
        return False
    _record_sent(email.pk, deadline=deadline)
    return True


def _record_failure(email: OutboundEmail, *, error: Exception, now: dt.datetime) -> None:
    # The error's text may quote the address (a refused recipient): it is kept in last_error, for
    # the agents, and stays out of the logs.
    failed = email.attempts >= MAX_ATTEMPTS
    OutboundEmail.objects.filter(pk=email.pk, status=Status.SENDING).update(
        status=Status.FAILED if failed else Status.QUEUED,
        retry_after=now + retry_delay(email.attempts),
        last_error=f"{type(error).__name__}: {error}"[:2000],
    )
    if failed:
        logger.error("Giving up on e-mail %s after %s attempts: %s", email.pk, email.attempts, type(error).__name__)
    else:
        logger.warning(
            "E-mail %s not delivered (attempt %s), retried later: %s", email.pk, email.attempts, type(error).__name__
        )


def _pause(seconds: float) -> None:
    time.sleep(seconds)


def _record_sent(email_id: int, *, deadline: float) -> None:
    """Mark the row SENT, retrying on a lost database until `deadline` (time.monotonic()).

    The SMTP server has the message: giving up here would leave the row for
    the sweep to send again. So a database that restarts, or is briefly out,
    is waited for, on a new connection each time.
    """
    pause = RECORD_FIRST_PAUSE
    while True:
        try:
            OutboundEmail.objects.filter(pk=email_id).update(status=Status.SENT, sent_at=timezone.now(), last_error="")
            return
        except (OperationalError, InterfaceError):
            # Inside a transaction the connection cannot be replaced; past the
            # deadline the worker is about to be killed.
            if connection.in_atomic_block or time.monotonic() + pause > deadline:
                logger.error("E-mail %s delivered but not recorded as sent; it may be sent again", email_id)
                raise
            logger.warning("E-mail %s delivered; the database is unreachable, retrying in %.1f s", email_id, pause)
        try:
            connection.close()  # the next query opens a new connection
        except DatabaseError:
            pass
        _pause(pause)
        pause = min(pause * 2, RECORD_MAX_PAUSE)


def requeue_due_emails(*, now: dt.datetime | None = None) -> list[int]:
    """The rows the sweep dispatches again: not sent, and their `retry_after` has passed.

    That is a dispatch that never arrived, a backoff that is over, or a row
    SENDING past `sending_timeout()` (its worker died). Each is put back to
    QUEUED, with DISPATCH_GRACE for its new task to claim it before the sweep
    tries again.
    """
    now = now or timezone.now()
    with transaction.atomic():
        ids = list(
            OutboundEmail.objects.select_for_update(skip_locked=True)
            .filter(status__in=[Status.QUEUED, Status.SENDING], retry_after__lte=now)
            .order_by("retry_after")
            .values_list("pk", flat=True)[:SWEEP_BATCH]
        )
        OutboundEmail.objects.filter(pk__in=ids).update(status=Status.QUEUED, retry_after=now + DISPATCH_GRACE)
    return ids
