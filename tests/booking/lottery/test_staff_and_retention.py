"""What the staff see of lotteries and waiting lists (their sites only, counts, no names, the seed only once
drawn), the next draw on the transparency page, and what retention forgets."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from booking.eligibility import Answers
from booking.lottery.drawing import draw_lottery, recorded_order, reproduce_draw
from booking.lottery.models import Lottery, Registration
from booking.lottery.retention import anonymise_registrations_before, forget_unproved_registrations
from booking.lottery.services import ensure_lottery, register
from booking.transparency.releases import get_next_releases
from booking.waitlist.models import WaitlistEntry
from booking.waitlist.retention import (
    anonymise_entries_ended_before,
    close_passed_entries,
    forget_unproved_entries,
)
from booking.waitlist.services import Days, join_waiting_list, leave_waiting_list
from tests.conftest import log_in
from tests.factories import CounterTypeFactory, SiteFactory, person
from tests.fairness import draw_time, lottery_opening, registered, waiting

pytestmark = pytest.mark.django_db


def test_a_head_of_bureau_sees_their_sites_lotteries_with_counts_and_the_seed_only_once_drawn(client, head):
    ours = lottery_opening(places=1, counter_types=[CounterTypeFactory(site=SiteFactory(name="Hérault"))])
    theirs = lottery_opening(counter_types=[CounterTypeFactory(site=SiteFactory(name="Nanterre"))])
    for n in range(3):
        registered(ours, n)
    log_in(client, head, sites=[ours.site])
    lottery = Lottery.objects.get(opening=ours)

    other = ensure_lottery(theirs)
    listing = client.get(reverse("admin:lottery_lottery_changelist")).content.decode()
    assert reverse("admin:lottery_lottery_change", args=[lottery.pk]) in listing
    assert reverse("admin:lottery_lottery_change", args=[other.pk]) not in listing
    assert '<td class="field-registered">3</td>' in listing
    page = client.get(reverse("admin:lottery_lottery_change", args=[lottery.pk])).content.decode()
    assert lottery.seed not in page and lottery.seed_commitment in page
    assert "Diallo" not in page
    response = client.get(reverse("admin:lottery_lottery_change", args=[other.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("admin:index")

    draw_lottery(lottery_id=lottery.pk, now=draw_time(ours))
    page = client.get(reverse("admin:lottery_lottery_change", args=[lottery.pk])).content.decode()
    assert lottery.seed in page


def test_a_head_of_bureau_sees_the_sizes_of_their_sites_waiting_lists(client, head):
    procedure = CounterTypeFactory(name="Remise de titre", site=SiteFactory(name="Hérault"))
    elsewhere = CounterTypeFactory(name="Ailleurs", site=SiteFactory(name="Nanterre"))
    for n in range(3):
        waiting(procedure, n)
    waiting(elsewhere, 9)
    log_in(client, head, sites=[procedure.site])
    listing = client.get(reverse("admin:waitlist_waitinglist_changelist")).content.decode()
    assert "Remise de titre" in listing and "Ailleurs" not in listing and "Nanterre" not in listing
    assert '<td class="field-waiting">3</td>' in listing
    assert "Diallo" not in listing


def test_the_next_draw_is_announced_on_the_transparency_page(client):
    opening = lottery_opening()
    counter_type = opening.counter_types.get()
    releases = get_next_releases(site=opening.site, counter_types=[counter_type], now=timezone.now())
    assert releases[counter_type.pk].kind == "lottery"
    assert releases[counter_type.pk].at == opening.registration_closes_at
    page = client.get(reverse("transparency:site", args=[opening.site.slug])).content.decode()
    assert "tirage au sort de l&#x27;ouverture du" in page


def test_retention_forgets_unproved_requests_and_blanks_the_rest_keeping_the_draw_checkable():
    opening = lottery_opening(places=1)
    now = timezone.now()
    for n in range(3):
        registered(opening, n)
    register(opening=opening, counter_type=opening.counter_types.get(), person=person(9), answers=Answers(), now=now)
    assert forget_unproved_registrations(now=now + dt.timedelta(minutes=31)) == 1
    draw_lottery(lottery_id=opening.lottery.pk, now=draw_time(opening))
    lottery = Lottery.objects.get(opening=opening)
    before = recorded_order(lottery)

    assert anonymise_registrations_before(day=opening.date) == 0  # not yet: the opening is to come
    assert anonymise_registrations_before(day=opening.date + dt.timedelta(days=1)) == 3
    for registration in Registration.objects.all():
        assert (registration.last_name, registration.email, registration.foreigner_key) == ("", "", None)
        assert registration.anonymised_at is not None and registration.registration_hash
    assert reproduce_draw(lottery) == recorded_order(lottery) == before


def test_waiting_list_retention():
    counter_type = CounterTypeFactory()
    now = timezone.now()
    join_waiting_list(counter_type=counter_type, person=person(1), answers=Answers(), days=Days(), now=now)
    assert forget_unproved_entries(now=now + dt.timedelta(minutes=31)) == 1

    today = timezone.localdate()
    passed = waiting(counter_type, 2, days=Days(last=today + dt.timedelta(days=1)))
    assert close_passed_entries(now=now + dt.timedelta(days=3)) == 1
    passed.refresh_from_db()
    assert passed.status == WaitlistEntry.Status.ENDED

    left = leave_waiting_list(token=waiting(counter_type, 3).token)
    assert anonymise_entries_ended_before(moment=now + dt.timedelta(days=4)) == 2
    left.refresh_from_db()
    assert left.last_name == "" and left.anonymised_at is not None


def test_a_head_of_bureau_puts_an_opening_in_lottery_mode_with_a_window_before_its_day(client, head):
    from counters.models import ExceptionalOpening
    from tests.factories import ExceptionalOpeningFactory

    procedure = CounterTypeFactory()
    opening = ExceptionalOpeningFactory(site=procedure.site, counter_types=[procedure], published_at=None)
    log_in(client, head, sites=[procedure.site])
    url = reverse("admin:counters_exceptionalopening_change", args=[opening.pk])
    form = {
        "site": procedure.site.pk,
        "date": opening.date.isoformat(),
        "start_time": "08:30",
        "end_time": "12:30",
        "counter_types": [procedure.pk],
        "places": 200,
        "announcement_title_fr": "Tirage au sort samedi",
        "mode": "lottery",
        "confirm_hours": 24,
        "priority_rule": "expired_permit_first",
        "registration_opens_at_0": (opening.date - dt.timedelta(days=3)).isoformat(),
        "registration_opens_at_1": "09:00",
        "registration_closes_at_0": opening.date.isoformat(),  # the day itself: too late
        "registration_closes_at_1": "09:00",
    }
    response = client.post(url, form)
    assert response.status_code == 200
    assert "Le tirage doit avoir lieu avant le jour de l" in response.content.decode()
    form["registration_closes_at_0"] = (opening.date - dt.timedelta(days=1)).isoformat()
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:3000]
    opening.refresh_from_db()
    assert opening.is_lottery and opening.priority_rule == ExceptionalOpening.Priority.EXPIRED_PERMIT_FIRST
