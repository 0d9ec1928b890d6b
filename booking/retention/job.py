"""The daily purge of personal data past its retention period (Celery beat, and `manage.py purge_personal_data`)."""

from __future__ import annotations

import datetime as dt
import logging
from contextlib import nullcontext

from django.db import transaction
from django.utils import timezone

from .registry import registered_purges

logger = logging.getLogger(__name__)


class PurgeFailed(Exception):
    """One or more purges failed; the others ran."""


def purge_personal_data(*, now: dt.datetime | None = None, dry_run: bool = False) -> dict[str, int]:
    """Run every registered purge; returns how many rows each changed. Idempotent.

    A failing purge does not stop the others; the job then raises PurgeFailed,
    so that the failure shows. `dry_run` runs them all in one transaction rolled
    back at the end: the counts are what a real run would change.
    """
    now = now or timezone.now()
    counts: dict[str, int] = {}
    failed: list[str] = []
    with transaction.atomic() if dry_run else nullcontext():
        for purge in registered_purges():
            try:
                # Each purge commits batch by batch; in a dry run, a savepoint keeps a failure to itself.
                with transaction.atomic() if dry_run else nullcontext():
                    counts[purge.name] = purge.function(now=now)
            except Exception:
                logger.exception("Purge of personal data %r failed", purge.name)
                failed.append(purge.name)
        if dry_run:
            transaction.set_rollback(True)
    if failed:
        raise PurgeFailed(", ".join(failed))
    return counts
