"""Bookings past their retention period lose their identity; what the figures count stays.

A booking keeps its status, procedure, slot (site, day, time), channel, dates,
language and kind of application: the statistics, the transparency page and
the desk's figures are computed from those alone, and add up the same after
anonymisation. Its names, birth date (a fixed placeholder: the column is
required), nationality, numbers and their keys, e-mail address, phone and
permit expiry are blanked, in the one UPDATE the identity trigger allows
(migration 0017), which sets `anonymised_at`. Its audit-history rows are
blanked the same way (with the reason an agent typed, which may name the
person), and its e-mails lose their address.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Q

from ..models import Booking, OutboundEmail
from .batches import in_batches
from .emails import forget_addresses
from .registry import register_purge

ANONYMOUS_BIRTH_DATE = dt.date(1900, 1, 1)
ANONYMOUS_IDENTITY = {
    "last_name": "",
    "first_names": "",
    "birth_date": ANONYMOUS_BIRTH_DATE,
    "nationality": "",
    "foreigner_number": "",
    "passport_number": "",
    "foreigner_key": None,
    "passport_key": None,
    "email": "",
    "phone": "",
    "permit_expires_on": None,
}


def anonymise_bookings(pks: list[int], *, now: dt.datetime) -> int:
    """Anonymise these bookings (not a hold still pending), their history and e-mails; returns how many.

    Runs in the caller's transaction. Bookings anonymised already are left as they are.
    """
    bookings = Booking.objects.filter(pk__in=pks, anonymised_at__isnull=True).exclude(status=Booking.Status.HELD)
    anonymised = list(bookings.values_list("pk", flat=True))
    if not anonymised:
        return 0
    count = Booking.objects.filter(pk__in=anonymised).update(
        **ANONYMOUS_IDENTITY, verification_token=None, anonymised_at=now
    )
    Booking.history.model.objects.filter(id__in=anonymised, anonymised_at__isnull=True).update(
        **ANONYMOUS_IDENTITY, history_change_reason=None, anonymised_at=now
    )
    forget_addresses(OutboundEmail.objects.filter(booking_id__in=anonymised))
    return count


def bookings_due(*, now: dt.datetime):
    """Bookings whose appointment, cancellation or hold expiry is older than RETENTION_BOOKING_DAYS."""
    before = now - dt.timedelta(days=settings.RETENTION_BOOKING_DAYS)
    over = Q(slot__starts_at__lt=before) | Q(cancelled_at__lt=before)
    over |= Q(status=Booking.Status.EXPIRED, hold_expires_at__lt=before)
    return Booking.objects.filter(over, anonymised_at__isnull=True).exclude(status=Booking.Status.HELD)


def anonymise_past_bookings(*, now: dt.datetime) -> int:
    return in_batches(bookings_due(now=now), lambda pks: anonymise_bookings(pks, now=now))


register_purge("bookings", anonymise_past_bookings, setting="RETENTION_BOOKING_DAYS")
