"""What a lottery keeps about people, and when to forget it; registered with the retention job (booking.retention).

- A registration whose address was never proved holds personal data for
  nothing: the draw deletes those of its lottery; `forget_unproved_registrations`
  deletes those whose code has expired, drawn or not.
- After the opening's day, a registration's personal data (names, birth date,
  nationality, numbers and their keys, address, phone, permit expiry) serve no
  more: `anonymise_registrations_before` blanks them for the openings held
  before a given day (suggested: 30 days after the opening, time for a
  complaint; RETENTION_LOTTERY_DAYS, counted in each site's days:
  `anonymise_past_registrations`). The registration hash, class, rank and status stay, so the
  published draw can still be checked; the bookings made from the draw follow
  the bookings' own retention.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from booking.applicants import anonymise_applicants
from booking.retention import register_purge
from booking.retention.batches import in_batches
from counters.models import Site
from counters.selectors import site_today

from .models import Registration


def forget_unproved_registrations(*, now: dt.datetime | None = None) -> int:
    now = now or timezone.now()
    _total, deleted = Registration.objects.filter(verified_at__isnull=True, verify_before__lte=now).delete()
    return deleted.get(Registration._meta.label, 0)  # not counting their e-mails, deleted with them


def anonymise_registrations_before(*, day: dt.date, now: dt.datetime | None = None) -> int:
    """Blank the personal data of the registrations of lotteries whose opening was before `day`."""
    registrations = Registration.objects.filter(lottery__opening__date__lt=day)
    return anonymise_applicants(registrations, now=now or timezone.now())


def anonymise_past_registrations(*, now: dt.datetime) -> int:
    """Blank the registrations of openings held more than RETENTION_LOTTERY_DAYS ago, in each site's days."""
    total = 0
    for site in Site.objects.filter(exceptional_openings__lottery__isnull=False).distinct():
        day = site_today(site, now=now) - dt.timedelta(days=settings.RETENTION_LOTTERY_DAYS)
        due = Registration.objects.filter(
            lottery__opening__site=site, lottery__opening__date__lt=day, anonymised_at__isnull=True
        )
        total += in_batches(due, lambda pks: anonymise_applicants(Registration.objects.filter(pk__in=pks), now=now))
    return total


register_purge("lottery_unproved", forget_unproved_registrations)
register_purge("lottery_registrations", anonymise_past_registrations, setting="RETENTION_LOTTERY_DAYS")
