"""Retention of personal data: what is purged, when, and the job that does it (README, "Retention of personal data").

The registry (`register_purge`) lists a purge function per kind of personal
data; `purge_personal_data` runs them all, daily from Celery beat.
"""

from . import bookings, emails, sessions  # noqa: F401  (they register their purges)
from .job import PurgeFailed, purge_personal_data
from .registry import Purge, register_purge, registered_purges

__all__ = ["Purge", "PurgeFailed", "purge_personal_data", "register_purge", "registered_purges"]
