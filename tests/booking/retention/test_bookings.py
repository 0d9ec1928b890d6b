"""The retention job anonymises bookings past their period, with their history and e-mails, and the figures stay."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from booking.models import Booking, Channel, OutboundEmail
from booking.retention import batches as retention_batches
from booking.retention import bookings as retention_bookings
from booking.retention import purge_personal_data
from booking.retention.bookings import ANONYMOUS_BIRTH_DATE, anonymise_bookings
from booking.services import (
    book_appointment,
    book_for_caller,
    cancel_booking,
    check_in_booking,
    expire_holds,
    mark_booking_done,
    mark_no_shows_for_day,
    release_usurped_booking,
)
from booking.statistics import get_statistics
from booking.transparency.selectors import get_site_transparency
from tests.conftest import log_in
from tests.factories import CounterTypeFactory, SiteFactory, SlotFactory, at, book_confirmed, person

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)


def booked(slot, n: int = 0, **overrides) -> Booking:
    return book_confirmed(counter_type=slot.counter_type, starts_at=slot.starts_at, person=person(n, **overrides))


def identity(booking: Booking) -> tuple:
    return (
        booking.last_name,
        booking.first_names,
        booking.birth_date,
        str(booking.nationality),
        booking.foreigner_number,
        booking.passport_number,
        booking.foreigner_key,
        booking.passport_key,
        booking.email,
        booking.phone,
        booking.permit_expires_on,
    )


ANONYMOUS = ("", "", ANONYMOUS_BIRTH_DATE, "", "", "", None, None, "", "", None)


@pytest.fixture
def slot():
    return SlotFactory(starts_at=at(timezone.localdate() + 3 * DAY, 9), capacity=5)


def test_a_booking_is_anonymised_once_its_period_after_the_appointment_has_passed(slot, settings):
    settings.RETENTION_BOOKING_DAYS = 90
    booking = booked(slot, 1, phone="06 12 34 56 78", passport_number="AB123456")
    assert booking.history.count() >= 2 and booking.emails.exclude(recipient="").exists()

    assert purge_personal_data(now=slot.starts_at + 89 * DAY)["bookings"] == 0
    booking.refresh_from_db()
    assert booking.last_name == "Diallo" and booking.anonymised_at is None

    when = slot.starts_at + 91 * DAY
    assert purge_personal_data(now=when)["bookings"] == 1
    booking.refresh_from_db()
    assert identity(booking) == ANONYMOUS
    assert booking.anonymised_at == when and booking.verification_token is None
    # What the figures read stays.
    assert (booking.status, booking.slot_id, booking.counter_type_id, booking.channel) == (
        Booking.Status.CONFIRMED,
        slot.pk,
        slot.counter_type_id,
        Channel.ONLINE,
    )
    for row in booking.history.all():
        assert identity(row) == ANONYMOUS and row.anonymised_at == when and row.history_change_reason is None
    assert not booking.emails.exclude(recipient="").exists()
    assert not booking.emails.filter(status__in=[OutboundEmail.Status.QUEUED, OutboundEmail.Status.SENDING]).exists()


def test_the_job_is_idempotent_a_second_run_changes_nothing(slot):
    booked(slot, 1)
    booked(slot, 2)
    when = slot.starts_at + 91 * DAY
    assert purge_personal_data(now=when)["bookings"] == 2
    assert set(purge_personal_data(now=when).values()) == {0}
    assert set(purge_personal_data(now=when + DAY).values()) == {0}


def test_a_cancelled_booking_is_anonymised_after_its_cancellation_even_for_an_appointment_far_ahead(settings):
    settings.RETENTION_BOOKING_DAYS = 10
    far = SlotFactory(starts_at=at(timezone.localdate() + 60 * DAY, 9), capacity=2)
    cancelled = cancel_booking(booking_id=booked(far, 1).pk)
    kept = booked(far, 2)
    assert purge_personal_data(now=cancelled.cancelled_at + 11 * DAY)["bookings"] == 1
    cancelled.refresh_from_db()
    kept.refresh_from_db()
    assert cancelled.anonymised_at is not None and cancelled.last_name == ""
    assert kept.anonymised_at is None and kept.last_name == "Diallo"


def test_an_expired_hold_is_anonymised_after_its_expiry_and_a_pending_hold_never(slot, settings):
    settings.RETENTION_BOOKING_DAYS = 5
    now = timezone.now()
    expired = book_appointment(counter_type=slot.counter_type, starts_at=slot.starts_at, person=person(1), now=now)
    assert expire_holds(now=expired.hold_expires_at + dt.timedelta(minutes=1)) == 1
    held = book_appointment(counter_type=slot.counter_type, starts_at=slot.starts_at, person=person(2), now=now)
    Booking.objects.filter(pk=held.pk).update(hold_expires_at=now + 400 * DAY)  # a hold still waiting, whatever
    purge_personal_data(now=expired.hold_expires_at + 6 * DAY)
    expired.refresh_from_db()
    held.refresh_from_db()
    assert expired.anonymised_at is not None
    assert held.anonymised_at is None and held.status == Booking.Status.HELD
    purge_personal_data(now=slot.starts_at + 6 * DAY)  # even once its appointment is long past
    held.refresh_from_db()
    assert held.anonymised_at is None


def test_the_job_works_in_batches(slot, monkeypatch):
    monkeypatch.setattr(retention_batches, "BATCH_SIZE", 2)
    sizes = []

    def anonymise(pks, *, now):
        sizes.append(len(pks))
        return anonymise_bookings(pks, now=now)

    monkeypatch.setattr(retention_bookings, "anonymise_bookings", anonymise)
    for n in range(5):
        booked(slot, n)
    assert purge_personal_data(now=slot.starts_at + 91 * DAY)["bookings"] == 5
    assert sizes == [2, 2, 1]
    assert not Booking.objects.filter(anonymised_at__isnull=True).exists()


def test_a_dry_run_counts_and_changes_nothing(slot):
    booking = booked(slot, 1)
    when = slot.starts_at + 91 * DAY
    assert purge_personal_data(now=when, dry_run=True)["bookings"] == 1
    booking.refresh_from_db()
    assert booking.anonymised_at is None and booking.last_name == "Diallo"
    assert booking.emails.exclude(recipient="").exists()


@pytest.fixture
def day_of_bookings(agent):
    """Today at one site, every outcome: came, absent, cancelled, released, expired hold, by phone."""
    site = SiteFactory()
    filing = CounterTypeFactory(site=site, name="Dépôt")
    cards = CounterTypeFactory(site=site, name="Remise")
    today = timezone.localdate()
    filing_slot = SlotFactory(counter_type=filing, starts_at=at(today, 0, 5), capacity=6, reserved_capacity=1)
    cards_slot = SlotFactory(counter_type=cards, starts_at=at(today, 0, 10), capacity=3)
    SlotFactory(counter_type=filing, starts_at=at(today + DAY, 9), capacity=5)
    came, absent = booked(filing_slot, 1), booked(filing_slot, 2)
    Booking.objects.filter(pk=booked(filing_slot, 3).pk).update(
        status=Booking.Status.CANCELLED, cancelled_at=timezone.now()
    )
    release_usurped_booking(booking=booked(filing_slot, 5), agent=agent, reason="Usurpation : papiers de M. X")
    now = timezone.now()
    hold = book_appointment(counter_type=filing, starts_at=filing_slot.starts_at, person=person(6), now=now)
    expire_holds(now=hold.hold_expires_at + dt.timedelta(minutes=1))
    by_phone = book_for_caller(
        counter_type=cards, starts_at=cards_slot.starts_at, person=person(4), channel=Channel.PHONE, agent=agent
    )
    check_in_booking(booking=came, agent=agent)
    mark_booking_done(booking=came, agent=agent)
    check_in_booking(booking=by_phone, agent=agent)
    mark_no_shows_for_day(day=today)
    return {"site": site, "today": today, "absent": absent}


def figures(statistics) -> list[tuple]:
    return [(f.day, f.counter_type, f.offered, f.booked, f.checked_in, f.no_shows, f.cancelled) for f in statistics]


def test_the_statistics_and_transparency_figures_are_the_same_after_anonymisation(client, head, day_of_bookings):
    site, today = day_of_bookings["site"], day_of_bookings["today"]
    period = {"site": site.pk, "start": today.isoformat(), "end": (today + DAY).isoformat()}
    log_in(client, head)

    def snapshot():
        statistics = get_statistics(site=site, start=today, end=today + DAY)
        page = client.get(reverse("staff:statistics"), period)
        assert page.status_code == 200
        transparency = get_site_transparency(site=site, now=timezone.now())
        export = client.get(reverse("staff:export"), period)
        rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig")), delimiter=";"))
        return {
            "statistics": (figures(statistics.rows), figures(statistics.days), figures([statistics.total])),
            "page": figures(page.context["statistics"].rows),
            "transparency": [
                (row.counter_type.pk, row.released, row.booked, row.cancelled, row.no_shows)
                for row in transparency.rows
            ],
            # Reference, date, time, procedure, status, channel: all but who.
            "export": sorted((row[0], row[1], row[2], row[8], row[9]) for row in rows[1:]),
        }

    before = snapshot()
    assert before["statistics"][2][0][2:] == (15, 3, 2, 1, 2)  # the fixture has what it says
    counts = purge_personal_data(now=timezone.now() + 91 * DAY)
    assert counts["bookings"] == Booking.objects.count() == 6
    assert not Booking.objects.exclude(last_name="").exists()
    log_in(client, head)  # the job deleted the session, expired at that date
    assert before == snapshot()
    assert not Booking.history.model.objects.exclude(last_name="").exists()
    assert not Booking.history.model.objects.filter(history_change_reason__contains="papiers").exists()
