"""What a waiting list keeps about people, and when to forget it. The retention job (to come) calls these.

- An entry whose address was never proved holds personal data for nothing:
  `forget_unproved_entries` deletes it once its code has expired (joining
  again deletes the person's own at once).
- An entry whose last possible day has passed can be offered nothing more:
  `close_passed_entries` ends it (daily).
- An entry that ended (booked, left, lapsed, closed) keeps its personal data
  only for questions about it: `anonymise_entries_ended_before` blanks it
  (suggested: 30 days after). Its offers stay, pointing to bookings that
  follow the bookings' own retention; the counts stay right.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils import timezone

from booking.applicants import anonymise_applicants
from counters.models import Site
from counters.selectors import site_today

from .models import WaitlistEntry

Status = WaitlistEntry.Status


def forget_unproved_entries(*, now: dt.datetime | None = None) -> int:
    now = now or timezone.now()
    unproved = WaitlistEntry.objects.filter(status=Status.PENDING, verify_before__lte=now)
    _total, deleted = unproved.delete()
    return deleted.get(WaitlistEntry._meta.label, 0)  # not counting their e-mails, deleted with them


def close_passed_entries(*, now: dt.datetime | None = None) -> int:
    """End the waiting entries whose `available_until` has passed, as each site counts days."""
    now = now or timezone.now()
    passed = Q(pk__in=[])
    for site in Site.objects.filter(counter_types__waitlist_entries__status=Status.WAITING).distinct():
        passed |= Q(counter_type__site=site, available_until__lt=site_today(site, now=now))
    return WaitlistEntry.objects.filter(passed, status=Status.WAITING).update(status=Status.ENDED, ended_at=now)


def anonymise_entries_ended_before(*, moment: dt.datetime, now: dt.datetime | None = None) -> int:
    ended = WaitlistEntry.objects.exclude(status__in=WaitlistEntry.ACTIVE_STATUSES).filter(ended_at__lt=moment)
    return anonymise_applicants(ended, now=now or timezone.now())
