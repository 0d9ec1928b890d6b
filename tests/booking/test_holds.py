"""Holds: a public booking keeps its place until the e-mailed code or link confirms it, then only."""

import datetime as dt
import html
import io
import threading

import pytest
from django.core import mail
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from booking.exceptions import HoldExpired, SlotFull, TooManyCodeAttempts, WrongCode
from booking.models import Booking, OutboundEmail
from booking.selectors import find_booking_by_reference, list_agenda, list_bookings_for_period
from booking.services import (
    book_appointment,
    check_in_booking,
    confirm_hold,
    expire_holds,
    queue_due_reminders,
    release_withheld_places,
    resend_verification,
)
from booking.services.holds import verification_code
from booking.statistics import get_statistics
from counters.models import Slot, WithheldPlace
from tests.factories import SlotFactory, person
from tests.flow import code_in

pytestmark = pytest.mark.django_db


def hold(slot, n=0, **kwargs):
    return book_appointment(counter_type=slot.counter_type, starts_at=slot.starts_at, person=person(n), **kwargs)


def wrong_code(booking) -> str:
    return "000000" if verification_code(booking) != "000000" else "111111"


def test_the_code_in_the_email_confirms_the_hold_and_queues_the_convocation_with_it(
    slot, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        booking = hold(slot)
    [code_email] = mail.outbox
    assert code_email.subject.startswith("Code de confirmation de votre rendez-vous")
    assert code_email.attachments == [] and booking.token not in code_email.body

    with django_capture_on_commit_callbacks(execute=True):
        confirmed = confirm_hold(booking_id=booking.pk, code=code_in(code_email))

    assert confirmed.status == Booking.Status.CONFIRMED and confirmed.confirmed_at is not None
    kinds = list(OutboundEmail.objects.filter(booking=booking).order_by("pk").values_list("kind", "status"))
    assert kinds == [("verification", "sent"), ("confirmation", "sent")]
    assert len(mail.outbox[1].attachments) == 2 and booking.token in mail.outbox[1].body
    # A second confirmation (the link after the code) changes nothing and sends nothing.
    assert confirm_hold(token=booking.verification_token).pk == booking.pk
    assert OutboundEmail.objects.filter(booking=booking).count() == 2


def test_wrong_codes_are_counted_and_after_five_only_the_link_confirms(slot, settings):
    booking = hold(slot)
    remaining = []
    for _ in range(settings.HOLD_MAX_CODE_ATTEMPTS - 1):
        with pytest.raises(WrongCode) as wrong:
            confirm_hold(booking_id=booking.pk, code=wrong_code(booking))
        remaining.append(wrong.value.remaining)
    assert remaining == [4, 3, 2, 1]
    with pytest.raises(TooManyCodeAttempts):
        confirm_hold(booking_id=booking.pk, code=wrong_code(booking))
    with pytest.raises(TooManyCodeAttempts):  # even the right code, now
        confirm_hold(booking_id=booking.pk, code=verification_code(booking))
    booking.refresh_from_db()
    assert (booking.status, booking.code_attempts) == (Booking.Status.HELD, 5)
    assert confirm_hold(token=booking.verification_token).status == Booking.Status.CONFIRMED


def test_a_hold_cannot_be_confirmed_once_expired_and_the_job_frees_its_place_through_the_withholding(slot):
    booking = hold(slot)
    late = booking.hold_expires_at
    with pytest.raises(HoldExpired):
        confirm_hold(booking_id=booking.pk, code=verification_code(booking), now=late)
    assert expire_holds(now=late - dt.timedelta(seconds=1)) == 0
    assert expire_holds(now=late) == 1
    assert expire_holds(now=late) == 0  # idempotent
    booking.refresh_from_db()
    assert booking.status == Booking.Status.EXPIRED
    place = WithheldPlace.objects.get(slot=slot)
    assert place.reason == WithheldPlace.Reason.EXPIRED
    assert Slot.objects.get(pk=slot.pk).booked == 1  # not back at once
    release_withheld_places(now=place.release_at)
    assert Slot.objects.get(pk=slot.pk).booked == 0
    with pytest.raises(HoldExpired):
        confirm_hold(token=booking.verification_token, now=late)


def test_a_code_email_waiting_past_its_hold_is_never_sent(slot, django_capture_on_commit_callbacks, monkeypatch):
    from booking.emails import send_outbound_email

    booking = hold(slot)  # not dispatched: the outbox row waits
    expire_holds(now=booking.hold_expires_at)
    email = OutboundEmail.objects.get(booking=booking)
    assert send_outbound_email(email_id=email.pk) is False
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.SKIPPED and mail.outbox == []


def test_one_active_booking_per_person_counts_holds_in_the_database_itself(slot):
    first = hold(slot)
    duplicate = Booking.objects.get(pk=first.pk)
    duplicate.pk, duplicate.reference, duplicate.token = None, "ZZZZZZZZ", "another-token-of-forty-characters-000000"
    duplicate.verification_token = "another-verification-token-forty-chars-00"
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save(force_insert=True)


def test_the_code_can_be_sent_again_twice_the_same_code_while_the_hold_lasts(slot, settings):
    booking = hold(slot)
    assert [resend_verification(booking_id=booking.pk) for _ in range(3)] == [True, True, False]
    rows = OutboundEmail.objects.filter(booking=booking, kind="verification").order_by("sequence")
    assert list(rows.values_list("sequence", flat=True)) == [0, 1, 2]
    assert resend_verification(booking_id=booking.pk, now=booking.hold_expires_at) is False


def test_a_hold_gets_no_reminder_no_link_no_desk_action_and_is_not_counted_as_booked(slot, agent):
    booking = hold(slot)
    assert queue_due_reminders(now=slot.starts_at - dt.timedelta(hours=1)) == 0
    assert find_booking_by_reference(reference=booking.reference, email=booking.email) is None
    with pytest.raises(Exception, match="En attente de confirmation"):
        check_in_booking(booking=booking, agent=agent, now=slot.starts_at)
    site = slot.counter_type.site
    day = timezone.localtime(slot.starts_at).date()
    assert get_statistics(site=site, start=day, end=day).total.booked == 0
    # The agenda shows it as what it is; once expired, it leaves the agenda.
    assert [b.status for b in list_agenda(site=site, day=day)] == [Booking.Status.HELD]
    expire_holds(now=booking.hold_expires_at)
    assert list(list_agenda(site=site, day=day)) == []
    assert list(list_bookings_for_period(start=day, end=day, site=site)) == []  # nor in the exports
    assert get_statistics(site=site, start=day, end=day).total.booked == 0


def test_the_manage_link_of_a_hold_shows_nothing_before_confirmation(client, slot):
    booking = hold(slot)
    assert client.get(reverse("booking:manage", args=[booking.token])).status_code == 404


def test_the_emailed_link_changes_nothing_when_opened_and_confirms_with_its_button(client, slot):
    booking = hold(slot)
    link = reverse("booking:verify-link", args=[booking.verification_token])
    page = client.get(link)
    assert page.status_code == 200 and "Confirmer mon rendez-vous" in page.content.decode()
    booking.refresh_from_db()
    assert booking.status == Booking.Status.HELD  # a mail scanner opening the link confirms nothing
    response = client.post(link)
    assert response["Location"] == reverse("booking:confirmation", args=[booking.token])
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED
    assert client.get(link)["Location"] == reverse("booking:confirmation", args=[booking.token])


def test_an_expired_or_unknown_link_gets_a_clear_page(client, slot):
    booking = hold(slot)
    expire_holds(now=booking.hold_expires_at)
    expired = client.get(reverse("booking:verify-link", args=[booking.verification_token]))
    assert expired.status_code == 410 and "la place a été rendue" in html.unescape(expired.content.decode())
    unknown = client.get(reverse("booking:verify-link", args=["x" * 43]))
    assert unknown.status_code == 404


def test_code_entry_is_limited_per_ip_across_holds(client, settings, django_capture_on_commit_callbacks):
    """Guessing codes from one address: the limit per IP stops it before the holds' own counts do."""
    from tests.booking.test_flow_views import to_review
    from tests.flow import hold as hold_from_page

    settings.RATE_LIMITS = {"code:ip": (3, 3600)}
    slot = SlotFactory(capacity=3)
    to_review(client, slot)
    hold_from_page(client)
    statuses = [client.post(reverse("booking:verify"), {"code": "000001"}).status_code for _ in range(4)]
    assert statuses == [400, 400, 400, 429]


@pytest.mark.django_db(transaction=True)
def test_ten_confirmations_racing_for_the_same_hold_send_one_convocation(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    slot = SlotFactory(capacity=1)
    booking = hold(slot)
    code = verification_code(booking)
    start = threading.Barrier(10)
    outcomes = []

    def confirm(index):
        try:
            start.wait()
            if index % 2:
                outcomes.append(confirm_hold(booking_id=booking.pk, code=code).status)
            else:
                outcomes.append(confirm_hold(token=booking.verification_token).status)
        finally:
            connection.close()

    threads = [threading.Thread(target=confirm, args=(index,)) for index in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes == [Booking.Status.CONFIRMED] * 10
    assert OutboundEmail.objects.filter(booking=booking, kind="confirmation").count() == 1
    assert [message.subject.split(" ")[0] for message in mail.outbox].count("Confirmation") == 1


@pytest.mark.django_db(transaction=True)
def test_holds_racing_for_the_last_places_take_exactly_those(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    slot = SlotFactory(capacity=3)
    start = threading.Barrier(10)
    outcomes = []

    def take(index):
        try:
            start.wait()
            hold(slot, n=index)
            outcomes.append("held")
        except SlotFull:
            outcomes.append("full")
        finally:
            connection.close()

    threads = [threading.Thread(target=take, args=(index,)) for index in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["full"] * 7 + ["held"] * 3
    assert Slot.objects.get(pk=slot.pk).booked == 3
    assert Booking.objects.filter(status=Booking.Status.HELD).count() == 3


def test_beat_runs_the_expiry_and_the_release_every_minute_and_the_command_does_it_once(slot, settings):
    from django.core.management import call_command

    from booking.tasks import expire_holds_task, release_withheld_places_task

    schedule = settings.CELERY_BEAT_SCHEDULE
    assert schedule["expire-holds"] == {"task": "booking.tasks.expire_holds_task", "schedule": 60.0}
    assert schedule["release-withheld-places"]["schedule"] == 60.0
    booking = hold(slot)
    Booking.objects.filter(pk=booking.pk).update(hold_expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert expire_holds_task.apply().get() == 1
    WithheldPlace.objects.update(release_at=timezone.now() - dt.timedelta(seconds=1))
    assert release_withheld_places_task.apply().get() == 1
    other = hold(slot, n=1)
    Booking.objects.filter(pk=other.pk).update(hold_expires_at=timezone.now() - dt.timedelta(seconds=1))
    out = io.StringIO()
    call_command("release_places", stdout=out)
    assert "1 hold(s) expired, 0 place(s) released" in out.getvalue()


def test_the_session_after_the_review_looks_the_same_whether_or_not_the_person_had_a_booking(client, settings):
    """With sessions in a signed cookie the visitor reads theirs: it must not tell either."""
    from django.test import Client

    from booking.draft import unseal_booking_id
    from tests.booking.test_flow_views import IDENTITY, to_review
    from tests.flow import enter_code
    from tests.flow import hold as hold_from_page

    slot = SlotFactory(capacity=3)
    stranger = Client()
    to_review(client, slot)
    hold_from_page(client)  # a real hold
    to_review(stranger, slot, {**IDENTITY, "email": "other@example.org", "email_confirmation": "other@example.org"})
    hold_from_page(stranger)  # the same person: no hold, the holder is e-mailed
    code = wrong_code(Booking.objects.get())
    enter_code(client, code)
    enter_code(stranger, code)

    real, none = client.session["pending_hold"], stranger.session["pending_hold"]
    assert real.keys() == none.keys() and "booking" not in real
    assert len(real["hold"]) == len(none["hold"]) and real["hold"] != none["hold"]
    assert real["wrong"] == none["wrong"] == 1
    assert unseal_booking_id(real["hold"]) == Booking.objects.get().pk and unseal_booking_id(none["hold"]) is None
