"""CSV export of bookings, for the bureau's spreadsheets."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator

from django.utils.translation import gettext as _

from .models import Booking

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    """A name typed online must not run as a formula in a spreadsheet."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class _Echo:
    def write(self, value: str) -> str:
        return value


def header() -> list[str]:
    return [
        _("Référence"),
        _("Date"),
        _("Heure"),
        _("Site"),
        _("Démarche"),
        _("Guichet"),
        _("Nom"),
        _("Prénoms"),
        _("Statut"),
        _("Canal"),
        _("Place réservée aux agents"),
        _("Remis"),
        _("Pris par"),
        _("Créé le"),
    ]


def row(booking: Booking) -> list[str]:
    zone = booking.counter_type.site.zone  # the site's hours, as on its agenda
    starts_at = booking.slot.starts_at.astimezone(zone)
    return [
        booking.display_reference,
        f"{starts_at:%d/%m/%Y}",
        f"{starts_at:%H:%M}",
        booking.counter_type.site.name,
        booking.counter_type.name,
        booking.slot.counter.label if booking.slot.counter else _("Ouverture exceptionnelle"),
        booking.last_name,
        booking.first_names,
        booking.get_status_display(),
        booking.get_channel_display(),
        _("oui") if booking.reserved_place else _("non"),
        booking.get_handed_over_display() if booking.handed_over else "",
        booking.created_by.get_username() if booking.created_by else "",
        f"{booking.created_at.astimezone(zone):%d/%m/%Y %H:%M}",
    ]


def iter_bookings_csv(bookings: Iterable[Booking]) -> Iterator[str]:
    """CSV lines, semicolon-separated with a BOM so that a French spreadsheet opens it as is."""
    writer = csv.writer(_Echo(), delimiter=";")
    yield "\ufeff" + writer.writerow(header())
    for booking in bookings:
        yield writer.writerow([_cell(value) for value in row(booking)])
