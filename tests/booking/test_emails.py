import io
import threading

import pypdfium2 as pdfium
import pytest
import zxingcpp
from django.core import mail
from django.db import connection
from icalendar import Calendar
from pypdf import PdfReader

from booking.emails import build_message, send_outbound_email
from booking.emails.attachments import build_convocation_pdf
from booking.models import OutboundEmail
from booking.services import cancel_booking, move_booking


def attachment(message, content_type):
    return next(content for _name, content, mimetype in message.attachments if mimetype == content_type)


def test_booking_queues_one_confirmation_and_sends_it_once(slot, book):
    booking = book(slot)
    assert len(mail.outbox) == 1
    email = OutboundEmail.objects.get(booking=booking, kind="confirmation")
    assert (email.kind, email.status, email.attempts) == ("confirmation", "sent", 1)
    assert email.sent_at is not None
    message = mail.outbox[0]
    assert message.to == [booking.email]
    assert booking.display_reference in message.subject
    assert booking.token in message.body
    assert message.extra_headers["Message-ID"] == email.message_id


def test_same_task_delivered_twice_sends_one_email(slot, book):
    booking = book(slot)
    email = OutboundEmail.objects.get(booking=booking, kind="confirmation")
    assert send_outbound_email(email_id=email.pk) is False
    assert send_outbound_email(email_id=email.pk) is False
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_deliveries_of_the_same_row_send_one_email(slot, settings):
    from tests.factories import book_confirmed, person

    settings.CELERY_TASK_ALWAYS_EAGER = True
    booking = book_confirmed(counter_type=slot.counter_type, starts_at=slot.starts_at, person=person())
    # In a transactional test on_commit ran at once: the confirmation went already. Queue it again.
    OutboundEmail.objects.filter(booking=booking, kind="confirmation").update(status="queued", sent_at=None)
    mail.outbox.clear()
    email = OutboundEmail.objects.get(booking=booking, kind="confirmation")
    start = threading.Barrier(4)
    results = []

    def deliver():
        try:
            start.wait()
            results.append(send_outbound_email(email_id=email.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False, False, False, True]
    assert len(mail.outbox) == 1


def test_confirmation_is_in_the_language_used_on_the_site(slot, book):
    book(slot, n=1, language="en")
    book(slot, n=2, language="fr")
    english, french = mail.outbox
    assert english.subject.startswith("Confirmation of your appointment")
    assert "Hello Aminata" in english.body
    assert "Documents to bring" in english.alternatives[0][0]
    assert french.subject.startswith("Confirmation de votre rendez-vous")
    assert "Bonjour Aminata" in french.body


def test_confirmation_carries_a_calendar_event_that_parses(slot, book):
    booking = book(slot)
    message = mail.outbox[0]
    calendar = Calendar.from_ical(attachment(message, "text/calendar"))
    event = calendar.events[0]
    assert event.decoded("dtstart") == slot.starts_at
    assert event.decoded("dtend") == slot.ends_at
    assert booking.reference in str(event["uid"])
    assert slot.counter_type.site.city in str(event["location"])


def ics_event(message):
    return Calendar.from_ical(attachment(message, "text/calendar")).events[0]


def test_calendar_sequence_follows_the_booking_version_through_moves_and_cancellation(
    slot, other_slot, book, django_capture_on_commit_callbacks
):
    booking = book(slot)
    with django_capture_on_commit_callbacks(execute=True):
        move_booking(booking_id=booking.pk, starts_at=other_slot.starts_at)
    with django_capture_on_commit_callbacks(execute=True):
        cancel_booking(booking_id=booking.pk)
    confirmation, moved, cancellation = mail.outbox
    booking.refresh_from_db()
    assert booking.version == 1
    assert [ics_event(message)["sequence"] for message in mail.outbox] == [0, 1, 2]
    assert ics_event(moved).decoded("dtstart") == other_slot.starts_at
    assert len({str(ics_event(message)["uid"]) for message in mail.outbox}) == 1
    cancelled = Calendar.from_ical(attachment(cancellation, "text/calendar"))
    assert (str(cancelled["method"]), str(cancelled.events[0]["status"])) == ("CANCEL", "CANCELLED")


def test_convocation_pdf_shows_the_booking_and_its_qr_code_decodes_to_the_reference(slot, book):
    booking = book(slot)
    pdf = PdfReader(io.BytesIO(attachment(mail.outbox[0], "application/pdf")))
    assert len(pdf.pages) == 1
    width, height = pdf.pages[0].mediabox.width, pdf.pages[0].mediabox.height
    assert (round(float(width)), round(float(height))) == (595, 842)  # A4
    text = pdf.pages[0].extract_text()
    for expected in (
        booking.display_reference,
        "DIALLO Aminata",
        slot.counter_type.name,
        slot.counter.label,
        slot.counter_type.site.address,
        "Passeport",
        "Justificatif de domicile",
    ):
        assert expected in text
    assert len(pdf.pages[0].images) == 1


@pytest.mark.parametrize("dpi", [150, 300])
def test_convocation_printed_carries_a_regular_qr_code_that_a_common_decoder_reads(slot, book, dpi):
    """The page as a printer or a screen renders it, not the embedded image: what a scanner at the desk sees."""
    booking = book(slot)
    document = pdfium.PdfDocument(attachment(mail.outbox[0], "application/pdf"))
    page = document[0].render(scale=dpi / 72, grayscale=True).to_pil()
    decoded = zxingcpp.read_barcodes(page)
    assert [(result.text, result.format) for result in decoded] == [
        (booking.reference, zxingcpp.BarcodeFormat.QRCode)  # not MicroQRCode, which phone cameras do not read
    ]


def test_convocation_pdf_is_in_the_residents_language(slot, book):
    booking = book(slot, language="en")
    text = (
        PdfReader(io.BytesIO(build_message(booking.emails.get(kind="confirmation")).attachments[1][1]))
        .pages[0]
        .extract_text()
    )
    assert "Documents to bring" in text


def test_message_id_is_stable_across_rebuilds(slot, book):
    booking = book(slot)
    email = booking.emails.get(kind="confirmation")
    assert build_message(email).extra_headers["Message-ID"] == build_message(email).extra_headers["Message-ID"]
    assert build_convocation_pdf(booking)[:5] == b"%PDF-"


@pytest.mark.parametrize(("language", "greeting"), [("en-gb", "Hello"), ("xx", "Bonjour")])
def test_regional_or_unknown_language_falls_back_sensibly(slot, book, language, greeting):
    book(slot, language=language)
    assert mail.outbox[0].body.startswith(greeting)
