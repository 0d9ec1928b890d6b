"""Issuing a certificate only when no place is offered, and telling a genuine one from an altered one."""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
import zxingcpp
from django.urls import reverse
from django.utils import translation
from PIL import Image
from pypdf import PdfReader

from booking.attestations.codes import CODE_ALPHABET, CODE_LENGTH
from booking.attestations.exceptions import PlacesAvailable
from booking.attestations.models import AttemptCertificate
from booking.attestations.pdf import build_certificate_pdf, verification_url
from booking.attestations.selectors import Outcome, verify_certificate
from booking.attestations.services import erase_certificate_names, issue_certificate
from tests.factories import PARIS, CounterTypeFactory, SiteFactory, SlotFactory, at, book_confirmed, person

pytestmark = pytest.mark.django_db

# A Tuesday, a working day; every date below is relative to it.
NOW = at(dt.date(2026, 3, 10), 10)


@pytest.fixture
def counter_type():
    """Booked from tomorrow to 60 days ahead: 11 March to 9 May 2026."""
    return CounterTypeFactory(name="Dépôt d'un titre de séjour", min_days_ahead=1, max_days_ahead=60)


@pytest.fixture
def french():
    with translation.override("fr"):
        yield


def full_slot(counter_type, starts_at):
    slot = SlotFactory(counter_type=counter_type, starts_at=starts_at, capacity=1)
    book_confirmed(counter_type=counter_type, starts_at=starts_at, person=person(slot.pk))
    return slot


def test_certificate_issued_when_no_place_is_left_in_the_whole_booking_window(counter_type):
    full_slot(counter_type, at(dt.date(2026, 3, 12), 9))
    SlotFactory(counter_type=counter_type, starts_at=at(dt.date(2026, 3, 10), 11))  # today: not bookable online
    SlotFactory(counter_type=counter_type, starts_at=at(dt.date(2026, 5, 10), 9))  # the day after the window

    certificate = issue_certificate(counter_type=counter_type, now=NOW)

    stored = AttemptCertificate.objects.get()
    assert stored.code == certificate.code and len(stored.code) == CODE_LENGTH
    assert set(stored.code) <= set(CODE_ALPHABET)
    assert stored.display_code == f"{stored.code[:4]}-{stored.code[4:8]}-{stored.code[8:]}"
    assert (stored.searched_from, stored.searched_until) == (dt.date(2026, 3, 11), dt.date(2026, 5, 9))
    assert stored.issued_at == NOW
    assert stored.procedure_name == "Dépôt d'un titre de séjour"
    assert (stored.site_id, stored.site_name, stored.time_zone) == (
        counter_type.site_id,
        counter_type.site.name,
        "Europe/Paris",
    )
    assert stored.declared_name == "" and stored.name_digest == ""
    assert verify_certificate(code=stored.code).outcome is Outcome.GENUINE


def test_certificate_refused_while_one_place_is_bookable(counter_type):
    full_slot(counter_type, at(dt.date(2026, 3, 12), 9))
    SlotFactory(counter_type=counter_type, starts_at=at(dt.date(2026, 5, 9), 16), capacity=1)  # last day of the window

    with pytest.raises(PlacesAvailable):
        issue_certificate(counter_type=counter_type, now=NOW)

    assert not AttemptCertificate.objects.exists()


def test_searched_period_is_the_window_in_the_sites_time_zone():
    site = SiteFactory(time_zone="Indian/Reunion")  # UTC+4
    counter_type = CounterTypeFactory(site=site, min_days_ahead=0, max_days_ahead=30)
    # 22:30 in Paris on 10 March is already 01:30 on 11 March in Saint-Denis de La Réunion.
    now = dt.datetime(2026, 3, 10, 22, 30, tzinfo=PARIS)

    certificate = issue_certificate(counter_type=counter_type, now=now)

    assert (certificate.searched_from, certificate.searched_until) == (dt.date(2026, 3, 11), dt.date(2026, 4, 10))
    assert certificate.issued_at.astimezone(ZoneInfo("Indian/Reunion")).date() == dt.date(2026, 3, 11)


@pytest.mark.parametrize(
    "typed",
    [
        lambda c: c.display_code,
        lambda c: c.code.lower(),
        lambda c: " ".join([c.code[:4], c.code[4:8], c.code[8:]]),
        verification_url,  # what the QR code holds, pasted whole
    ],
    ids=["printed", "lower-case", "spaces", "link"],
)
def test_a_genuine_certificate_verifies_however_its_code_is_typed(counter_type, typed):
    certificate = issue_certificate(counter_type=counter_type, now=NOW, last_name="Benali", first_names="Yacine")

    verification = verify_certificate(code=typed(certificate))

    assert verification.is_genuine
    assert verification.certificate.declared_name == "BENALI Yacine"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("procedure_name", "Remise d'un titre de séjour"),
        ("site_name", "Préfecture de la Gironde"),
        ("issued_at", at(dt.date(2026, 2, 10), 10)),
        ("searched_until", dt.date(2026, 3, 12)),
        ("searched_from", dt.date(2026, 3, 1)),
        ("time_zone", "America/Cayenne"),
        ("last_name", "Martin"),
        ("first_names", "Yacine Karim"),
    ],
)
def test_a_certificate_altered_in_the_database_fails_verification(counter_type, field, value):
    certificate = issue_certificate(counter_type=counter_type, now=NOW, last_name="Benali", first_names="Yacine")
    AttemptCertificate.objects.filter(pk=certificate.pk).update(**{field: value})

    verification = verify_certificate(code=certificate.code)

    assert verification.outcome is Outcome.TAMPERED
    assert verification.certificate is None  # the altered facts are never shown


def test_a_moved_signature_does_not_make_another_certificate_genuine(counter_type):
    first = issue_certificate(counter_type=counter_type, now=NOW)
    second = issue_certificate(counter_type=counter_type, now=NOW + dt.timedelta(minutes=1))
    AttemptCertificate.objects.filter(pk=second.pk).update(signature=first.signature)

    assert verify_certificate(code=second.code).outcome is Outcome.TAMPERED


def test_a_modified_code_matches_no_certificate(counter_type):
    certificate = issue_certificate(counter_type=counter_type, now=NOW)
    other_character = next(ch for ch in CODE_ALPHABET if ch != certificate.code[-1])

    assert verify_certificate(code=certificate.code[:-1] + other_character).outcome is Outcome.UNKNOWN
    assert verify_certificate(code=certificate.code[:-1]).outcome is Outcome.UNKNOWN
    assert verify_certificate(code="OOOO-IIII-LLLL").outcome is Outcome.UNKNOWN  # letters no code holds


def test_erasing_the_name_keeps_the_facts_genuine_but_a_new_name_does_not(counter_type):
    old = issue_certificate(counter_type=counter_type, now=NOW, last_name="Benali", first_names="Yacine")
    recent = issue_certificate(counter_type=counter_type, now=NOW + dt.timedelta(days=200), last_name="Diallo")

    assert erase_certificate_names(issued_before=NOW + dt.timedelta(days=100)) == 1

    erased = verify_certificate(code=old.code)
    assert erased.is_genuine and erased.certificate.name_erased and erased.certificate.declared_name == ""
    assert verify_certificate(code=recent.code).certificate.declared_name == "DIALLO"
    AttemptCertificate.objects.filter(pk=old.pk).update(last_name="Martin")
    assert verify_certificate(code=old.code).outcome is Outcome.TAMPERED


def test_certificates_survive_a_secret_key_rotation_only_with_the_old_key_as_fallback(counter_type, settings):
    certificate = issue_certificate(counter_type=counter_type, now=NOW, last_name="Benali")
    old_key = settings.SECRET_KEY
    settings.SECRET_KEY = "a-new-secret-key-" + "x" * 50

    assert verify_certificate(code=certificate.code).outcome is Outcome.TAMPERED
    settings.SECRET_KEY_FALLBACKS = [old_key]
    assert verify_certificate(code=certificate.code).is_genuine


def test_the_pdf_states_the_facts_and_its_qr_code_holds_the_verification_link(counter_type, french, settings):
    settings.SITE_URL = "https://rdv.herault.gouv.fr"
    certificate = issue_certificate(counter_type=counter_type, now=NOW, last_name="Nguyễn", first_names="Văn Anh")

    pdf = PdfReader(io.BytesIO(build_certificate_pdf(certificate)))

    assert len(pdf.pages) == 1
    text = pdf.pages[0].extract_text()
    for expected in (
        "Attestation de tentative de prise de",
        "Dépôt d'un titre de séjour",
        counter_type.site.name,
        "10 mars 2026 à 10:00",
        "du 11 mars 2026 au 9 mai 2026",
        "NGUYỄN Văn Anh",
        certificate.display_code,
        f"https://rdv.herault.gouv.fr/attestation/verifier/{certificate.display_code}/",
    ):
        assert expected in text
    decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(pdf.pages[0].images[0].data)).convert("L"))
    assert [(result.format, result.text) for result in decoded] == [
        (zxingcpp.BarcodeFormat.QRCode, verification_url(certificate))
    ]


def test_the_pdf_is_drawn_in_the_readers_language(counter_type):
    certificate = issue_certificate(counter_type=counter_type, now=NOW)

    with translation.override("en"):
        text = PdfReader(io.BytesIO(build_certificate_pdf(certificate))).pages[0].extract_text()

    assert "Certificate of an attempt to book" in text and "from 11 March 2026 to 9 May 2026" in text


def test_a_pdf_retyped_with_other_facts_disagrees_with_the_verification_page(counter_type, french, client):
    """A forger may edit the PDF's text, but not the record its code leads to."""
    certificate = issue_certificate(counter_type=counter_type, now=NOW)
    forged = AttemptCertificate.objects.get(pk=certificate.pk)
    forged.searched_until = dt.date(2026, 9, 30)
    forged.procedure_name = "Naturalisation"
    forged_text = PdfReader(io.BytesIO(build_certificate_pdf(forged))).pages[0].extract_text()
    assert "30 septembre 2026" in forged_text and certificate.display_code in forged_text

    page = client.get(reverse("attestations:verify"), {"code": certificate.display_code}).content.decode()

    assert "9 mai 2026" in page and "Dépôt d&#x27;un titre de séjour" in page
    assert "30 septembre 2026" not in page and "Naturalisation" not in page
