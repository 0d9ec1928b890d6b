"""The e-mail outbox: one row per (booking, kind, sequence), sent once by a task.

Exactly once, except for one window. A row is claimed (status SENDING) in a
short transaction, the message is handed to the SMTP server, and the row is
marked SENT in a second transaction. A crash (worker killed, database lost)
after the SMTP server accepted the message and before the row is marked SENT
leaves the row in SENDING; once `SENDING_TIMEOUT` has passed, the sweep queues
it again and the resident may receive the same e-mail twice. Each e-mail
carries a deterministic Message-ID (`OutboundEmail.message_id`), so that such
a duplicate is recognisable, and most mail clients fold it into the first.
Holding a database lock during the SMTP exchange would not close the window
(the commit can still fail after the server accepted the message); it would
only keep connections and locks open while a remote server answers.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from prefecture.dispatch import dispatch_after_commit

from ..models import Booking, OutboundEmail

logger = logging.getLogger(__name__)

# Longer than the task's hard time limit: a row still SENDING after this was
# abandoned by a worker that died, never by one still working on it.
SENDING_TIMEOUT = dt.timedelta(minutes=10)
# After this many attempts a row is FAILED and left for an agent to look at.
MAX_ATTEMPTS = 8


def queue_email(*, booking: Booking, kind: str, sequence: int = 0) -> OutboundEmail | None:
    """Write the outbox row in the caller's transaction; wake a sender once it commits.

    Writing the same (booking, kind, sequence) twice returns the existing row
    and sends nothing more. A booking without an address (a caller booked by an
    agent may have none) gets no row.
    """
    from ..tasks import send_email_task

    if not booking.email:
        return None
    email, created = OutboundEmail.objects.get_or_create(booking=booking, kind=kind, sequence=sequence)
    if created:
        dispatch_after_commit(send_email_task, email.pk)
    return email


def _claim(email_id: int) -> OutboundEmail | None:
    """Mark the row SENDING, or return None when it is sent, failed, or being sent."""
    now = timezone.now()
    with transaction.atomic():
        # skip_locked: a second delivery arriving while the first claims the row
        # returns at once instead of waiting for the lock.
        email = OutboundEmail.objects.select_for_update(skip_locked=True).filter(pk=email_id).first()
        if email is None or email.status in (OutboundEmail.Status.SENT, OutboundEmail.Status.FAILED):
            return None
        if email.status == OutboundEmail.Status.SENDING and email.last_attempt_at > now - SENDING_TIMEOUT:
            return None
        email.status = OutboundEmail.Status.SENDING
        email.attempts += 1
        email.last_attempt_at = now
        email.save(update_fields=["status", "attempts", "last_attempt_at"])
    return email


def is_overtaken(email: OutboundEmail) -> bool:
    """Whether a later change made this e-mail wrong: it would tell of a time or a booking that no longer holds."""
    booking = Booking.objects.only("status", "version").get(pk=email.booking_id)
    Kind = OutboundEmail.Kind
    if email.kind == Kind.CANCELLATION:
        return False
    if not booking.is_active:
        return True
    if email.kind in (Kind.REMINDER, Kind.MOVED):
        return email.sequence != booking.version
    return False


def send_outbound_email(*, email_id: int) -> bool:
    """Send one outbox row. Returns False, sending nothing, when there is nothing to send.

    Raises the delivery error while attempts remain, so that the task retries.
    """
    from .messages import build_message

    email = _claim(email_id)
    if email is None:
        return False
    if is_overtaken(email):
        OutboundEmail.objects.filter(pk=email.pk).update(status=OutboundEmail.Status.SKIPPED)
        return False
    try:
        build_message(email).send()
    except Exception as error:
        failed = email.attempts >= MAX_ATTEMPTS
        OutboundEmail.objects.filter(pk=email.pk, status=OutboundEmail.Status.SENDING).update(
            status=OutboundEmail.Status.FAILED if failed else OutboundEmail.Status.QUEUED,
            last_error=f"{type(error).__name__}: {error}"[:2000],
        )
        if failed:
            logger.error("Giving up on e-mail %s after %s attempts: %s", email.pk, email.attempts, error)
            return False
        raise
    OutboundEmail.objects.filter(pk=email.pk).update(
        status=OutboundEmail.Status.SENT, sent_at=timezone.now(), last_error=""
    )
    return True


def list_stale_email_ids(
    *, older_than: dt.timedelta = dt.timedelta(minutes=2), now: dt.datetime | None = None
) -> list[int]:
    """Rows whose sender never came (lost dispatch) or died while sending."""
    now = now or timezone.now()
    return list(
        OutboundEmail.objects.annotate(touched_at=Coalesce("last_attempt_at", "created_at"))
        .filter(
            Q(status=OutboundEmail.Status.QUEUED, touched_at__lt=now - older_than)
            | Q(status=OutboundEmail.Status.SENDING, last_attempt_at__lt=now - SENDING_TIMEOUT)
        )
        .order_by("created_at")
        .values_list("pk", flat=True)[:500]
    )
