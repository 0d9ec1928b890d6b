"""Writes of the booking domain, one module per concern.

- booking.py: taking a place (book_appointment)
- changes.py: what a resident changes afterwards (cancel_booking, move_booking, send_access_link)
- reminders.py: reminders before the appointment (queue_due_reminders)
"""

from .booking import PersonData, book_appointment
from .changes import cancel_booking, change_deadline, move_booking, send_access_link
from .reminders import queue_due_reminders

__all__ = [
    "PersonData",
    "book_appointment",
    "cancel_booking",
    "change_deadline",
    "move_booking",
    "queue_due_reminders",
    "send_access_link",
]
