"""The draw: reproducible from its published seed, blind to when people registered, and priority rules first."""

import datetime as dt
import hashlib
import hmac
import io
import itertools
import random
from dataclasses import dataclass

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from booking.eligibility import Answers
from booking.lottery import draw
from booking.lottery.drawing import draw_due_lotteries, draw_lottery, recorded_order, reproduce_draw
from booking.lottery.models import Lottery, Registration
from counters.models import CounterType, ExceptionalOpening
from tests.factories import CounterTypeFactory
from tests.fairness import draw_time, lottery_opening, registered

pytestmark = pytest.mark.django_db


@dataclass
class Row:
    registration_hash: str
    priority: int = 0


def hashes(count: int) -> list[str]:
    return [hashlib.sha256(f"someone-{n}".encode()).hexdigest() for n in range(count)]


def test_the_order_follows_the_published_algorithm_exactly():
    seed = "ab" * 32
    rows = [Row(value) for value in hashes(30)]
    # As an auditor would write it from the page, with nothing of ours.
    expected = sorted(rows, key=lambda r: hmac.new(seed.encode(), r.registration_hash.encode(), "sha256").hexdigest())
    assert draw.draw_order(seed, rows) == expected
    assert draw.commitment(seed) == hashlib.sha256(seed.encode()).hexdigest()


def test_the_order_does_not_depend_on_the_order_registrations_come_in():
    seed = draw.new_seed()
    rows = [Row(value, priority=n % 2) for n, value in enumerate(hashes(8))]
    orders = {
        tuple(r.registration_hash for r in draw.draw_order(seed, list(perm)))
        for perm in itertools.islice(itertools.permutations(rows), 0, 5000, 97)
    }
    assert len(orders) == 1


def test_another_seed_gives_another_order():
    rows = [Row(value) for value in hashes(20)]
    first = draw.draw_order("00" * 32, rows)
    assert draw.draw_order("00" * 32, rows) == first
    assert draw.draw_order("01" * 32, rows) != first


def test_the_recorded_draw_is_reproduced_from_its_seed_and_a_tampered_one_is_not():
    opening = lottery_opening(places=2)
    for n in range(6):
        registered(opening, n)
    draw_lottery(lottery_id=opening.lottery.pk, now=draw_time(opening))
    lottery = Lottery.objects.get(pk=opening.lottery.pk)
    assert len(recorded_order(lottery)) == 6
    assert reproduce_draw(lottery) == recorded_order(lottery)

    lottery.seed = draw.new_seed()  # another seed than the one drawn with
    assert reproduce_draw(lottery) != recorded_order(lottery)


def test_the_command_reproduces_a_draw_and_checks_its_commitment():
    opening = lottery_opening(places=1)
    for n in range(4):
        registered(opening, n)
    draw_lottery(lottery_id=opening.lottery.pk, now=draw_time(opening))
    out = io.StringIO()
    call_command("reproduce_draw", str(opening.pk), stdout=out)
    assert "identique" in out.getvalue() and "4" in out.getvalue()

    # A rank changed in the database (two registrations swapped) is caught.
    first, second = Registration.objects.filter(lottery__opening=opening).order_by("rank")[:2]
    Registration.objects.filter(pk=first.pk).update(rank=None)
    Registration.objects.filter(pk=second.pk).update(rank=1)
    Registration.objects.filter(pk=first.pk).update(rank=2)
    with pytest.raises(CommandError, match="differs from the recorded ranks"):
        call_command("reproduce_draw", str(opening.pk), stdout=io.StringIO())


def test_registering_early_or_late_gives_no_advantage():
    """The same people, registered in the opposite order and at other times: the same ranks."""
    opening = lottery_opening(places=1)
    now = timezone.now()
    people = list(range(7))
    for n in people:
        registered(opening, n, now=now - dt.timedelta(minutes=50 - n))
    draw_lottery(lottery_id=opening.lottery.pk, now=draw_time(opening))
    first_ranks = dict(Registration.objects.filter(lottery__opening=opening).values_list("registration_hash", "rank"))

    # Again from scratch: reverse order, other moments, the same seed.
    lottery = Lottery.objects.get(opening=opening)
    lottery.registrations.all().delete()
    Lottery.objects.filter(pk=lottery.pk).update(drawn_at=None)
    shuffled = list(reversed(people))
    random.Random(4).shuffle(shuffled)
    for minutes, n in enumerate(shuffled):
        registered(opening, n, now=now - dt.timedelta(minutes=minutes))
    draw_lottery(lottery_id=lottery.pk, now=draw_time(opening))
    second_ranks = dict(Registration.objects.filter(lottery__opening=opening).values_list("registration_hash", "rank"))

    assert second_ranks == first_ranks


def test_expired_permits_come_first_under_that_rule():
    urgent = CounterTypeFactory(name="Titres expirés", eligibility=CounterType.Eligibility.EXPIRED_PERMIT)
    filing = CounterTypeFactory(site=urgent.site, name="Dépôt")
    opening = lottery_opening(
        places=2, counter_types=[urgent, filing], priority=ExceptionalOpening.Priority.EXPIRED_PERMIT_FIRST
    )
    expired = Answers(permit_expires_on=opening.date - dt.timedelta(days=40))
    for n in range(6):
        registered(opening, n, counter_type=filing)
    for n in range(6, 9):
        registered(opening, n, counter_type=urgent, answers=expired)
    draw_lottery(lottery_id=opening.lottery.pk, now=draw_time(opening))

    ranked = list(Registration.objects.filter(lottery__opening=opening).order_by("rank"))
    assert [r.counter_type_id for r in ranked[:3]] == [urgent.pk] * 3
    assert [r.priority for r in ranked] == [0, 0, 0, 1, 1, 1, 1, 1, 1]
    assert reproduce_draw(Lottery.objects.get(opening=opening)) == [r.registration_hash for r in ranked]


def test_the_draw_waits_for_the_window_to_close_and_happens_once():
    opening = lottery_opening(places=1)
    registered(opening, 1)
    assert draw_due_lotteries(now=opening.registration_closes_at - dt.timedelta(seconds=1)) == 0
    assert not Lottery.objects.get(opening=opening).is_drawn
    assert draw_due_lotteries(now=draw_time(opening)) == 1
    assert draw_due_lotteries(now=draw_time(opening) + dt.timedelta(minutes=1)) == 0
    lottery = Lottery.objects.get(opening=opening)
    assert lottery.drawn_at == draw_time(opening)
    assert draw.commitment(lottery.seed) == lottery.seed_commitment
