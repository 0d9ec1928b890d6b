"""Writes of the booking domain, one module per concern.

- booking.py: taking a place (book_appointment)
- desk.py: what accueil agents do (check-in, outcome, no-shows, bookings for callers)
"""

from .booking import PersonData, book_appointment
from .desk import (
    book_for_caller,
    check_in_booking,
    mark_booking_done,
    mark_booking_no_show,
    mark_no_shows_for_day,
)

__all__ = [
    "PersonData",
    "book_appointment",
    "book_for_caller",
    "check_in_booking",
    "mark_booking_done",
    "mark_booking_no_show",
    "mark_no_shows_for_day",
]
