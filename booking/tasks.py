"""Thin Celery tasks: ids in, a service call, nothing else."""

from celery import shared_task

from prefecture.dispatch import send_task_safely

from .emails import list_stale_email_ids, send_outbound_email


@shared_task(acks_late=True, autoretry_for=(Exception,), max_retries=5, retry_backoff=30, retry_jitter=True)
def send_email_task(email_id: int) -> bool:
    return send_outbound_email(email_id=email_id)


@shared_task(acks_late=True, ignore_result=True)
def sweep_outbox_task() -> int:
    """Queue again the e-mails whose first dispatch was lost (broker down at booking time)."""
    ids = list_stale_email_ids()
    for email_id in ids:
        send_task_safely(send_email_task, email_id)
    return len(ids)
