import datetime as dt

import pytest
from django.utils import timezone

from counters.selectors import list_available_days, list_available_times, list_staff_times
from tests.factories import CounterTypeFactory, SlotFactory, at

pytestmark = pytest.mark.django_db


def test_the_public_never_sees_reserved_places_while_agents_do():
    counter_type = CounterTypeFactory()
    day = timezone.localdate() + dt.timedelta(days=2)
    SlotFactory(counter_type=counter_type, starts_at=at(day, 9), capacity=2, booked=2, reserved_capacity=1)
    SlotFactory(counter_type=counter_type, starts_at=at(day, 10), capacity=2, booked=1, reserved_capacity=3)
    public = list_available_times(counter_type, day=day)
    staff = list_staff_times(counter_type, day=day)
    assert [(t.starts_at.hour, t.places_left) for t in public] == [(10, 1)]
    assert [(t.starts_at.hour, t.places_left) for t in staff] == [(9, 1), (10, 4)]
    assert [d.places_left for d in list_available_days(counter_type)] == [1]
