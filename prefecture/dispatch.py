"""Sending Celery tasks without ever holding a request on the broker."""

import logging

from django.db import transaction

logger = logging.getLogger(__name__)


def send_task_safely(task, *args) -> bool:
    """Queue `task`; a broker that is down or silent is logged, never raised.

    What the task was to do is recorded in the database beforehand (an outbox
    row), and a periodic sweep queues it again, so a lost dispatch only delays it.
    """
    try:
        task.apply_async(args=args, retry=False)
    except Exception:  # noqa: BLE001 - any broker failure must stay out of the request
        logger.warning("Could not queue %s%r; the periodic sweep will retry.", task.name, args, exc_info=True)
        return False
    return True


def dispatch_after_commit(task, *args) -> None:
    transaction.on_commit(lambda: send_task_safely(task, *args))
