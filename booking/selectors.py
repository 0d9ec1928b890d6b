"""Reads for bookings."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import Booking


def list_bookings_with_details() -> QuerySet[Booking]:
    return Booking.objects.select_related("slot", "slot__counter", "counter_type", "counter_type__site")


def get_booking_by_token(*, token: str) -> Booking | None:
    if not token or len(token) > 64:
        return None
    return list_bookings_with_details().filter(token=token).first()
