"""Hourly samples of the first free day, and their median."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from booking.transparency.models import AvailabilitySample
from booking.transparency.selectors import MIN_SAMPLES, median_wait
from booking.transparency.services import record_availability_samples
from booking.transparency.tasks import record_availability_samples_task
from prefecture.celery import app as celery_app
from tests.factories import PARIS, CounterTypeFactory, SiteFactory, SlotFactory, at, book_confirmed, person

NOW = at(dt.date(2026, 3, 10), 10, 30)  # a Tuesday


@pytest.mark.django_db
def test_a_sample_records_the_first_day_the_slot_page_offers():
    open_type = CounterTypeFactory(min_days_ahead=1)
    SlotFactory(counter_type=open_type, starts_at=at(dt.date(2026, 3, 10), 11))  # today: not offered online
    full = SlotFactory(counter_type=open_type, starts_at=at(dt.date(2026, 3, 11), 9))
    book_confirmed(counter_type=open_type, starts_at=full.starts_at, person=person())
    SlotFactory(counter_type=open_type, starts_at=at(dt.date(2026, 3, 13), 14))
    closed_type = CounterTypeFactory()
    CounterTypeFactory(online_booking=False)  # agents only: no public figure

    assert record_availability_samples(now=NOW) == 2

    samples = {s.counter_type_id: s for s in AvailabilitySample.objects.all()}
    assert set(samples) == {open_type.pk, closed_type.pk}
    assert (samples[open_type.pk].first_free_day, samples[open_type.pk].wait_days) == (dt.date(2026, 3, 13), 3)
    assert (samples[closed_type.pk].first_free_day, samples[closed_type.pk].wait_days) == (None, None)
    assert samples[open_type.pk].sampled_at == at(dt.date(2026, 3, 10), 10)


@pytest.mark.django_db
def test_sampling_twice_in_an_hour_records_one_sample_per_procedure():
    CounterTypeFactory()

    record_availability_samples(now=NOW)
    record_availability_samples(now=NOW + dt.timedelta(minutes=20))
    assert AvailabilitySample.objects.count() == 1

    record_availability_samples(now=NOW + dt.timedelta(hours=1))
    assert AvailabilitySample.objects.count() == 2


@pytest.mark.django_db
def test_the_wait_counts_from_the_sites_own_date():
    site = SiteFactory(time_zone="Indian/Reunion")  # UTC+4
    counter_type = CounterTypeFactory(site=site, min_days_ahead=0)
    SlotFactory(counter_type=counter_type, starts_at=dt.datetime(2026, 3, 12, 9, tzinfo=ZoneInfo(site.time_zone)))
    # 22:30 on 10 March in Paris: already 11 March at the site.
    record_availability_samples(now=dt.datetime(2026, 3, 10, 22, 30, tzinfo=PARIS))

    assert AvailabilitySample.objects.get().wait_days == 1


@pytest.mark.django_db
def test_the_beat_job_runs_the_sampling_every_hour(settings):
    CounterTypeFactory()
    entry = next(
        e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == record_availability_samples_task.name
    )

    assert entry["task"] in celery_app.tasks
    assert record_availability_samples_task.delay().get() == 1
    assert AvailabilitySample.objects.count() == 1


def test_too_few_samples_are_not_enough_data():
    wait = median_wait({3: MIN_SAMPLES - 1})

    assert not wait.enough_data and wait.median_days is None and not wait.median_is_no_place


@pytest.mark.parametrize(
    ("histogram", "median"),
    [
        ({1: 10, 5: 11, 9: 10}, 5),  # odd count: the middle one
        ({2: 12, 8: 12}, 2),  # even count: the lower middle, a wait actually seen
        ({2: 12, 8: 13}, 8),
        ({4: 12, None: 13}, None),  # no place at all counts as the longest wait
        ({4: 13, None: 12}, 4),
    ],
)
def test_the_median_wait(histogram, median):
    wait = median_wait(histogram)

    assert wait.enough_data and wait.median_days == median
    assert wait.median_is_no_place == (median is None)


def test_the_share_of_samples_without_any_place():
    assert median_wait({4: 18, None: 6}).no_place_percent == 25
