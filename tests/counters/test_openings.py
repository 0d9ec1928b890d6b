import datetime as dt

import pytest
from django.utils import timezone

from counters.exceptions import OpeningNotReady
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
