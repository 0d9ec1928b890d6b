"""{% load dates %}: `value|long_date`, a day in full in the active language (see prefecture.dates)."""

from django import template

from prefecture import dates

register = template.Library()
# Like |date, it shows an aware datetime in the current time zone ({% timezone %} sets it to the site's).
register.filter("long_date", dates.long_date, expects_localtime=True)
