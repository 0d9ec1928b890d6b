import datetime as dt

import pytest
from django.core.management import call_command
from django.db.models import F, Sum
from django.utils import timezone

from counters.models import CounterType, ExceptionalOpening, Site, Slot
from tests.factories import next_weekday

pytestmark = pytest.mark.django_db


def daily_capacity(site_slug, code, day):
    start = dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())
    return (
        Slot.objects.filter(
            counter_type__site__slug=site_slug,
            counter_type__code=code,
            opening__isnull=True,
            starts_at__gte=start,
            starts_at__lt=start + dt.timedelta(days=1),
        ).aggregate(total=Sum(F("capacity") + F("reserved_capacity")))["total"]
        or 0
    )


def test_seed_demo_is_idempotent_and_gives_the_prefectures_figures(django_user_model):
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    counts = (Site.objects.count(), CounterType.objects.count(), Slot.objects.count())
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    assert (Site.objects.count(), CounterType.objects.count(), Slot.objects.count()) == counts

    # A week that is not cut short by a public holiday.
    import holidays

    monday = next(
        m
        for m in (next_weekday(0, weeks=w) for w in range(1, 8))
        if not any(m + dt.timedelta(days=d) in holidays.France(years=m.year) for d in range(5))
    )
    thursday = monday + dt.timedelta(days=3)
    # Nanterre: the bureau du séjour closed on Thursdays, card delivery open.
    assert daily_capacity("hauts-de-seine", "depot-renouvellement", thursday) == 0
    assert daily_capacity("hauts-de-seine", "depot-renouvellement", monday) > 0
    assert daily_capacity("hauts-de-seine", "remise-titre", thursday) == 198
    week = sum(daily_capacity("hauts-de-seine", "echange-permis", monday + dt.timedelta(days=d)) for d in range(5))
    assert week == 225
    students = sum(
        daily_capacity("hauts-de-seine", "etudiants-salaries", monday + dt.timedelta(days=d)) for d in range(5)
    )
    assert students == 100
    montpellier = sum(
        daily_capacity("herault", code, monday)
        for code in CounterType.objects.filter(site__slug="herault").values_list("code", flat=True)
    )
    assert montpellier == 800

    opening = ExceptionalOpening.objects.get(site__slug="herault")
    assert opening.date.weekday() == 5 and opening.is_published
    assert opening.slots.aggregate(total=Sum("capacity"))["total"] == 200
    assert django_user_model.objects.get(username="admin").is_superuser
