"""E-mails keep no address once what they were about is anonymised.

The outbox stores no body: an e-mail is written from its booking,
registration, entry or question when it is sent. What a row holds of a person is its
`recipient` address, and `last_error`, where an SMTP server's answer may quote
it. A row not sent yet is never sent after that (SKIPPED).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Case, F, Q, QuerySet, Value, When

from ..models import OutboundEmail
from .batches import in_batches
from .registry import register_purge

Status = OutboundEmail.Status
UNSENT = (Status.QUEUED, Status.SENDING)
HOLDS_PERSONAL_DATA = Q(status__in=UNSENT) | ~Q(recipient="") | ~Q(last_error="")


def forget_addresses(emails: QuerySet[OutboundEmail]) -> int:
    """Blank these e-mails' address and error, and skip those not sent; returns how many changed."""
    return emails.filter(HOLDS_PERSONAL_DATA).update(
        recipient="",
        last_error="",
        status=Case(When(status__in=UNSENT, then=Value(Status.SKIPPED)), default=F("status")),
    )


def forget_addresses_of_anonymised(*, now: dt.datetime) -> int:
    """The e-mails about registrations, entries and questions anonymised by their apps' purges (bookings and
    questions do theirs too)."""
    anonymised = (
        Q(booking__anonymised_at__isnull=False)
        | Q(registration__anonymised_at__isnull=False)
        | Q(waitlist_entry__anonymised_at__isnull=False)
        | Q(question__anonymised_at__isnull=False)
    )
    due = OutboundEmail.objects.filter(anonymised).filter(HOLDS_PERSONAL_DATA)
    return in_batches(due, lambda pks: forget_addresses(OutboundEmail.objects.filter(pk__in=pks)))


register_purge("emails", forget_addresses_of_anonymised, late=True)
