import datetime as dt

import pytest
from django.utils import timezone

from counters.exceptions import OpeningNotReady, OpeningOverlaps
from counters.models import Slot
from counters.selectors import list_announcements
from counters.services import generate_slots, materialise_due_openings, plan_opening_slots, publish_opening
from tests.factories import CounterTypeFactory, ExceptionalOpeningFactory, SiteFactory

pytestmark = pytest.mark.django_db


def _draft_opening(places=200):
    site = SiteFactory()
    filing = CounterTypeFactory(site=site, slot_duration_minutes=20, position=1)
    cards = CounterTypeFactory(site=site, slot_duration_minutes=10, position=2)
    return ExceptionalOpeningFactory(site=site, published_at=None, places=places, counter_types=[filing, cards])


def test_preview_equals_what_publishing_creates():
    opening = _draft_opening(places=199)
    preview = [(p.counter_type.pk, p.starts_at, p.ends_at, p.capacity) for p in plan_opening_slots(opening)]
    assert opening.slots.count() == 0
    created = publish_opening(opening=opening)
    slots = [
        (s.counter_type_id, s.starts_at, s.ends_at, s.capacity)
        for s in opening.slots.order_by("counter_type__position", "starts_at")
    ]
    assert created == len(preview) == len(slots)
    assert slots == preview
    assert sum(capacity for *_, capacity in slots) == 199


def test_publishing_now_makes_the_announcement_appear():
    opening = _draft_opening()
    assert opening not in list_announcements()
    publish_opening(opening=opening)
    assert opening in list_announcements()


def test_a_publication_set_in_the_future_creates_nothing_until_its_time():
    opening = _draft_opening()
    later = timezone.now() + dt.timedelta(hours=2)
    assert publish_opening(opening=opening, at=later) == 0
    assert opening.slots.count() == 0
    assert opening not in list_announcements()
    generate_slots(days=0)
    assert opening.slots.count() == 0
    assert materialise_due_openings(now=later + dt.timedelta(minutes=1)) > 0
    assert opening.slots.count() > 0
    assert opening in list_announcements(now=later + dt.timedelta(minutes=1))


def test_an_opening_without_procedure_cannot_be_published():
    opening = ExceptionalOpeningFactory(published_at=None)
    with pytest.raises(OpeningNotReady):
        publish_opening(opening=opening)
    opening.refresh_from_db()
    assert opening.published_at is None


SATURDAY = dt.date(2027, 1, 16)


def _twin_openings():
    """A published Saturday morning, and a draft identical to it (same site, day, hours, procedure)."""
    site = SiteFactory()
    filing = CounterTypeFactory(site=site, slot_duration_minutes=20)
    published = ExceptionalOpeningFactory(site=site, date=SATURDAY, places=60, counter_types=[filing])
    publish_opening(opening=published, confirmed=True)
    twin = ExceptionalOpeningFactory(site=site, date=SATURDAY, published_at=None, places=60, counter_types=[filing])
    return published, twin


def places_at(opening, hour, minute):
    start = dt.datetime.combine(SATURDAY, dt.time(hour, minute), tzinfo=timezone.get_current_timezone())
    return sum(Slot.objects.filter(opening__site=opening.site, starts_at=start).values_list("capacity", flat=True))


def test_publishing_an_opening_identical_to_a_published_one_is_refused_unless_confirmed():
    published, twin = _twin_openings()
    with pytest.raises(OpeningOverlaps) as refusal:
        publish_opening(opening=twin)
    assert str(published) in str(refusal.value.message)
    twin.refresh_from_db()
    assert twin.published_at is None and not twin.slots.exists()
    assert places_at(published, 8, 30) == 5

    publish_opening(opening=twin, confirmed=True)
    assert places_at(published, 8, 30) == 10  # a person chose to double the places


def test_openings_at_other_hours_or_for_other_procedures_publish_without_confirmation():
    published, twin = _twin_openings()
    afternoon = ExceptionalOpeningFactory(
        site=published.site,
        date=SATURDAY,
        start_time=dt.time(13, 0),
        end_time=dt.time(16, 0),
        published_at=None,
        counter_types=list(published.counter_types.all()),
    )
    other_procedure = ExceptionalOpeningFactory(
        site=published.site, date=SATURDAY, published_at=None, counter_types=[CounterTypeFactory(site=published.site)]
    )
    assert publish_opening(opening=afternoon) > 0
    assert publish_opening(opening=other_procedure) > 0
