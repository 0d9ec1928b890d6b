import datetime as dt

import pytest
from django.utils import timezone

from tests.factories import SlotFactory, book_confirmed, person


@pytest.fixture
def slot(db):
    """A slot three days ahead with two places, so that a move has somewhere to go."""
    starts_at = timezone.now().replace(second=0, microsecond=0) + dt.timedelta(days=3)
    return SlotFactory(starts_at=starts_at, capacity=2)


@pytest.fixture
def other_slot(slot):
    return SlotFactory(
        counter_type=slot.counter_type,
        counter=slot.counter,
        starts_at=slot.starts_at + dt.timedelta(days=1),
        capacity=1,
    )


@pytest.fixture
def book(django_capture_on_commit_callbacks):
    """Book like the public flow does and confirm from the e-mail, running the after-commit dispatch (eager:
    the confirmation goes at once; the code e-mail, overtaken by the confirmation, is skipped)."""

    def _book(slot, n: int = 0, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return book_confirmed(counter_type=slot.counter_type, starts_at=slot.starts_at, person=person(n), **kwargs)

    return _book
