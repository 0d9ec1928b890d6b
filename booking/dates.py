"""Dates typed by people, kept within years this service can reckon with.

Python's dates stop at 0001-01-01 and 9999-12-31: a page that adds a day to
the last one, or turns the first one into UTC, fails. Every date read from a
form or a query string goes through here, so that such a date is refused with
a message instead.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.template import loader
from django.utils.safestring import mark_safe
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


class DateParts(forms.MultiWidget):
    """A date typed as three boxes, day, month and year (the DSFR pattern), always in that order.

    A browser's date picker shows the order of the browser's language, not the page's, and says nothing a
    screen reader can rely on. The three boxes post `<name>_day`, `<name>_month` and `<name>_year`; a single
    `<name>` in ISO form (2026-03-31: a link, a script) is read too. The field template draws the legend, the
    labels and the errors (templates/dsfr_crispy/field.html).
    """

    template_name = "dsfr_crispy/date_parts.html"
    is_date_parts = True
    PARTS = ("day", "month", "year")

    def __init__(self, attrs=None, *, autocomplete: str = ""):
        def box(size: int, part: str) -> forms.TextInput:
            box_attrs = {"inputmode": "numeric", "maxlength": size, "class": "fr-input"}
            if autocomplete:
                box_attrs["autocomplete"] = f"{autocomplete}-{part}"
            return forms.TextInput(attrs=box_attrs)

        super().__init__({"day": box(2, "day"), "month": box(2, "month"), "year": box(4, "year")}, attrs)

    def render(self, name, value, attrs=None, renderer=None):
        # The project's templates, not the form renderer's (which knows only Django's own widgets).
        return mark_safe(loader.render_to_string(self.template_name, self.get_context(name, value, attrs)))

    def decompress(self, value):
        if isinstance(value, str):
            value = parse_day(value)
        if isinstance(value, dt.date):
            return [str(value.day), str(value.month), str(value.year)]
        return [None, None, None]

    def value_from_datadict(self, data, files, name):
        parts = super().value_from_datadict(data, files, name)
        if all(part is None for part in parts):
            return data.get(name)  # the ISO form, or nothing
        return tuple((part or "").strip() for part in parts)

    def value_omitted_from_data(self, data, files, name):
        return name not in data and super().value_omitted_from_data(data, files, name)


class BoundedDateField(forms.DateField):
    """A date field that refuses dates outside EARLIEST_DATE..LATEST_DATE, typed as day, month and year."""

    widget = DateParts
    default_error_messages = {
        "out_of_bounds": _("Saisissez une date comprise entre %(earliest)s et %(latest)s."),
        "missing_day": _("Indiquez le jour."),
        "missing_month": _("Indiquez le mois."),
        "missing_year": _("Indiquez l'année."),
        "bad_day": _("Le jour est un nombre de 1 à 31."),
        "bad_month": _("Le mois est un nombre de 1 à 12."),
        "bad_year": _("L'année s'écrit avec 4 chiffres, par exemple 1990."),
        "impossible": _("Cette date n'existe pas : vérifiez le jour et le mois."),
    }

    def to_python(self, value):
        if isinstance(value, (list, tuple)):
            return self.from_parts(*value)
        return super().to_python(value)

    def from_parts(self, day: str, month: str, year: str) -> dt.date | None:
        if not (day or month or year):
            return None
        for name, raw, low, high in (("day", day, 1, 31), ("month", month, 1, 12), ("year", year, 1000, 9999)):
            if not raw:
                raise forms.ValidationError(self.error_messages[f"missing_{name}"], code=f"missing_{name}")
            # Any decimal digits: an Arabic phone's keyboard types ٠١٢…, which int() reads as 0 1 2.
            if not (raw.isdecimal() and low <= int(raw) <= high):
                raise forms.ValidationError(self.error_messages[f"bad_{name}"], code=f"bad_{name}")
        try:
            return dt.date(int(year), int(month), int(day))
        except ValueError:
            raise forms.ValidationError(self.error_messages["impossible"], code="impossible") from None

    def validate(self, value):
        super().validate(value)
        if value is not None and not is_within_bounds(value):
            raise forms.ValidationError(
                self.error_messages["out_of_bounds"],
                code="out_of_bounds",
                params={"earliest": EARLIEST_DATE.year, "latest": LATEST_DATE.year},
            )
