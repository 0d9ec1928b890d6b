"""{% load dates %}: `value|long_date`, a day in full in the active language (see prefecture.dates)."""

from django import template

from prefecture import dates

register = template.Library()
register.filter("long_date", dates.long_date)
