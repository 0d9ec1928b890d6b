"""The one filter of staff reads: a user's sites, a closure through its counter, nothing for the unassigned."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser

from booking.models import Booking
from counters.models import Closure, Slot
from counters.staff_sites.selectors import filter_for_staff, list_sites_for, sees_all_sites
from tests.conftest import assign_sites
from tests.factories import CounterFactory

pytestmark = pytest.mark.django_db


def test_a_user_sees_the_sites_assigned_and_nothing_once_deactivated(agent, montpellier, nanterre):
    assert list(list_sites_for(agent)) == []
    assign_sites(agent, [montpellier.site])
    assert list(list_sites_for(agent)) == [montpellier.site]
    assert list(filter_for_staff(Slot.objects.all(), agent)) == [montpellier.slot]
    agent.is_active = False
    assert list(list_sites_for(agent)) == [] and not filter_for_staff(Slot.objects.all(), agent).exists()
    assert list(list_sites_for(AnonymousUser())) == []


def test_a_closure_belongs_to_its_site_directly_or_through_its_counter(agent, montpellier, nanterre):
    assign_sites(agent, [montpellier.site])
    day = dt.date(2030, 1, 2)
    whole_site = Closure.objects.create(site=montpellier.site, start_date=day, end_date=day, reason="Grève")
    one_counter = Closure.objects.create(
        counter=CounterFactory(site=montpellier.site), start_date=day, end_date=day, reason="Panne"
    )
    Closure.objects.create(site=nanterre.site, start_date=day, end_date=day, reason="Ailleurs")
    assert set(filter_for_staff(Closure.objects.all(), agent)) == {whole_site, one_counter}


def test_a_model_outside_counters_says_how_it_reaches_its_site(agent, montpellier):
    assign_sites(agent, [montpellier.site])
    with pytest.raises(ValueError):
        filter_for_staff(Booking.objects.all(), agent)
    assert list(filter_for_staff(Booking.objects.all(), agent, via="counter_type__site")) == [montpellier.booking]


def test_a_national_administrator_sees_every_site_without_any_assigned(
    national_admin, admin_user, montpellier, nanterre
):
    for user in (national_admin, admin_user):
        assert sees_all_sites(user)
        assert set(list_sites_for(user)) == {montpellier.site, nanterre.site}
