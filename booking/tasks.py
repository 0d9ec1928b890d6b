"""Thin Celery tasks: ids in, a service call, nothing else."""

import datetime as dt

from celery import shared_task

from prefecture.dispatch import send_task_safely

from .antibot.replay import purge_redeemed_proofs
from .emails import requeue_due_emails, send_outbound_email
from .services import (
    expire_holds,
    mark_no_shows_for_day,
    mark_no_shows_of_ended_days,
    queue_due_reminders,
    release_withheld_places,
)


@shared_task(acks_late=True)
def send_email_task(email_id: int) -> bool:
    """Send one outbox row; a redelivered or repeated task sends nothing more.

    No Celery retries: a failure is recorded on the row with its next attempt
    time, and the sweep sends it then (booking/emails/outbox.py). Its time limit
    (settings.OUTBOX_SEND_TIME_LIMIT) is what lets the sweep tell a dead worker.
    """
    return send_outbound_email(email_id=email_id)


@shared_task(acks_late=True, ignore_result=True)
def sweep_outbox_task() -> int:
    """Dispatch again the e-mails whose retry time has come: a lost dispatch, a backoff over, a dead sender."""
    ids = requeue_due_emails()
    for email_id in ids:
        send_task_safely(send_email_task, email_id)
    return len(ids)


@shared_task(acks_late=True, ignore_result=True)
def queue_due_reminders_task() -> int:
    return queue_due_reminders()


@shared_task(acks_late=True, ignore_result=True)
def mark_no_shows_task(day: str | None = None) -> int:
    """Mark absent whoever never checked in: on `day` (ISO) if given, else each site's day that has ended."""
    if day:
        return mark_no_shows_for_day(day=dt.date.fromisoformat(day))
    return mark_no_shows_of_ended_days()


@shared_task(acks_late=True, ignore_result=True)
def expire_holds_task() -> int:
    """Holds not confirmed in time: EXPIRED, their places freed (withheld, then released at random)."""
    return expire_holds()


@shared_task(acks_late=True, ignore_result=True)
def release_withheld_places_task() -> int:
    """Freed places whose random release time has come: the waiting list's turn, then everyone's."""
    return release_withheld_places()


@shared_task(acks_late=True, ignore_result=True)
def purge_redeemed_proofs_task() -> int:
    """Forget the proofs of work recorded in the database (Redis was out) once they have expired."""
    return purge_redeemed_proofs()


@shared_task(acks_late=True, ignore_result=True)
def purge_personal_data_task() -> dict[str, int]:
    """Daily: personal data past its retention period anonymised or deleted (booking.retention)."""
    from .retention import purge_personal_data

    return purge_personal_data()
