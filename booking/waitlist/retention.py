"""What a waiting list keeps about people, and when to forget it; registered with the retention job (booking.retention).

- An entry whose address was never proved holds personal data for nothing:
  `forget_unproved_entries` deletes it once its code has expired (joining
  again deletes the person's own at once).
- An entry whose last possible day has passed can be offered nothing more:
  `close_passed_entries` ends it (daily).
- An entry that ended (booked, left, lapsed, closed) keeps its personal data
  only for questions about it: `anonymise_entries_ended_before` blanks it
  (RETENTION_WAITLIST_DAYS after: `anonymise_ended_entries`). Its offers stay, pointing to bookings that
  follow the bookings' own retention; the counts stay right.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from booking.applicants import anonymise_applicants
from booking.retention import register_purge
from booking.retention.batches import in_batches
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


def entries_ended_before(moment: dt.datetime):
    ended = WaitlistEntry.objects.exclude(status__in=WaitlistEntry.ACTIVE_STATUSES)
    return ended.filter(ended_at__lt=moment, anonymised_at__isnull=True)


def anonymise_entries_ended_before(*, moment: dt.datetime, now: dt.datetime | None = None) -> int:
    return anonymise_applicants(entries_ended_before(moment), now=now or timezone.now())


def anonymise_ended_entries(*, now: dt.datetime) -> int:
    """Blank the entries that ended more than RETENTION_WAITLIST_DAYS ago."""
    ended = entries_ended_before(now - dt.timedelta(days=settings.RETENTION_WAITLIST_DAYS))
    return in_batches(ended, lambda pks: anonymise_applicants(WaitlistEntry.objects.filter(pk__in=pks), now=now))


register_purge("waitlist_unproved", forget_unproved_entries)
# Before the anonymisation: an entry whose last day has passed ends, and its period starts.
register_purge("waitlist_passed", close_passed_entries)
register_purge("waitlist_entries", anonymise_ended_entries, setting="RETENTION_WAITLIST_DAYS")
