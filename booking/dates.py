"""Dates typed by people, kept within years this service can reckon with.

Python's dates stop at 0001-01-01 and 9999-12-31: a page that adds a day to
the last one, or turns the first one into UTC, fails. Every date read from a
form or a query string goes through here, so that such a date is refused with
a message instead.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

EARLIEST_DATE = dt.date(1900, 1, 1)
LATEST_DATE = dt.date(2199, 12, 31)


def is_within_bounds(day: dt.date) -> bool:
    return EARLIEST_DATE <= day <= LATEST_DATE


def parse_day(raw: str | None) -> dt.date | None:
    """An ISO date (2026-03-31) within bounds, or None for anything else."""
    try:
        day = dt.date.fromisoformat(raw or "")
    except ValueError:
        return None
    return day if is_within_bounds(day) else None


class BoundedDateField(forms.DateField):
    """A date field that refuses dates outside EARLIEST_DATE..LATEST_DATE."""

    default_error_messages = {
        "out_of_bounds": _("Saisissez une date comprise entre %(earliest)s et %(latest)s."),
    }

    def validate(self, value):
        super().validate(value)
        if value is not None and not is_within_bounds(value):
            raise forms.ValidationError(
                self.error_messages["out_of_bounds"],
                code="out_of_bounds",
                params={"earliest": EARLIEST_DATE.year, "latest": LATEST_DATE.year},
            )
