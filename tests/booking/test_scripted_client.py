"""A single scripted client, invented identities, one IP, solving the proof of work with altcha's own solver:
it gets no more than a handful of holds an hour. And the limits per identity and per address."""

import datetime as dt

import pytest
from django.urls import reverse

from booking.antibot.pow import difficulty
from booking.models import Booking
from tests.antibot import solve
from tests.booking.test_flow_views import IDENTITY, to_review
from tests.clock import freeze
from tests.factories import SlotFactory, at, next_weekday

pytestmark = pytest.mark.django_db

NOW = at(dt.date(2026, 11, 10), 9, 5)  # a Tuesday; the hour's window ends at 10:00


def invented(n: int) -> dict:
    email = f"bot{n}@catch-all.example"
    return {**IDENTITY, "foreigner_number": f"{7600000000 + n}", "email": email, "email_confirmation": email}


def scripted_hold(client, slot, n: int) -> tuple[int, dict]:
    """One pass of the script: the steps, a challenge fetched and solved, the review posted."""
    to_review(client, slot, invented(n))
    challenge = client.get(reverse("booking:antibot-challenge", args=["hold"])).json()
    response = client.post(reverse("booking:review"), {"certify": "on", "altcha": solve(challenge)})
    return response.status_code, challenge


def test_a_script_from_one_address_gets_a_handful_of_holds_an_hour_at_a_doubling_cost(client, monkeypatch, settings):
    freeze(monkeypatch, NOW)
    slot = SlotFactory(starts_at=at(next_weekday(0, after=NOW.date()), 9), capacity=100)
    statuses, levels = [], []
    for n in range(20):
        status, challenge = scripted_hold(client, slot, n)
        statuses.append(status)
        levels.append(challenge["parameters"]["data"]["level"])
        if status == 429:
            break

    holds = Booking.objects.filter(status=Booking.Status.HELD).count()
    assert holds == statuses.count(302) == 12  # the hard limit per IP: hold:ip, 12 an hour
    assert statuses[-1] == 429
    # The first four at the base cost, then each one twice the work of the one before.
    assert levels[:13] == [0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9]
    work = [difficulty(level)[0] * 16 ** len(difficulty(level)[1]) for level in levels[:12]]
    assert sum(work) == work[0] * (4 + 2 + 4 + 8 + 16 + 32 + 64 + 128 + 256)  # 514 × a phone's second

    freeze(monkeypatch, NOW + dt.timedelta(hours=1))  # a new hour: the hard limit is lifted…
    status, challenge = scripted_hold(client, slot, 50)
    assert status == 302 and challenge["parameters"]["data"]["level"] == 0  # …and the cost is back to its base


def test_a_proof_fetched_before_the_cost_rose_is_refused(client, monkeypatch, settings):
    freeze(monkeypatch, NOW)
    settings.POW_FREE_HOLDS_PER_IP = 1
    slot = SlotFactory(starts_at=at(next_weekday(0, after=NOW.date()), 9), capacity=10)
    early = client.get(reverse("booking:antibot-challenge", args=["hold"])).json()
    assert scripted_hold(client, slot, 1)[0] == 302
    to_review(client, slot, invented(2))
    response = client.post(reverse("booking:review"), {"certify": "on", "altcha": solve(early)})
    assert response.status_code == 400 and "vérification anti-robot" in response.content.decode()


def test_the_same_identity_is_held_at_most_three_times_an_hour_whatever_the_address(client, monkeypatch):
    freeze(monkeypatch, NOW)
    slot = SlotFactory(starts_at=at(next_weekday(0, after=NOW.date()), 9), capacity=10)
    statuses = []
    for n in range(4):
        email = f"someone{n}@example.org"
        to_review(client, slot, {**IDENTITY, "email": email, "email_confirmation": email})
        statuses.append(scripted_hold_same(client))
    # The second to fourth find a booking already there (the neutral answer), the fourth is over the limit.
    assert statuses == [302, 302, 302, 429]


def test_one_address_is_used_for_at_most_three_holds_an_hour(client, monkeypatch):
    freeze(monkeypatch, NOW)
    slot = SlotFactory(starts_at=at(next_weekday(0, after=NOW.date()), 9), capacity=10)
    statuses = []
    for n in range(4):
        to_review(
            client, slot, {**invented(n), "email": "shared@example.org", "email_confirmation": "shared@example.org"}
        )
        statuses.append(scripted_hold_same(client))
    assert statuses == [302, 302, 302, 429]
    assert Booking.objects.count() == 3


def scripted_hold_same(client) -> int:
    challenge = client.get(reverse("booking:antibot-challenge", args=["hold"])).json()
    return client.post(reverse("booking:review"), {"certify": "on", "altcha": solve(challenge)}).status_code
