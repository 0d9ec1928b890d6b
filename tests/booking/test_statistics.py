import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from booking.models import Booking, Channel
from booking.services import book_for_caller, check_in_booking, mark_booking_done, mark_no_shows_for_day
from booking.statistics import get_statistics
from tests.conftest import log_in
from tests.factories import CounterTypeFactory, SiteFactory, SlotFactory, at, book_confirmed, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def day_of_bookings(agent):
    """Today at one site: two procedures, 7 places offered; 4 booked, of which 1 cancelled, 2 came, 1 absent."""
    site = SiteFactory()
    filing = CounterTypeFactory(site=site, name="Dépôt")
    cards = CounterTypeFactory(site=site, name="Remise")
    today = timezone.localdate()
    filing_slot = SlotFactory(counter_type=filing, starts_at=at(today, 0, 5), capacity=3, reserved_capacity=1)
    cards_slot = SlotFactory(counter_type=cards, starts_at=at(today, 0, 10), capacity=3)
    SlotFactory(counter_type=filing, starts_at=at(today + dt.timedelta(days=1), 9), capacity=5)

    def book(slot, n):
        return book_confirmed(counter_type=slot.counter_type, starts_at=slot.starts_at, person=person(n))

    came = book(filing_slot, 1)
    absent = book(filing_slot, 2)
    cancelled = book(filing_slot, 3)
    by_phone = book_for_caller(
        counter_type=cards,
        starts_at=cards_slot.starts_at,
        person=person(4),
        channel=Channel.PHONE,
        agent=agent,
    )
    Booking.objects.filter(pk=cancelled.pk).update(status=Booking.Status.CANCELLED)
    check_in_booking(booking=came, agent=agent)
    mark_booking_done(booking=came, agent=agent)
    check_in_booking(booking=by_phone, agent=agent)
    mark_no_shows_for_day(day=today)
    return {"site": site, "today": today, "came": came, "absent": absent, "cancelled": cancelled, "phone": by_phone}


def test_figures_per_day_and_procedure_match_the_bookings(day_of_bookings):
    today = day_of_bookings["today"]
    stats = get_statistics(site=day_of_bookings["site"], start=today, end=today + dt.timedelta(days=1))
    lines = {(f.day, f.counter_type): (f.offered, f.booked, f.checked_in, f.no_shows, f.cancelled) for f in stats.rows}
    assert lines == {
        (today, "Dépôt"): (4, 2, 1, 1, 1),
        (today, "Remise"): (3, 1, 1, 0, 0),
        (today + dt.timedelta(days=1), "Dépôt"): (5, 0, 0, 0, 0),
    }
    assert (stats.total.offered, stats.total.booked, stats.total.cancelled) == (12, 3, 1)
    assert stats.days[0].fill_rate == pytest.approx(3 / 7)


def test_the_statistics_page_shows_the_days_figures_and_a_chart(client, head, day_of_bookings):
    today = day_of_bookings["today"]
    log_in(client, head)
    response = client.get(
        reverse("staff:statistics"),
        {"site": day_of_bookings["site"].pk, "start": today.isoformat(), "end": today.isoformat()},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "<svg" in page and "<rect" in page
    stats = response.context["statistics"]
    assert [(f.counter_type, f.booked, f.checked_in) for f in stats.rows] == [("Dépôt", 2, 1), ("Remise", 1, 1)]
    assert "50 %" in page and "33 %" in page and "43 %" in page  # Dépôt 2/4, Remise 1/3, total 3/7


def test_the_statistics_page_refuses_a_bad_period_with_a_400(client, head):
    SiteFactory()
    log_in(client, head)
    today = timezone.localdate()
    for query in (
        {"start": "pas-une-date"},
        {"start": today.isoformat(), "end": (today - dt.timedelta(days=1)).isoformat()},
        {"start": "2020-01-01", "end": "2026-01-01"},
    ):
        response = client.get(reverse("staff:statistics"), query)
        assert response.status_code == 400


def test_the_csv_export_lists_the_bookings_of_the_day(client, head, day_of_bookings):
    today = day_of_bookings["today"]
    log_in(client, head)
    response = client.get(
        reverse("staff:export"),
        {"site": day_of_bookings["site"].pk, "start": today.isoformat(), "end": today.isoformat()},
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body), delimiter=";"))
    assert rows[0][:3] == ["Référence", "Date", "Heure"]
    by_reference = {row[0]: row for row in rows[1:]}
    expected = {
        day_of_bookings[name].display_reference: status
        for name, status in [("came", "Reçu"), ("absent", "Absent"), ("cancelled", "Annulé"), ("phone", "Présent")]
    }
    assert {reference: row[8] for reference, row in by_reference.items()} == expected
    phone = by_reference[day_of_bookings["phone"].display_reference]
    assert (phone[9], phone[12]) == ("Téléphone", "agent")


def test_the_csv_neutralises_names_that_would_run_as_formulas(client, head):
    slot = SlotFactory(starts_at=at(timezone.localdate(), 9))
    book_confirmed(counter_type=slot.counter_type, starts_at=slot.starts_at, person=person(last_name="=HYPERLINK()"))
    log_in(client, head)
    today = timezone.localdate().isoformat()
    response = client.get(reverse("staff:export"), {"site": slot.counter_type.site_id, "start": today, "end": today})
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "'=HYPERLINK()" in body


def test_an_export_with_a_bad_date_gets_a_400(client, head):
    SiteFactory()
    log_in(client, head)
    response = client.get(reverse("staff:export"), {"start": "31/02/2026", "end": "x"})
    assert response.status_code == 400
    assert "Saisissez une date valide" in response.content.decode()
