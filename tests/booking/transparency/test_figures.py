"""The figures of the last 30 days per procedure, and the next release of places."""

import datetime as dt

import pytest

from booking.models import Booking
from booking.transparency import releases
from booking.transparency.models import AvailabilitySample
from booking.transparency.releases import Release
from booking.transparency.selectors import MIN_SAMPLES, get_site_transparency
from tests.factories import (
    CounterTypeFactory,
    ExceptionalOpeningFactory,
    SiteFactory,
    SlotFactory,
    at,
    book_confirmed,
    person,
)

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 10)  # a Tuesday
NOW = at(TODAY, 10)
Status = Booking.Status


def day(offset: int) -> dt.date:
    return TODAY + dt.timedelta(days=offset)


def book(slot, n: int, status=None) -> Booking:
    booking = book_confirmed(counter_type=slot.counter_type, starts_at=slot.starts_at, person=person(n))
    if status:
        Booking.objects.filter(pk=booking.pk).update(status=status)
    return booking


def row_for(transparency, counter_type):
    return next(row for row in transparency.rows if row.counter_type.pk == counter_type.pk)


def test_the_period_is_the_30_whole_days_before_today():
    site = SiteFactory()

    transparency = get_site_transparency(site=site, now=NOW)

    assert (transparency.start, transparency.end) == (dt.date(2026, 2, 8), dt.date(2026, 3, 9))


def test_figures_count_the_slots_and_bookings_dated_in_the_period():
    site = SiteFactory()
    filing = CounterTypeFactory(site=site, name="Dépôt")
    cards = CounterTypeFactory(site=site, name="Remise")
    agents_only = CounterTypeFactory(site=site, online_booking=False)
    other_site = CounterTypeFactory()
    yesterday = SlotFactory(counter_type=filing, starts_at=at(day(-1), 9), capacity=4, reserved_capacity=1)
    first_day = SlotFactory(counter_type=filing, starts_at=at(day(-30), 9), capacity=2)
    SlotFactory(counter_type=filing, starts_at=at(day(-31), 9), capacity=50)  # before the period
    today = SlotFactory(counter_type=filing, starts_at=at(TODAY, 9), capacity=50)  # today is not over
    SlotFactory(counter_type=cards, starts_at=at(day(-2), 9), capacity=3)
    SlotFactory(counter_type=agents_only, starts_at=at(day(-2), 9), capacity=3)
    SlotFactory(counter_type=other_site, starts_at=at(day(-2), 9), capacity=3)
    book(yesterday, 1, Status.DONE)
    book(yesterday, 2, Status.NO_SHOW)
    book(yesterday, 3, Status.CANCELLED)
    book(first_day, 4)
    book(today, 5, Status.CANCELLED)

    transparency = get_site_transparency(site=site, now=NOW)

    assert [row.counter_type.pk for row in transparency.rows] == [filing.pk, cards.pk]
    row = row_for(transparency, filing)
    assert (row.released, row.booked, row.cancelled, row.no_shows) == (7, 3, 1, 1)
    row = row_for(transparency, cards)
    assert (row.released, row.booked, row.cancelled, row.no_shows) == (3, 0, 0, 0)


def samples(counter_type, start: dt.datetime, waits: list[int | None]) -> None:
    AvailabilitySample.objects.bulk_create(
        AvailabilitySample(
            counter_type=counter_type,
            sampled_at=start + dt.timedelta(hours=index),
            wait_days=wait,
            first_free_day=(start + dt.timedelta(hours=index)).date() + dt.timedelta(days=wait) if wait else None,
        )
        for index, wait in enumerate(waits)
    )


def test_the_median_wait_is_taken_over_the_samples_of_the_period():
    counter_type = CounterTypeFactory()
    quiet = CounterTypeFactory(site=counter_type.site)
    samples(counter_type, at(day(-3), 0), [12] * 20 + [40] * 15)
    samples(counter_type, at(day(-40), 0), [1] * 100)  # before the period
    samples(counter_type, at(TODAY, 0), [1] * 100)  # today, after the period
    samples(quiet, at(day(-3), 0), [2] * (MIN_SAMPLES - 1))

    transparency = get_site_transparency(site=counter_type.site, now=at(TODAY, 12))

    wait = row_for(transparency, counter_type).wait
    assert (wait.samples, wait.median_days) == (35, 12)
    assert not row_for(transparency, quiet).wait.enough_data


def test_the_next_release_is_the_midnight_the_first_slot_beyond_the_window_enters_it():
    counter_type = CounterTypeFactory(min_days_ahead=1, max_days_ahead=60)  # window: up to 9 May at NOW
    SlotFactory(counter_type=counter_type, starts_at=at(dt.date(2026, 5, 9), 9))  # already bookable
    SlotFactory(counter_type=counter_type, starts_at=at(dt.date(2026, 5, 11), 9, 15))
    SlotFactory(counter_type=counter_type, starts_at=at(dt.date(2026, 5, 12), 9))
    SlotFactory(counter_type=counter_type, starts_at=at(dt.date(2026, 5, 10), 9), capacity=0, reserved_capacity=2)

    release = row_for(get_site_transparency(site=counter_type.site, now=NOW), counter_type).next_release

    # 11 May enters the window when "today + 60 days" reaches it: at midnight on 12 March.
    assert (release.at, release.kind) == (at(dt.date(2026, 3, 12), 0), "horizon")
    assert release.at.tzinfo is not None and release.at.utcoffset() == dt.timedelta(hours=1)


def test_a_scheduled_opening_released_earlier_comes_first_for_its_procedures_only():
    site = SiteFactory()
    filing = CounterTypeFactory(site=site, max_days_ahead=60)
    cards = CounterTypeFactory(site=site, max_days_ahead=60)
    agents_only = CounterTypeFactory(site=site, online_booking=False)
    SlotFactory(counter_type=filing, starts_at=at(dt.date(2026, 5, 11), 9))
    SlotFactory(counter_type=cards, starts_at=at(dt.date(2026, 5, 11), 9))
    ExceptionalOpeningFactory(
        site=site, date=dt.date(2026, 3, 14), published_at=at(TODAY, 18), counter_types=[filing, agents_only]
    )
    ExceptionalOpeningFactory(
        site=site, date=dt.date(2026, 3, 21), published_at=at(TODAY, 20), counter_types=[filing, cards]
    )
    ExceptionalOpeningFactory(site=site, date=dt.date(2026, 3, 14), published_at=at(TODAY, 8), counter_types=[cards])

    transparency = get_site_transparency(site=site, now=NOW)

    filing_release = row_for(transparency, filing).next_release
    assert (filing_release.at, filing_release.kind) == (at(TODAY, 18), "opening")
    assert "14 mars 2026" in filing_release.label
    cards_release = row_for(transparency, cards).next_release
    assert (cards_release.at, cards_release.kind) == (at(TODAY, 20), "opening")
    assert agents_only.pk not in {row.counter_type.pk for row in transparency.rows}


def test_a_procedure_with_nothing_announced_has_no_next_release():
    counter_type = CounterTypeFactory()

    assert row_for(get_site_transparency(site=counter_type.site, now=NOW), counter_type).next_release is None


def test_another_release_source_plugs_in_and_the_earliest_wins(monkeypatch):
    """How lotteries will add their draw dates."""
    counter_type = CounterTypeFactory(max_days_ahead=60)
    SlotFactory(counter_type=counter_type, starts_at=at(dt.date(2026, 5, 11), 9))
    draw = Release(at=at(TODAY, 14), kind="lottery", label="tirage au sort")

    def lottery_releases(site, counter_types, now):
        return {ct.pk: draw for ct in counter_types if ct.site_id == site.pk}

    monkeypatch.setattr(releases, "RELEASE_SOURCES", [*releases.RELEASE_SOURCES, lottery_releases])

    assert row_for(get_site_transparency(site=counter_type.site, now=NOW), counter_type).next_release == draw
