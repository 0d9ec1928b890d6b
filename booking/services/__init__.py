"""Writes of the booking domain, one module per concern.

- booking.py: taking a place (book_appointment)
- changes.py: what a resident changes afterwards (cancel_booking, move_booking, send_access_link)
- reminders.py: reminders before the appointment (queue_due_reminders)
- desk.py: what accueil agents do (check-in, outcome, no-shows and their undoing, bookings for callers)
"""

from .booking import PersonData, book_appointment
from .changes import cancel_booking, change_deadline, check_changeable, move_booking, send_access_link
from .desk import (
    DeskAction,
    allowed_desk_actions,
    book_for_caller,
    check_in_booking,
    mark_booking_done,
    mark_booking_no_show,
    mark_no_shows_for_day,
    mark_no_shows_of_ended_days,
    undo_check_in,
    undo_no_show,
)
from .reminders import queue_due_reminders

__all__ = [
    "PersonData",
    "book_appointment",
    "cancel_booking",
    "change_deadline",
    "check_changeable",
    "move_booking",
    "queue_due_reminders",
    "send_access_link",
    "book_for_caller",
    "check_in_booking",
    "mark_booking_done",
    "mark_booking_no_show",
    "mark_no_shows_for_day",
    "mark_no_shows_of_ended_days",
    "DeskAction",
    "allowed_desk_actions",
    "undo_check_in",
    "undo_no_show",
]
