"""The priority rules an opening may choose for its draw (ExceptionalOpening.Priority): each gives a
registration its class, 0 first. Inside a class, only the draw decides."""

from __future__ import annotations

import datetime as dt

from booking.eligibility import Answers
from counters.models import ExceptionalOpening

Priority = ExceptionalOpening.Priority


def priority_class(rule: str, *, answers: Answers, day: dt.date) -> int:
    """The class of a registration with these answers, for an opening on `day`."""
    if rule == Priority.EXPIRED_PERMIT_FIRST:
        # A permit that has expired by the opening's day first: that person is without papers.
        expired = answers.permit_expires_on is not None and answers.permit_expires_on < day
        return 0 if expired else 1
    return 0
