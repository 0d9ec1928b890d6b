"""Reads for bookings."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import Booking, OutboundEmail


def list_bookings_with_details() -> QuerySet[Booking]:
    return Booking.objects.select_related("slot", "slot__counter", "counter_type", "counter_type__site")


def get_booking_by_token(*, token: str) -> Booking | None:
    if not token or len(token) > 64:
        return None
    return list_bookings_with_details().filter(token=token).first()


def get_appointment_version(*, booking_id: int) -> int:
    """How many times the appointment was moved: 0 as booked, then 1, 2…

    It numbers the MOVED e-mails, keys the reminder to the current time, and is
    the SEQUENCE of the .ics, so that calendars replace the old event.
    """
    latest = (
        OutboundEmail.objects.filter(booking_id=booking_id, kind=OutboundEmail.Kind.MOVED)
        .order_by("-sequence")
        .values_list("sequence", flat=True)
        .first()
    )
    return latest or 0


def find_booking_by_reference(*, reference: str, email: str) -> Booking | None:
    """The active booking with this reference and e-mail, for the lost-link form."""
    reference = "".join(ch for ch in reference.upper() if ch.isalnum())
    if not reference or len(reference) > 12 or not email:
        return None
    return (
        Booking.objects.filter(reference=reference, email__iexact=email.strip(), status__in=Booking.ACTIVE_STATUSES)
        .only("pk")
        .first()
    )
