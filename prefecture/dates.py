"""Dates as residents read them, in the active language's own order and words."""

import datetime as dt

from django.utils import formats
from django.utils.translation import pgettext


def long_date(value: dt.date | dt.datetime) -> str:
    """A day in full: "lundi 4 mars 2030" in French, "Monday, March 4, 2030" in English.

    The format itself is translated (each language orders weekday, day and
    month its own way); a datetime should already be in the site's time zone.
    """
    return formats.date_format(value, pgettext("PHP-style date format: weekday, day, month, year", "l j F Y"))


def short_date(value: dt.date | dt.datetime) -> str:
    """A day without its weekday, in the active language's DATE_FORMAT: "4 mars 2030", "March 4, 2030"."""
    return formats.date_format(value, "DATE_FORMAT")


def day_month_year(value: dt.date | dt.datetime) -> str:
    """A day without its weekday, in the active language's order and words: "4 mars 2030", "2030年3月4日"."""
    return formats.date_format(value, pgettext("PHP-style date format: day, month, year", "j F Y"))


def short_day(value: dt.date | dt.datetime) -> str:
    """A day in a few characters, for a list of days to choose from: "lun. 4 mars", "3月4日 周一"."""
    return formats.date_format(value, pgettext("PHP-style date format: short weekday, day, short month", "D j M"))
