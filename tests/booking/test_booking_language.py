"""E-mails, the convocation and the .ics follow the booking's language: its words, its script, its direction."""

import datetime as dt
import io
import unicodedata

import pytest
from django.core import mail
from django.core.checks import run_checks
from django.urls import reverse
from icalendar import Calendar
from pypdf import PdfReader

from booking import pdf_text
from booking.emails.attachments import build_convocation_pdf, build_ics
from booking.services import book_appointment
from tests.factories import CounterTypeFactory, SlotFactory, at, person
from tests.flow import code_in

MONDAY = dt.date(2030, 3, 4)

NAMES = {
    "ar": "تسلّم بطاقة الإقامة",
    "ru": "Получение вида на жительство",
    "zh-hans": "领取居留卡",
    "tr": "Oturma izni teslimi",
}
DOCUMENTS = {
    "ar": "جواز السفر\nصورتان شمسيتان",
    "ru": "Паспорт\nДве фотографии",
    "zh-hans": "护照\n两张证件照",
    "tr": "Pasaport\nİki fotoğraf",
}


@pytest.fixture
def slot(db):
    counter_type = CounterTypeFactory(
        name="Remise d'un titre de séjour",
        **{f"name_{code.replace('-', '_')}": name for code, name in NAMES.items()},
        **{f"documents_to_bring_{code.replace('-', '_')}": docs for code, docs in DOCUMENTS.items()},
    )
    return SlotFactory(counter_type=counter_type, starts_at=at(MONDAY, 9, 30), capacity=5)


def pdf_text_of(data: bytes) -> str:
    """The PDF's text as a reader copies it: Arabic's joined letter forms back to plain letters."""
    return unicodedata.normalize("NFKC", PdfReader(io.BytesIO(data)).pages[0].extract_text())


def as_printed(text: str) -> str:
    """`text` as the PDF draws it: without Arabic's optional vowel marks (booking/pdf_text.py)."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text) if unicodedata.category(ch) != "Mn")


def test_the_confirmation_email_is_written_in_arabic_right_to_left(slot, book):
    booking = book(slot, language="ar")
    [message] = mail.outbox
    html = message.alternatives[0][0]

    assert message.subject.startswith("تأكيد موعدك")  # "Confirmation de votre rendez-vous"
    assert booking.display_reference in message.subject
    assert "الإجراء: تسلّم بطاقة الإقامة" in message.body
    assert "- جواز السفر\n- صورتان شمسيتان" in message.body
    assert "الاثنين 4 مارس 2030" in message.body  # the date in Arabic words, Latin digits
    assert '<html lang="ar" dir="rtl">' in html and '<body dir="rtl"' in html
    assert f'<strong dir="ltr" style="font-family: monospace; font-size: 1.4em;">{booking.display_reference}' in html


def test_the_code_email_is_written_in_arabic_right_to_left_with_the_code_kept_in_order(
    slot, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        book_appointment(counter_type=slot.counter_type, starts_at=slot.starts_at, person=person(), language="ar")
    [message] = mail.outbox
    html = message.alternatives[0][0]
    code = code_in(message)

    assert message.subject == f"رمز تأكيد موعدك: {code}"  # "Code de confirmation de votre rendez-vous : …"
    assert "لتأكيد موعدك، أدخل هذا الرمز في صفحة الحجز:" in message.body
    assert f"الإجراء: {NAMES['ar']}" in message.body and "الاثنين 4 مارس 2030" in message.body
    assert '<html lang="ar" dir="rtl">' in html and '<body dir="rtl"' in html
    assert f'<strong dir="ltr" style="font-family: monospace; font-size: 1.8em; letter-spacing: .2em;">{code}' in html
    assert f"<td>{NAMES['ar']}</td>" in html and '<bdi dir="ltr">09:30</bdi>' in html


@pytest.mark.parametrize("language", ["ar", "ru", "zh-hans"])
def test_the_convocation_carries_the_procedure_and_documents_in_the_bookings_language(slot, book, language):
    booking = book(slot, language=language)
    text = pdf_text_of(build_convocation_pdf(booking))

    assert as_printed(NAMES[language]) in text
    for document in DOCUMENTS[language].splitlines():
        assert as_printed(document) in text
    assert booking.display_reference in text and "09:30" in text
    assert "Pièces à apporter" not in text  # the labels too are translated


def test_the_arabic_convocation_joins_its_letters_and_reads_from_the_right(slot, book):
    booking = book(slot, language="ar")
    raw = PdfReader(io.BytesIO(build_convocation_pdf(booking))).pages[0].extract_text()
    # Drawn with the joined (presentation) forms of the letters, not isolated ones.
    assert any("\ufb50" <= ch <= "\ufeff" for ch in raw)
    assert pdf_text.visual("الإجراء", rtl=True) != "الإجراء"


def test_the_convocation_downloaded_from_the_link_follows_the_booking_not_the_page(client, slot, book):
    booking = book(slot, language="ar")
    client.post(reverse("set_language"), {"language": "en", "next": "/"})  # the visitor now reads English
    response = client.get(reverse("booking:convocation", kwargs={"token": booking.token}))

    assert response.status_code == 200
    assert as_printed(NAMES["ar"]) in pdf_text_of(response.content)


@pytest.mark.parametrize("language", ["ar", "zh-hans", "tr"])
def test_the_calendar_event_is_named_in_the_bookings_language(slot, book, language):
    booking = book(slot, language=language)
    [event] = Calendar.from_ical(build_ics(booking)).walk("VEVENT")

    assert NAMES[language] in str(event["SUMMARY"])
    assert DOCUMENTS[language].splitlines()[0] in str(event["DESCRIPTION"])


def test_a_booking_in_a_language_the_site_dropped_gets_french(slot, book):
    booking = book(slot, language="de")
    [event] = Calendar.from_ical(build_ics(booking)).walk("VEVENT")
    assert "Remise d'un titre de séjour" in str(event["SUMMARY"])
    assert "Confirmation de votre rendez-vous" in mail.outbox[0].subject


def test_a_missing_font_is_named_with_its_package_at_start_up_and_when_drawing(monkeypatch, tmp_path):
    missing = pdf_text.FontFamily("Absent", "Absent-Bold", tmp_path / "a.ttf", tmp_path / "b.ttf", "fonts-absent")
    monkeypatch.setitem(pdf_text.FAMILIES, "zh-hans", missing)
    pdf_text.fonts_for.cache_clear()
    try:
        with pytest.raises(pdf_text.MissingFont, match="apt-get install fonts-absent"):
            pdf_text.fonts_for("zh-hans")
        warnings = [message for message in run_checks() if message.id == "booking.W001"]
        assert len(warnings) == 1 and "fonts-absent" in warnings[0].msg
    finally:
        pdf_text.fonts_for.cache_clear()
