"""{% load dates %}: days written in the active language's order and words (see prefecture.dates).

`value|long_date` (with the weekday), `value|day_month_year`, `value|short_day` (the list of days to choose),
`days|by_week` (that list, a group per week).
"""

import datetime as dt

from django import template

from prefecture import dates

register = template.Library()
# Like |date, it shows an aware datetime in the current time zone ({% timezone %} sets it to the site's).
register.filter("long_date", dates.long_date, expects_localtime=True)
register.filter("day_month_year", dates.day_month_year, expects_localtime=True)
register.filter("short_day", dates.short_day, expects_localtime=True)


@register.filter
def by_week(days) -> list[tuple]:
    """Available days (objects with a `.day`) grouped by week: [(its Monday, [days of that week]), ...]."""
    weeks: dict = {}
    for available in days:
        monday = available.day - dt.timedelta(days=available.day.weekday())
        weeks.setdefault(monday, []).append(available)
    return list(weeks.items())
