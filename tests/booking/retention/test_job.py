"""The retention job: its registry, its other purges (requests, sessions, certificates), its task and command."""

import datetime as dt
from io import StringIO

import pytest
from django.conf import settings as django_settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.utils import timezone

from booking.attestations.services import issue_certificate
from booking.eligibility import Answers
from booking.lottery.drawing import draw_lottery
from booking.lottery.models import Registration
from booking.models import Booking, OutboundEmail
from booking.retention import PurgeFailed, purge_personal_data, register_purge, registered_purges
from booking.retention import registry as retention_registry
from booking.tasks import purge_personal_data_task
from booking.waitlist.models import WaitlistEntry
from booking.waitlist.services import Days, join_waiting_list, leave_waiting_list
from tests.factories import CounterTypeFactory, SlotFactory, at, person
from tests.fairness import draw_time, lottery_opening, registered, waiting

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)


@pytest.fixture
def extra_purge(monkeypatch):
    """Register purges for one test only."""
    monkeypatch.setattr(retention_registry, "_purges", dict(retention_registry._purges))
    return register_purge


def test_every_kind_of_personal_data_has_a_registered_purge():
    names = [purge.name for purge in registered_purges()]
    assert {
        "bookings",
        "emails",
        "sessions",
        "lottery_unproved",
        "lottery_registrations",
        "waitlist_unproved",
        "waitlist_passed",
        "waitlist_entries",
        "certificate_names",
        "questions",
    } <= set(names)
    assert names[-1] == "emails"  # after the purges that anonymise what e-mails are about
    for purge in registered_purges():
        assert not purge.setting or isinstance(getattr(django_settings, purge.setting), int)


def test_another_app_registers_its_purge_in_one_line_and_the_job_runs_it(extra_purge):
    seen = []
    extra_purge("another", lambda *, now: seen.append(now) or 3, setting="RETENTION_BOOKING_DAYS")
    now = timezone.now()
    assert purge_personal_data(now=now)["another"] == 3
    assert seen == [now]


def test_a_failing_purge_does_not_stop_the_others_and_the_job_fails(extra_purge):
    def broken(*, now):
        raise RuntimeError("disk on fire")

    extra_purge("aaa_broken", broken)
    ran = []
    extra_purge("zzz_after", lambda *, now: ran.append(1) or 0)
    with pytest.raises(PurgeFailed, match="aaa_broken"):
        purge_personal_data()
    assert ran == [1]


def test_expired_sessions_are_deleted_with_the_booking_drafts_they_hold():
    now = timezone.now()
    abandoned = SessionStore()
    abandoned["booking_draft"] = {"person": {"last_name": "Diallo"}}
    abandoned.create()
    live = SessionStore()
    live["booking_draft"] = {"person": {"last_name": "Traoré"}}
    live.create()
    Session.objects.filter(pk=abandoned.session_key).update(expire_date=now - dt.timedelta(minutes=1))
    assert purge_personal_data(now=now)["sessions"] == 1
    assert list(Session.objects.values_list("pk", flat=True)) == [live.session_key]
    assert purge_personal_data(now=now)["sessions"] == 0


def test_lottery_registrations_are_anonymised_after_the_opening_day_with_their_emails(settings):
    settings.RETENTION_LOTTERY_DAYS = 30
    opening = lottery_opening(places=1)
    first, second = registered(opening, 1), registered(opening, 2)
    draw_lottery(lottery_id=opening.lottery.pk, now=draw_time(opening))
    assert OutboundEmail.objects.filter(registration__in=[first, second]).exclude(recipient="").exists()
    site_midnight = dt.datetime.combine(opening.date, dt.time(), tzinfo=opening.site.zone)

    purge_personal_data(now=site_midnight + 30 * DAY)  # the 30th day after: kept still
    assert not Registration.objects.filter(anonymised_at__isnull=False).exists()
    counts = purge_personal_data(now=site_midnight + 31 * DAY)
    assert counts["lottery_registrations"] == 2
    for registration in Registration.objects.all():
        assert (registration.last_name, registration.email, registration.birth_date) == ("", "", None)
    assert not OutboundEmail.objects.filter(registration__isnull=False).exclude(recipient="").exists()
    assert set(purge_personal_data(now=site_midnight + 31 * DAY).values()) == {0}


def test_waiting_list_entries_are_anonymised_after_they_ended_and_unproved_ones_deleted(settings):
    settings.RETENTION_WAITLIST_DAYS = 30
    counter_type = CounterTypeFactory()
    now = timezone.now()
    left = leave_waiting_list(token=waiting(counter_type, 1, now=now).token)
    staying = waiting(counter_type, 2, now=now, days=Days(last=timezone.localdate() + DAY))
    unproved = join_waiting_list(counter_type=counter_type, person=person(3), answers=Answers(), days=Days(), now=now)
    assert purge_personal_data(now=left.ended_at + 29 * DAY)["waitlist_entries"] == 0
    assert purge_personal_data(now=left.ended_at + 31 * DAY)["waitlist_entries"] == 1
    left.refresh_from_db()
    staying.refresh_from_db()
    assert left.last_name == "" and left.anonymised_at is not None
    assert not left.emails.exclude(recipient="").exists()
    # Still waiting, but its last day has long passed (the job ends it first, then counts its period).
    assert staying.status == WaitlistEntry.Status.ENDED and staying.last_name == "Diallo"
    assert not WaitlistEntry.objects.filter(pk=unproved.entry.pk).exists()


def test_the_names_on_attempt_certificates_are_blanked_after_their_period(settings):
    settings.RETENTION_CERTIFICATE_DAYS = 365
    counter_type = CounterTypeFactory()
    now = timezone.now()
    certificate = issue_certificate(counter_type=counter_type, now=now, last_name="Diallo", first_names="Aminata")
    assert purge_personal_data(now=now + 364 * DAY)["certificate_names"] == 0
    assert purge_personal_data(now=now + 366 * DAY)["certificate_names"] == 1
    certificate.refresh_from_db()
    assert certificate.name_erased


def test_the_command_reports_each_purge_with_its_period_and_a_dry_run_changes_nothing():
    slot = SlotFactory(starts_at=at(timezone.localdate() - 200 * DAY, 9))
    booking = Booking.objects.create(
        reference="ABCD1234",
        token="t" * 40,
        slot=slot,
        counter_type=slot.counter_type,
        foreigner_key="k" * 64,
        **{k: v for k, v in vars(person(1)).items() if k not in {"foreigner_number"}},
    )
    out = StringIO()
    call_command("purge_personal_data", "--dry-run", stdout=out)
    assert "bookings (RETENTION_BOOKING_DAYS = 90 days): 1" in out.getvalue()
    assert "Dry run" in out.getvalue()
    booking.refresh_from_db()
    assert booking.anonymised_at is None
    call_command("purge_personal_data", stdout=StringIO())
    booking.refresh_from_db()
    assert booking.anonymised_at is not None


def test_the_task_runs_the_job_daily_from_beat():
    schedule = django_settings.CELERY_BEAT_SCHEDULE["purge-personal-data"]
    assert schedule["task"] == purge_personal_data_task.name
    assert schedule["schedule"].hour == {3}
    counts = purge_personal_data_task.delay().get()
    assert counts["bookings"] == 0
