"""Sending Celery tasks without ever holding a request on the broker."""

import logging
import threading
from concurrent.futures import ThreadPoolExecutor

from django.db import transaction

logger = logging.getLogger(__name__)

_publisher: ThreadPoolExecutor | None = None
_publisher_lock = threading.Lock()


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


def background_publisher() -> ThreadPoolExecutor:
    """One thread per process that talks to the broker on behalf of requests.

    Even with short socket timeouts, a Redis that accepts connections but never
    answers costs each publish the full timeout (2 s). Publishing from this
    thread keeps that wait out of the response: the visitor never waits for the
    broker, and what a dead broker loses, the outbox sweep sends later.
    """
    global _publisher
    with _publisher_lock:
        if _publisher is None:
            _publisher = ThreadPoolExecutor(max_workers=1, thread_name_prefix="broker-publish")
        return _publisher


def dispatch_after_commit(task, *args) -> None:
    """Send `task` once the current transaction commits, best-effort and without blocking.

    Eager mode (no broker configured) runs the task in-process, as before.
    """

    def publish() -> None:
        if task.app.conf.task_always_eager:
            send_task_safely(task, *args)
        else:
            background_publisher().submit(send_task_safely, task, *args)

    transaction.on_commit(publish)
