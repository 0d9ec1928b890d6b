"""Deletion on request: once the appointment is past, the resident may have their booking's data deleted.

Before the appointment, what they can do is cancel it (a deleted identity
would leave an appointment no one can be received at). From the day after,
as the site counts days, the manage link offers to delete: the booking is
anonymised at once, as the retention job would do later
(booking.retention.bookings), and its figures stay counted.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from counters.selectors import site_today

from ..exceptions import ErasureRefused
from ..models import Booking
from ..retention.bookings import anonymise_bookings


def check_erasable(booking: Booking, *, now: dt.datetime | None = None) -> None:
    """Raise ErasureRefused unless the appointment's day is over in its site's time zone."""
    if booking.anonymised_at is not None:
        raise ErasureRefused(_("Les données de ce rendez-vous sont déjà supprimées."))
    site = booking.counter_type.site
    if booking.is_held or site_today(site, now=now) <= booking.slot.starts_at.astimezone(site.zone).date():
        raise ErasureRefused()


@transaction.atomic
def erase_booking(*, booking_id: int, now: dt.datetime | None = None) -> Booking:
    """Anonymise a past booking now, with its history and e-mails, at its resident's request."""
    now = now or timezone.now()
    booking = (
        Booking.objects.select_for_update(of=("self",)).select_related("slot", "counter_type__site").get(pk=booking_id)
    )
    check_erasable(booking, now=now)
    anonymise_bookings([booking.pk], now=now)
    booking.refresh_from_db()
    return booking
