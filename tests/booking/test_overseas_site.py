"""An overseas prefecture (La Réunion, UTC+4, three hours ahead of Paris in winter): its own hours everywhere.

The appointment is at 09:00 in Saint-Denis, 06:00 in Paris. Every page, e-mail,
file and job must say 09:00 and count days as Saint-Denis does.
"""

import datetime as dt
import html
import io
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse
from icalendar import Calendar
from pypdf import PdfReader

from booking.models import Booking
from booking.services import mark_no_shows_of_ended_days
from tests.clock import freeze
from tests.conftest import log_in
from tests.factories import CounterTypeFactory, SiteFactory, SlotFactory, at, book_confirmed, person
from tests.flow import enter_code, hold

pytestmark = pytest.mark.django_db
REUNION = ZoneInfo("Indian/Reunion")
MONDAY = dt.date(2026, 11, 16)
NINE_IN_SAINT_DENIS = dt.datetime.combine(MONDAY, dt.time(9, 0), tzinfo=REUNION)  # 06:00 in Paris
IDENTITY = {
    "last_name": "Payet",
    "first_names": "Mahé",
    "birth_date": "1990-02-03",
    "nationality": "KM",
    "foreigner_number": "9740000001",
    "passport_number": "",
    "email": "mahe@example.org",
    "email_confirmation": "mahe@example.org",
    "phone": "",
}


@pytest.fixture
def reunion():
    site = SiteFactory(name="Préfecture de La Réunion", slug="la-reunion", city="Saint-Denis", time_zone=REUNION.key)
    counter_type = CounterTypeFactory(site=site, name="Question sur un dossier", change_cutoff_hours=2)
    return SlotFactory(counter_type=counter_type, starts_at=NINE_IN_SAINT_DENIS, capacity=2)


def page(response) -> str:
    return html.unescape(response.content.decode())


def test_a_resident_of_la_reunion_sees_nine_oclock_from_the_first_step_to_the_email(
    client, reunion, monkeypatch, django_capture_on_commit_callbacks
):
    freeze(monkeypatch, dt.datetime(2026, 11, 10, 10, tzinfo=REUNION))
    client.get(reverse("booking:start", args=[reunion.counter_type.pk]))
    client.get(reverse("booking:eligibility"))
    slots = page(client.get(reverse("booking:slot"), {"jour": MONDAY.isoformat()}))
    assert "09:00 – 09:15" in slots and "06:00" not in slots
    response = client.post(
        reverse("booking:slot"), {"jour": MONDAY.isoformat(), "starts_at": reunion.starts_at.isoformat()}
    )
    assert response.url == reverse("booking:identity")
    client.post(reverse("booking:identity"), IDENTITY)

    review = page(client.get(reverse("booking:review")))
    assert "lundi 16 novembre 2026, 09:00" in review and "06:00" not in review
    with django_capture_on_commit_callbacks(execute=True):
        held = hold(client)
    code_page = page(client.get(held.url))
    assert "jusqu'à 10:15" in code_page  # the hold's 15 minutes, on Saint-Denis's clock
    code_email = mail.outbox[0]
    assert "lundi 16 novembre 2026, 09:00" in code_email.body and "jusqu'à 10:15" in code_email.body
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = enter_code(client)
    booking = Booking.objects.get()
    assert booking.slot.starts_at == NINE_IN_SAINT_DENIS
    confirmation = page(client.get(confirmed.url))
    assert "lundi 16 novembre 2026, 09:00" in confirmation and "06:00" not in confirmation
    manage = page(client.get(reverse("booking:manage", args=[booking.token])))
    assert "lundi 16 novembre 2026, 09:00" in manage
    assert "jusqu'au lundi 16 novembre 2026 à 07:00" in manage  # the two-hour cut-off, in Saint-Denis

    [_code, email] = mail.outbox
    assert "lundi 16 novembre 2026, 09:00" in email.body and "06:00" not in email.body
    html_body = email.alternatives[0][0]
    assert "09:00" in html_body and "06:00" not in html_body
    pdf = next(content for _name, content, mimetype in email.attachments if mimetype == "application/pdf")
    pdf_text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "09:00" in pdf_text and "06:00" not in pdf_text
    ics = next(content for _name, content, mimetype in email.attachments if mimetype == "text/calendar")
    assert Calendar.from_ical(ics).events[0].decoded("dtstart") == NINE_IN_SAINT_DENIS


def test_the_agent_and_the_head_see_saint_denis_hours(client, head, reunion, monkeypatch):
    freeze(monkeypatch, dt.datetime(2026, 11, 16, 8, 30, tzinfo=REUNION))
    booking = book_confirmed(counter_type=reunion.counter_type, starts_at=reunion.starts_at, person=person())
    site = reunion.counter_type.site
    log_in(client, head)

    agenda = page(client.get(reverse("staff:agenda"), {"site": site.pk}))  # today is Saint-Denis's today
    assert "Agenda du lundi 16 novembre 2026" in agenda
    assert "<td>09:00</td>" in agenda and "06:00" not in agenda
    desk = page(client.get(reverse("staff:booking", args=[booking.reference])))
    assert "lundi 16 novembre 2026, 09:00" in desk and "06:00" not in desk

    slots = page(client.get(reverse("admin:counters_slot_changelist"), {"counter_type__site__id__exact": site.pk}))
    assert "16/11/2026 09:00" in slots and "06:00" not in slots

    export = client.get(reverse("staff:export"), {"site": site.pk, "start": "2026-11-16", "end": "2026-11-16"})
    rows = b"".join(export.streaming_content).decode("utf-8-sig").splitlines()
    assert rows[1].split(";")[1:3] == ["16/11/2026", "09:00"]


def test_the_agenda_turns_the_page_at_saint_denis_midnight(client, agent, reunion, monkeypatch):
    # 22:00 on Sunday in Paris is already Monday 01:00 in Saint-Denis.
    freeze(monkeypatch, dt.datetime(2026, 11, 15, 22, tzinfo=ZoneInfo("Europe/Paris")))
    book_confirmed(counter_type=reunion.counter_type, starts_at=reunion.starts_at, person=person())
    log_in(client, agent)
    agenda = page(client.get(reverse("staff:agenda"), {"site": reunion.counter_type.site_id}))
    assert "Agenda du lundi 16 novembre 2026" in agenda and "DIALLO" in agenda


def test_no_shows_are_marked_after_the_evening_of_each_sites_own_day(reunion):
    paris_slot = SlotFactory(starts_at=at(MONDAY, 9))
    in_reunion = book_confirmed(counter_type=reunion.counter_type, starts_at=reunion.starts_at, person=person(1))
    in_paris = book_confirmed(counter_type=paris_slot.counter_type, starts_at=paris_slot.starts_at, person=person(2))

    # 20:30 in Saint-Denis, 17:30 in Paris: Saint-Denis's day is over, Paris's is not.
    assert mark_no_shows_of_ended_days(now=dt.datetime(2026, 11, 16, 20, 30, tzinfo=REUNION)) == 1
    statuses = dict(Booking.objects.values_list("pk", "status"))
    assert statuses == {in_reunion.pk: Booking.Status.NO_SHOW, in_paris.pk: Booking.Status.CONFIRMED}

    assert mark_no_shows_of_ended_days(now=at(MONDAY, 20, 5)) == 1
    assert mark_no_shows_of_ended_days(now=at(MONDAY, 21)) == 0  # idempotent
    assert Booking.objects.get(pk=in_paris.pk).status == Booking.Status.NO_SHOW
