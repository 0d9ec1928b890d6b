"""The names declared on attempt certificates are blanked RETENTION_CERTIFICATE_DAYS after issue.

The certificate's other facts (procedure, site, period searched, time of
issue) are no personal data and still verify (booking.attestations.signature).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from booking.retention import register_purge

from .services import erase_certificate_names


def erase_old_certificate_names(*, now: dt.datetime) -> int:
    return erase_certificate_names(issued_before=now - dt.timedelta(days=settings.RETENTION_CERTIFICATE_DAYS))


register_purge("certificate_names", erase_old_certificate_names, setting="RETENTION_CERTIFICATE_DAYS")
