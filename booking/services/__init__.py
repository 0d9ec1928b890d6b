"""Writes of the booking domain, one module per concern.

- booking.py: taking a place (book_appointment)
"""

from .booking import PersonData, book_appointment

__all__ = ["PersonData", "book_appointment"]
