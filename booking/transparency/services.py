"""Recording availability samples, from the beat job."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone

from counters.selectors import list_available_days, list_bookable_counter_types

from .models import AvailabilitySample


def sample_hour(now: dt.datetime) -> dt.datetime:
    """The hour a sample taken at `now` stands for, truncated in UTC."""
    return now.astimezone(dt.UTC).replace(minute=0, second=0, microsecond=0)


def record_availability_samples(*, now: dt.datetime | None = None) -> int:
    """For each procedure open online, record the first day a resident could book now.

    Asks the selector of the slot page, so a sample is what a resident saw.
    Idempotent: a second run in the same hour adds nothing. Returns how many
    samples this hour now holds.
    """
    now = now or timezone.now()
    hour = sample_hour(now)
    samples = []
    for counter_type in list_bookable_counter_types():
        days = list_available_days(counter_type, now=now)
        first = days[0].day if days else None
        today = now.astimezone(ZoneInfo(counter_type.site.time_zone)).date()
        samples.append(
            AvailabilitySample(
                counter_type=counter_type,
                sampled_at=hour,
                first_free_day=first,
                wait_days=(first - today).days if first else None,
            )
        )
    AvailabilitySample.objects.bulk_create(samples, ignore_conflicts=True)
    return AvailabilitySample.objects.filter(sampled_at=hour).count()
