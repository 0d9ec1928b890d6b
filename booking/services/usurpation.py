"""Releasing a booking taken under someone else's identity, at the desk or on the phone.

Someone booked first with another person's number and birth date: the real
person is refused online (one active booking per person and procedure). An
agent, having checked the real person's papers, releases that booking: it
becomes RELEASED, its place goes back through the freed-place rule, nothing
is sent to whoever made it (no cancellation, no convocation), and the agent
may then book for the real person (book_for_caller). The audit trail keeps
the agent and the reason they gave. A released booking does not count as a
cancellation against the real person's identity (holds.check_rebooking_allowed).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from counters.models import WithheldPlace

from ..exceptions import StatusChangeRefused
from ..models import Booking
from .places import free_place

# simple-history keeps a change's reason in 100 characters.
REASON_MAX_LENGTH = 100


def check_release_usurped(*, booking: Booking, now: dt.datetime | None = None) -> None:
    """A hold or a confirmed booking may be released; not one whose person has come or is past."""
    if booking.status not in (Booking.Status.HELD, Booking.Status.CONFIRMED):
        raise StatusChangeRefused(
            _("Le rendez-vous %(reference)s est « %(status)s » : il ne peut pas être libéré.")
            % {"reference": booking.display_reference, "status": booking.get_status_display()}
        )


@transaction.atomic
def release_usurped_booking(*, booking: Booking, agent, reason: str, now: dt.datetime | None = None) -> Booking:
    """Release `booking` (RELEASED), audited with `agent` and `reason`, and free its place. Sends nothing."""
    now = now or timezone.now()
    booking = Booking.objects.select_for_update(of=("self",)).select_related("slot", "counter_type").get(pk=booking.pk)
    check_release_usurped(booking=booking, now=now)
    booking.status = Booking.Status.RELEASED
    booking.cancelled_at = now
    booking._history_user = agent
    booking._change_reason = reason.strip()[:REASON_MAX_LENGTH]
    booking.save(update_fields=["status", "cancelled_at", "updated_at"])
    free_place(slot_id=booking.slot_id, reserved=booking.reserved_place, reason=WithheldPlace.Reason.RELEASED, now=now)
    return booking
