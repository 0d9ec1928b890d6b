"""Writes of the booking domain, one module per concern.

- booking.py: taking a place (book_appointment)
- changes.py: what a resident changes afterwards (cancel_booking, move_booking, send_access_link)
- reminders.py: reminders before the appointment (queue_due_reminders)
- desk.py: what accueil agents do (check-in, outcome, no-shows and their undoing, bookings for callers)
- holds.py: public bookings held until the e-mail is confirmed (hold, confirm, resend, expire)
- places.py: freed places, withheld then released at a random time (free_place, release_withheld_places)
- usurpation.py: releasing a booking taken under someone else's identity (agents)
- erasure.py: deleting a past booking's personal data at its resident's request (check_erasable, erase_booking)
"""

from .booking import PersonData, book_appointment
from .changes import (
    cancel_booking,
    change_deadline,
    check_changeable,
    check_movable,
    move_booking,
    send_access_link,
)
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
from .erasure import check_erasable, erase_booking
from .holds import HoldResult, confirm_hold, expire_holds, hold_appointment, resend_verification
from .places import free_place, release_withheld_places
from .reminders import queue_due_reminders
from .usurpation import check_release_usurped, release_usurped_booking

__all__ = [
    "PersonData",
    "book_appointment",
    "cancel_booking",
    "check_erasable",
    "erase_booking",
    "change_deadline",
    "check_changeable",
    "check_movable",
    "check_release_usurped",
    "confirm_hold",
    "expire_holds",
    "free_place",
    "HoldResult",
    "hold_appointment",
    "release_usurped_booking",
    "release_withheld_places",
    "resend_verification",
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
