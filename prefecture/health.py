"""Probes for the load balancer and the process supervisor: no session, no personal data.

/healthz says the process answers; /readyz also checks that PostgreSQL and the
broker answer within a second or two, so that a machine that lost either is
taken out of the pool instead of failing bookings. Both are exempt from load
shedding (prefecture/admission.py): a busy machine is not a dead one.
"""

from __future__ import annotations

import logging
import threading

import redis
from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)

PROBE_TIMEOUT_S = 1.5
_broker_lock = threading.Lock()
_broker_clients: dict[str, redis.Redis] = {}


def _text(lines: list[str], *, status: int) -> HttpResponse:
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8", status=status)


@never_cache
@require_GET
def healthz(request) -> HttpResponse:
    return _text(["ok"], status=200)


def check_database() -> bool:
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL statement_timeout = '{int(PROBE_TIMEOUT_S * 1000)}ms'")
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        logger.warning("Readiness: the database did not answer", exc_info=True)
        return False


def _broker(url: str) -> redis.Redis:
    """One client (and its connection pool) per broker address and process."""
    with _broker_lock:
        if url not in _broker_clients:
            _broker_clients[url] = redis.Redis.from_url(
                url, socket_connect_timeout=PROBE_TIMEOUT_S, socket_timeout=PROBE_TIMEOUT_S, retry_on_timeout=False
            )
        return _broker_clients[url]


def check_broker() -> bool | None:
    """True or False for a Redis broker; None when tasks run in-process (no broker to check)."""
    if settings.CELERY_TASK_ALWAYS_EAGER or not settings.CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
        return None
    try:
        return bool(_broker(settings.CELERY_BROKER_URL).ping())
    except redis.RedisError:
        logger.warning("Readiness: the broker did not answer", exc_info=True)
        return False


@never_cache
@require_GET
def readyz(request) -> HttpResponse:
    database, broker = check_database(), check_broker()
    lines = [
        f"database: {'ok' if database else 'unavailable'}",
        f"broker: {'in-process' if broker is None else 'ok' if broker else 'unavailable'}",
    ]
    return _text(lines, status=200 if database and broker is not False else 503)
