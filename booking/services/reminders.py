"""Reminders, queued by a periodic job a set time before each appointment."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from counters.models import CounterType

from ..emails import queue_email
from ..models import Booking, OutboundEmail


def queue_due_reminders(*, now: dt.datetime | None = None) -> int:
    """Queue one reminder per booking and appointment time entering its reminder window.

    Idempotent: the outbox key (booking, REMINDER, appointment version) lets a
    second or overlapping run add nothing. A booking made or moved inside the
    window gets no reminder: its confirmation has just told the same.
    Returns the number of reminders queued.
    """
    now = now or timezone.now()
    queued = 0
    for counter_type in CounterType.objects.filter(reminder_hours_before__gt=0).only("pk", "reminder_hours_before"):
        lead = dt.timedelta(hours=counter_type.reminder_hours_before)
        due = list(
            Booking.objects.filter(
                counter_type=counter_type,
                status=Booking.Status.CONFIRMED,
                slot__starts_at__gt=now,
                slot__starts_at__lte=now + lead,
            )
            .exclude(email="")  # a caller booked by an agent without an address
            .values_list("pk", "slot__starts_at")
        )
        if not due:
            continue
        starts = dict(due)
        reminded = set(
            OutboundEmail.objects.filter(booking_id__in=starts, kind=OutboundEmail.Kind.REMINDER).values_list(
                "booking_id", "sequence"
            )
        )
        versions: dict[int, int] = {}
        announced_inside_window = set()
        for booking_id, _kind, sequence, created_at in OutboundEmail.objects.filter(
            booking_id__in=starts, kind__in=[OutboundEmail.Kind.CONFIRMATION, OutboundEmail.Kind.MOVED]
        ).values_list("booking_id", "kind", "sequence", "created_at"):
            versions[booking_id] = max(versions.get(booking_id, 0), sequence)
            if created_at > starts[booking_id] - lead:
                announced_inside_window.add((booking_id, sequence))
        for booking_id in starts:
            key = (booking_id, versions.get(booking_id, 0))
            if key in reminded or key in announced_inside_window:
                continue
            queued += _queue_reminder(booking_id=booking_id, version=key[1])
    return queued


@transaction.atomic
def _queue_reminder(*, booking_id: int, version: int) -> int:
    booking = Booking.objects.get(pk=booking_id)
    before = OutboundEmail.objects.filter(booking=booking, kind=OutboundEmail.Kind.REMINDER, sequence=version).exists()
    if before:
        return 0
    queue_email(booking=booking, kind=OutboundEmail.Kind.REMINDER, sequence=version)
    return 1
