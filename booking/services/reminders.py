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

    Idempotent: the outbox key (booking, REMINDER, the booking's version) lets a
    second or overlapping run add nothing, and a moved appointment gets a
    reminder for its new time. A booking made or moved inside the window gets
    no reminder: its confirmation has just told the same.
    Returns the number of reminders queued.
    """
    now = now or timezone.now()
    queued = 0
    for counter_type in CounterType.objects.filter(reminder_hours_before__gt=0).only("pk", "reminder_hours_before"):
        lead = dt.timedelta(hours=counter_type.reminder_hours_before)
        due = {
            booking_id: (starts_at, version)
            for booking_id, starts_at, version in Booking.objects.filter(
                counter_type=counter_type,
                status=Booking.Status.CONFIRMED,
                slot__starts_at__gt=now,
                slot__starts_at__lte=now + lead,
            )
            .exclude(email="")  # a caller booked by an agent without an address
            .values_list("pk", "slot__starts_at", "version")
        }
        announced, reminded = _announcements(due)
        for booking_id, (starts_at, version) in due.items():
            key = (booking_id, version)
            if key in reminded or announced.get(key, starts_at - lead) > starts_at - lead:
                continue
            queued += _queue_reminder(booking_id=booking_id, version=version)
    return queued


def _announcements(booking_ids) -> tuple[dict[tuple[int, int], dt.datetime], set[tuple[int, int]]]:
    """When each (booking, version) was announced (its confirmation or MOVED e-mail), and which were reminded."""
    announced, reminded = {}, set()
    rows = OutboundEmail.objects.filter(
        booking_id__in=booking_ids,
        kind__in=[OutboundEmail.Kind.CONFIRMATION, OutboundEmail.Kind.MOVED, OutboundEmail.Kind.REMINDER],
    ).values_list("booking_id", "kind", "sequence", "created_at")
    for booking_id, kind, sequence, created_at in rows:
        if kind == OutboundEmail.Kind.REMINDER:
            reminded.add((booking_id, sequence))
        else:  # a confirmation announces version 0, the n-th MOVED e-mail version n
            announced[(booking_id, sequence)] = created_at
    return announced, reminded


@transaction.atomic
def _queue_reminder(*, booking_id: int, version: int) -> int:
    booking = Booking.objects.get(pk=booking_id)
    before = OutboundEmail.objects.filter(booking=booking, kind=OutboundEmail.Kind.REMINDER, sequence=version).exists()
    if before:
        return 0
    queue_email(booking=booking, kind=OutboundEmail.Kind.REMINDER, sequence=version)
    return 1
