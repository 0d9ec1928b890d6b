"""Issuing certificates of an attempt to book, and erasing the names they hold."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.utils import timezone

from counters.models import CounterType
from counters.selectors import booking_window, list_available_days

from .codes import new_code
from .exceptions import PlacesAvailable
from .models import AttemptCertificate
from .signature import name_digest, sign

CODE_ATTEMPTS = 5


def check_no_place(*, counter_type: CounterType, now: dt.datetime) -> None:
    """Raise PlacesAvailable unless the procedure has no bookable day in its whole booking window.

    The question is asked to the selector the slot page uses, so that a
    certificate says exactly what a resident would have seen at that moment.
    """
    if list_available_days(counter_type, now=now):
        raise PlacesAvailable()


def searched_period(counter_type: CounterType, *, now: dt.datetime) -> tuple[dt.date, dt.date]:
    """The booking window as days in the site's time zone, both included."""
    tz = ZoneInfo(counter_type.site.time_zone)
    start, after_end = booking_window(counter_type, now=now)
    return start.astimezone(tz).date(), after_end.astimezone(tz).date() - dt.timedelta(days=1)


def issue_certificate(
    *, counter_type: CounterType, now: dt.datetime | None = None, last_name: str = "", first_names: str = ""
) -> AttemptCertificate:
    """Establish that `counter_type` offers no place now, and record a signed certificate saying so.

    `last_name` and `first_names` are optional, as the person declared them
    (validated by the form with booking.identity.clean_visible_text).
    """
    now = now or timezone.now()
    check_no_place(counter_type=counter_type, now=now)
    searched_from, searched_until = searched_period(counter_type, now=now)
    last_name, first_names = last_name.strip(), first_names.strip()
    certificate = AttemptCertificate(
        counter_type=counter_type,
        site=counter_type.site,
        procedure_name=counter_type.name,
        site_name=counter_type.site.name,
        time_zone=counter_type.site.time_zone,
        issued_at=now,
        searched_from=searched_from,
        searched_until=searched_until,
        last_name=last_name,
        first_names=first_names,
        name_digest=name_digest(last_name, first_names),
    )
    for attempt in range(1, CODE_ATTEMPTS + 1):
        certificate.code = new_code()
        certificate.signature = sign(certificate)
        try:
            with transaction.atomic():
                certificate.save(force_insert=True)
            break
        except IntegrityError:  # a code already given (about one chance in 10^16): draw another
            if attempt == CODE_ATTEMPTS:
                raise
    return certificate


def erase_certificate_names(*, issued_before: dt.datetime) -> int:
    """Blank the declared names of certificates issued before `issued_before`; their facts still verify.

    For the data-retention job: the name is personal data, the rest is not.
    """
    return (
        AttemptCertificate.objects.filter(issued_at__lt=issued_before)
        .exclude(last_name="", first_names="")
        .update(last_name="", first_names="")
    )
