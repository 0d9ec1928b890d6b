"""What the e-mails and the convocation say, and how they say it in each language."""

import datetime as dt
import email
import email.policy
import io
import re

import pytest
from django.core import mail
from pypdf import PdfReader

from booking.services import cancel_booking, move_booking, queue_due_reminders
from tests.factories import SlotFactory, at

MONDAY = dt.date(2030, 3, 4)
THE_WEEK_BEFORE = at(dt.date(2030, 2, 25), 10)


@pytest.fixture
def monday_slot(db):
    return SlotFactory(starts_at=at(MONDAY, 9, 30), capacity=3)


@pytest.fixture
def tuesday_slot(monday_slot):
    return SlotFactory(
        counter_type=monday_slot.counter_type,
        counter=monday_slot.counter,
        starts_at=at(MONDAY, 9, 30) + dt.timedelta(1),
    )


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def pdf_text(message) -> str:
    pdf = next(content for _name, content, mimetype in message.attachments if mimetype == "application/pdf")
    return PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


def test_english_email_has_english_punctuation_and_dates(monday_slot, book):
    booking = book(monday_slot, language="en")
    [message] = mail.outbox
    assert f"Reference: {booking.display_reference}" in message.body
    assert "Date and time: Monday, March 4, 2030, 09:30" in message.body
    assert "Documents to bring:\n" in message.body
    assert not re.search(r"\w :", message.body), "a French space before a colon in English text"
    assert "Monday, March 4, 2030" in message.alternatives[0][0]


def test_french_email_keeps_french_typography(monday_slot, book):
    booking = book(monday_slot)
    [message] = mail.outbox
    assert f"Référence : {booking.display_reference}" in message.body
    assert "Date et heure : lundi 4 mars 2030, 09:30" in message.body
    assert "Pièces à apporter :\n" in message.body


def test_english_convocation_pdf_has_an_english_date(monday_slot, book):
    book(monday_slot, language="en")
    text = pdf_text(mail.outbox[0])
    assert "Monday, March 4, 2030" in text
    assert "lundi" not in text and "mars" not in text


def test_reminder_subject_gives_the_date_the_language_s_way(monday_slot, book, on_commit):
    english, french = book(monday_slot, n=1, language="en"), book(monday_slot, n=2)
    mail.outbox.clear()
    with on_commit():
        queue_due_reminders(now=at(MONDAY, 9, 30) - dt.timedelta(hours=47))
    subjects = sorted(message.subject for message in mail.outbox)
    assert subjects == [
        f"Rappel : votre rendez-vous du 4 mars 2030 — {french.display_reference}",
        f"Reminder: your appointment on March 4, 2030 — {english.display_reference}",
    ]


def test_cancellation_email_lists_no_documents_to_bring(monday_slot, book, on_commit):
    booking = book(monday_slot)
    assert "Pièces à apporter" in mail.outbox[0].body  # the confirmation does
    with on_commit():
        cancel_booking(booking_id=booking.pk, now=THE_WEEK_BEFORE)
    cancellation = mail.outbox[1]
    assert "annulé" in cancellation.body
    calendar = next(content for _n, content, mimetype in cancellation.attachments if mimetype == "text/calendar")
    for text in (cancellation.body, cancellation.alternatives[0][0], calendar):
        assert "Pièces à apporter" not in text
        assert "Passeport" not in text


def raw_subject_lines(message) -> list[str]:
    """The Subject header as it goes on the wire: its first line and its continuation lines."""
    lines = message.message().as_bytes().decode().split("\n")
    start = next(index for index, line in enumerate(lines) if line.startswith("Subject:"))
    end = next(index for index in range(start + 1, len(lines)) if not lines[index].startswith((" ", "\t")))
    return lines[start:end]


def test_long_french_subjects_start_on_the_subject_line(monday_slot, tuesday_slot, book, on_commit):
    booking = book(monday_slot)
    with on_commit():
        move_booking(booking_id=booking.pk, starts_at=tuesday_slot.starts_at, now=THE_WEEK_BEFORE)
    with on_commit():
        queue_due_reminders(now=tuesday_slot.starts_at - dt.timedelta(hours=47))
    confirmation, moved, reminder = mail.outbox
    for message in (moved, reminder):
        header = raw_subject_lines(message)
        assert header[0].strip() != "Subject:", f"empty first line: {header}"
        assert all(len(line) <= 78 for line in header)
        parsed = email.message_from_bytes(message.message().as_bytes(), policy=email.policy.default)
        assert parsed["Subject"] == message.subject
    assert moved.subject == f"Votre rendez-vous a été déplacé — {booking.display_reference}"
