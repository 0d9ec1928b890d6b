"""Reads for bookings."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q, QuerySet

from counters.models import Counter, CounterType, Site
from counters.selectors import day_bounds
from counters.staff_sites.selectors import filter_for_staff

from .models import Booking
from .references import REFERENCE_LENGTH, normalise_reference
from .search import filter_by_search


def list_bookings_with_details() -> QuerySet[Booking]:
    return Booking.objects.select_related("slot", "slot__counter", "counter_type", "counter_type__site")


# What new_token() makes (secrets.token_urlsafe): URL-safe base64, 43 characters for 32 bytes.
# Anything else (a truncated link, a NUL byte, which PostgreSQL refuses) matches no booking.
TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{20,64}")


def get_booking_by_token(*, token: str) -> Booking | None:
    if not token or not TOKEN_RE.fullmatch(token):
        return None
    return list_bookings_with_details().filter(token=token).first()


def get_booking_by_verification_token(*, token: str) -> Booking | None:
    """The hold (or the booking it became) the link of a VERIFICATION e-mail points to."""
    if not token or not TOKEN_RE.fullmatch(token):
        return None
    return list_bookings_with_details().filter(verification_token=token).first()


def get_active_booking_for_person(
    *, counter_type: CounterType, foreigner_key: str | None, passport_key: str | None
) -> Booking | None:
    """The booking (held or confirmed) that makes this person's new one for the procedure a second one."""
    same_person = Q(pk__in=[])
    if foreigner_key:
        same_person |= Q(foreigner_key=foreigner_key)
    if passport_key:
        same_person |= Q(passport_key=passport_key)
    active = Booking.objects.filter(same_person, counter_type=counter_type, status__in=Booking.ACTIVE_STATUSES)
    return active.first()


def find_booking_by_reference(*, reference: str, email: str) -> Booking | None:
    """The confirmed booking with this reference and e-mail, for the lost-link form (a hold has no link yet)."""
    reference = "".join(ch for ch in reference.upper() if ch.isalnum())
    if not reference or len(reference) > 12 or not email:
        return None
    return (
        Booking.objects.filter(reference=reference, email__iexact=email.strip(), status__in=Booking.CONFIRMED_STATUSES)
        .only("pk")
        .first()
    )


# Staff reads.

# How a booking reaches its site, for the staff's site confinement.
STAFF_SITE_PATH = "counter_type__site"


def get_booking_by_reference(*, reference: str, user) -> Booking | None:
    """The booking with this reference if it is at one of `user`'s sites: another site's is not found,
    exactly like an unknown reference."""
    reference = normalise_reference(reference)
    if len(reference) != REFERENCE_LENGTH:
        return None
    bookings = filter_for_staff(list_bookings_with_details(), user, via=STAFF_SITE_PATH)
    return bookings.select_related("created_by").filter(reference=reference).first()


def list_agenda(
    *,
    site: Site,
    day: dt.date,
    counter_type: CounterType | None = None,
    counter: Counter | None = None,
    search: str = "",
) -> QuerySet[Booking]:
    """A site's appointments on `day`, by time, cancelled ones and holds included (the desk may be asked);
    holds never confirmed left out.

    `search` keeps those whose reference, names, foreigner or passport number contain each of its
    words, whatever the case and accents.
    """
    start, end = day_bounds(day, ZoneInfo(site.time_zone))
    bookings = (
        list_bookings_with_details()
        .filter(counter_type__site=site, slot__starts_at__gte=start, slot__starts_at__lt=end)
        .exclude(status=Booking.Status.EXPIRED)
    )
    if counter_type is not None:
        bookings = bookings.filter(counter_type=counter_type)
    if counter is not None:
        bookings = bookings.filter(slot__counter=counter)
    bookings = filter_by_search(bookings, search)
    order = ("slot__starts_at", "slot__counter__sort_key", "last_name", "pk")
    return bookings.select_related("created_by").order_by(*order)


def list_bookings_for_period(*, start: dt.date, end: dt.date, site: Site | None = None) -> QuerySet[Booking]:
    """Bookings whose appointment falls between `start` and `end` (inclusive), in the site's time zone."""
    tz = ZoneInfo(site.time_zone if site else settings.TIME_ZONE)
    first, _ = day_bounds(start, tz)
    _, after_last = day_bounds(end, tz)
    bookings = list_bookings_with_details().filter(slot__starts_at__gte=first, slot__starts_at__lt=after_last)
    bookings = bookings.exclude(status=Booking.Status.EXPIRED)  # holds never confirmed: never appointments
    if site is not None:
        bookings = bookings.filter(counter_type__site=site)
    return bookings.select_related("created_by").order_by("slot__starts_at", "pk")
