"""The public transparency pages: figures without personal data, in a fixed number of queries."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import dateformat, timezone, translation

from booking.models import Booking
from booking.transparency.models import AvailabilitySample
from booking.transparency.selectors import MIN_SAMPLES
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


def days_ago(n: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=n)


def add_activity(site, *, procedures: int, slots: int, people_from: int = 0) -> None:
    """`procedures` procedures at `site`, each with `slots` past slots, a booking in each, and a day of samples."""
    for p in range(procedures):
        counter_type = CounterTypeFactory(site=site)
        for s in range(slots):
            slot = SlotFactory(counter_type=counter_type, starts_at=at(days_ago(1 + s % 28), 9, s % 4 * 15))
            booking = book_confirmed(
                counter_type=counter_type, starts_at=slot.starts_at, person=person(people_from + p * 1000 + s)
            )
            if s % 3 == 0:
                Booking.objects.filter(pk=booking.pk).update(status=Booking.Status.NO_SHOW)
        SlotFactory(counter_type=counter_type, starts_at=at(timezone.localdate() + dt.timedelta(days=70), 9))
        ExceptionalOpeningFactory(
            site=site, published_at=timezone.now() + dt.timedelta(hours=3), counter_types=[counter_type]
        )
        start = timezone.now().replace(minute=0, second=0, microsecond=0) - dt.timedelta(days=2)
        AvailabilitySample.objects.bulk_create(
            AvailabilitySample(
                counter_type=counter_type, sampled_at=start + dt.timedelta(hours=h), first_free_day=None, wait_days=None
            )
            for h in range(MIN_SAMPLES * 2)
        )


def test_the_site_page_shows_each_procedures_figures_and_no_personal_data(client):
    site = SiteFactory(name="Préfecture de l'Hérault", slug="herault")
    counter_type = CounterTypeFactory(site=site, name="Remise d'un titre de séjour")
    CounterTypeFactory(site=site, name="Échange de permis (agents)", online_booking=False)
    slot = SlotFactory(counter_type=counter_type, starts_at=at(days_ago(2), 9), capacity=6)
    book_confirmed(counter_type=counter_type, starts_at=slot.starts_at, person=person(last_name="Benali"))

    response = client.get(reverse("transparency:site", args=["herault"]))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Remise d&#x27;un titre de séjour" in page and "Échange de permis" not in page
    assert "<caption>" in page and '<th scope="row">' in page
    assert "Pas assez de données" in page and "Non annoncée" in page
    row = page[page.index('data-procedure="' + counter_type.code) :]
    row = row[: row.index("</tr>")]
    assert [cell.split("</td>")[0].strip() for cell in row.split("<td>")[1:5]] == ["6", "1", "0", "0"]
    for personal in ("Benali", "BENALI", "aminata0@example.org", "7500000000"):
        assert personal not in page


def test_the_page_shows_the_median_wait_and_the_next_release_in_the_sites_time_zone(client):
    site = SiteFactory(slug="reunion", time_zone="Indian/Reunion")
    counter_type = CounterTypeFactory(site=site)
    start = timezone.now().replace(minute=0, second=0, microsecond=0) - dt.timedelta(days=3)
    AvailabilitySample.objects.bulk_create(
        AvailabilitySample(
            counter_type=counter_type,
            sampled_at=start + dt.timedelta(hours=h),
            wait_days=9,
            first_free_day=dt.date(2026, 1, 1),
        )
        for h in range(MIN_SAMPLES)
    )
    publication = (timezone.now() + dt.timedelta(days=2)).replace(hour=6, minute=0, second=0, microsecond=0)
    ExceptionalOpeningFactory(
        site=site,
        date=timezone.localdate() + dt.timedelta(days=9),
        published_at=publication,
        counter_types=[counter_type],
    )

    page = client.get(reverse("transparency:site", args=["reunion"])).content.decode()

    assert "9 jours" in page
    with translation.override("fr"):
        at_the_site = dateformat.format(publication.astimezone(ZoneInfo("Indian/Reunion")), "j F Y, H:i")
        in_paris = dateformat.format(publication.astimezone(ZoneInfo("Europe/Paris")), "j F Y, H:i")
    assert at_the_site in page and in_paris not in page
    assert "ouverture exceptionnelle" in page


@pytest.mark.parametrize("slug", ["nowhere", "closed"])
def test_an_unknown_or_closed_site_has_no_page(client, slug):
    SiteFactory(slug="closed", is_active=False)

    assert client.get(reverse("transparency:site", args=[slug])).status_code == 404


def test_the_index_lists_the_sites_and_every_page_links_to_it(client):
    SiteFactory(name="Préfecture des Hauts-de-Seine", slug="hauts-de-seine")

    index = client.get(reverse("transparency:index")).content.decode()
    home = client.get("/").content.decode()

    assert reverse("transparency:site", args=["hauts-de-seine"]) in index
    assert reverse("transparency:index") in home and reverse("attestations:verify") in home


def test_the_page_makes_as_many_queries_with_much_more_data(client):
    small, large = SiteFactory(slug="small"), SiteFactory(slug="large")
    add_activity(small, procedures=1, slots=1)
    add_activity(large, procedures=4, slots=12, people_from=50_000)

    def queries(slug: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("transparency:site", args=[slug])).status_code == 200
        return len(captured)

    assert queries("small") == queries("large")
