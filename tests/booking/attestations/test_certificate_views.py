"""The certificate pages: offered where no place is left, issued, verified, downloaded."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from booking.attestations.models import AttemptCertificate
from booking.attestations.services import issue_certificate
from counters.models import CounterType
from tests.antibot import proof
from tests.factories import CounterTypeFactory, SlotFactory, at, book_confirmed, next_weekday, person

pytestmark = pytest.mark.django_db

NOT_GENUINE = "Attestation non authentique"


@pytest.fixture
def full_procedure():
    """A procedure whose only place, next Monday, is taken."""
    counter_type = CounterTypeFactory(name="Remise d'un titre de séjour")
    starts_at = at(next_weekday(0), 9)
    SlotFactory(counter_type=counter_type, starts_at=starts_at, capacity=1)
    book_confirmed(counter_type=counter_type, starts_at=starts_at, person=person())
    return counter_type


def request_url(counter_type) -> str:
    return reverse("attestations:request", args=[counter_type.pk])


def test_the_slot_step_offers_a_certificate_when_no_day_is_left(client, full_procedure):
    # Past the first page, which says so too (test_no_place_start.py): the last place taken meanwhile, say.
    client.get(reverse("booking:start", args=[full_procedure.pk]), {"questions": "1"})
    client.get(reverse("booking:eligibility"))

    page = client.get(reverse("booking:slot")).content.decode()

    assert "Aucun créneau disponible pour le moment" in page
    assert request_url(full_procedure) in page


def test_the_slot_step_offers_no_certificate_while_places_are_left(client):
    counter_type = CounterTypeFactory()
    SlotFactory(counter_type=counter_type, starts_at=at(next_weekday(0), 9), capacity=2)
    client.get(reverse("booking:start", args=[counter_type.pk]))
    client.get(reverse("booking:eligibility"))

    page = client.get(reverse("booking:slot")).content.decode()

    assert request_url(counter_type) not in page


def test_the_eligibility_step_says_no_place_is_left_before_the_questions(client):
    renewal = CounterTypeFactory(eligibility=CounterType.Eligibility.RENEWAL)
    open_renewal = CounterTypeFactory(eligibility=CounterType.Eligibility.RENEWAL)
    SlotFactory(counter_type=open_renewal, starts_at=at(next_weekday(0), 9))

    # Its first page says there is no place (test_no_place_start.py); its link leads to the questions.
    client.get(reverse("booking:start", args=[renewal.pk]), {"questions": "1"})
    page = client.get(reverse("booking:eligibility")).content.decode()
    assert request_url(renewal) in page and 'name="application_kind"' in page  # the questions follow

    client.get(reverse("booking:start", args=[open_renewal.pk]))
    page = client.get(reverse("booking:eligibility")).content.decode()
    assert request_url(open_renewal) not in page


def test_a_resident_gets_a_certificate_in_their_name_then_downloads_it(client, full_procedure):
    page = client.get(request_url(full_procedure)).content.decode()
    assert 'name="last_name"' in page and 'name="first_names"' in page

    response = client.post(
        request_url(full_procedure), {"last_name": "Benali", "first_names": "Yacine", "altcha": proof("certificate")}
    )

    certificate = AttemptCertificate.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("attestations:verify-code", args=[certificate.display_code])
    page = client.get(response.url).content.decode()
    assert "Votre attestation est prête" in page and "Attestation authentique" in page
    assert "BENALI Yacine" in page and "Remise d&#x27;un titre de séjour" in page
    pdf_url = reverse("attestations:pdf", args=[certificate.display_code])
    assert pdf_url in page
    download = client.get(pdf_url)
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == f'attachment; filename="attestation-{certificate.display_code}.pdf"'
    assert "no-store" in download["Cache-Control"]
    assert certificate.display_code in PdfReader(io.BytesIO(download.content)).pages[0].extract_text()


def test_a_certificate_without_a_name_is_issued_too(client, full_procedure):
    response = client.post(
        request_url(full_procedure), {"last_name": "", "first_names": "", "altcha": proof("certificate")}
    )

    assert response.status_code == 302
    assert AttemptCertificate.objects.get().declared_name == ""


def test_no_certificate_while_a_place_is_bookable_the_request_gets_a_409(client, full_procedure):
    SlotFactory(counter_type=full_procedure, starts_at=at(next_weekday(1), 9), capacity=1)

    page = client.get(request_url(full_procedure)).content.decode()
    response = client.post(request_url(full_procedure), {"last_name": "Benali", "altcha": proof("certificate")})

    assert "Des créneaux sont disponibles" in page and reverse("booking:start", args=[full_procedure.pk]) in page
    assert response.status_code == 409
    assert "aucune attestation ne peut être délivrée" in response.content.decode()
    assert not AttemptCertificate.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"last_name": "Ben\u202eali", "first_names": ""}, "caractère invisible"),
        ({"last_name": "", "first_names": "Yacine"}, "Indiquez aussi votre nom de famille"),
        ({"last_name": "B" * 151, "first_names": ""}, "150 caractères"),
    ],
)
def test_a_name_that_cannot_be_printed_is_refused_with_a_400(client, full_procedure, data, message):
    response = client.post(request_url(full_procedure), data)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not AttemptCertificate.objects.exists()


def test_a_procedure_not_open_online_has_no_certificate_page(client):
    counter_type = CounterTypeFactory(online_booking=False)

    assert client.get(request_url(counter_type)).status_code == 404
    assert client.post(request_url(counter_type), {}).status_code == 404


def test_the_verification_page_asks_for_the_code(client):
    response = client.get(reverse("attestations:verify"))

    assert response.status_code == 200
    assert "Code de vérification" in response.content.decode()


def test_verifying_by_the_form_shows_the_stored_facts(client, full_procedure):
    certificate = issue_certificate(counter_type=full_procedure, last_name="Benali")

    response = client.get(reverse("attestations:verify"), {"code": certificate.code.lower()})

    assert response.status_code == 200
    page = response.content.decode()
    assert "Attestation authentique" in page and "BENALI" in page and certificate.display_code in page


def test_an_unknown_code_is_not_genuine_with_a_404(client, full_procedure):
    certificate = issue_certificate(counter_type=full_procedure)
    wrong = certificate.code[:-1] + ("A" if certificate.code[-1] != "A" else "B")

    by_form = client.get(reverse("attestations:verify"), {"code": wrong})
    by_link = client.get(reverse("attestations:verify-code", args=[wrong]))

    for response in (by_form, by_link):
        assert response.status_code == 404
        assert NOT_GENUINE in response.content.decode()
    assert client.get(reverse("attestations:pdf", args=[wrong])).status_code == 404


def test_a_certificate_altered_in_the_database_is_not_genuine_and_its_facts_are_not_shown(client, full_procedure):
    certificate = issue_certificate(counter_type=full_procedure, last_name="Benali")
    AttemptCertificate.objects.filter(pk=certificate.pk).update(procedure_name="Naturalisation")

    response = client.get(reverse("attestations:verify-code", args=[certificate.display_code]))

    assert response.status_code == 404
    page = response.content.decode()
    assert NOT_GENUINE in page and "Naturalisation" not in page and "BENALI" not in page
    assert client.get(reverse("attestations:pdf", args=[certificate.display_code])).status_code == 404


def test_a_malformed_code_is_a_form_error_with_a_400(client):
    response = client.get(reverse("attestations:verify"), {"code": "12-34"})

    assert response.status_code == 400
    assert "12 lettres et chiffres" in response.content.decode()
    assert client.get(reverse("attestations:verify"), {"code": ""}).status_code == 400


def test_staff_reach_the_verification_page_from_their_home(client, agent):
    from tests.conftest import log_in

    log_in(client, agent)

    assert reverse("attestations:verify") in client.get(reverse("staff:home")).content.decode()


def test_the_admin_finds_a_certificate_by_its_printed_code_but_cannot_change_it(admin_client, full_procedure):
    certificate = issue_certificate(counter_type=full_procedure)
    other = issue_certificate(counter_type=full_procedure)
    changelist = reverse("admin:attestations_attemptcertificate_changelist")

    page = admin_client.get(changelist, {"q": certificate.display_code.lower()}).content.decode()
    change = admin_client.post(
        reverse("admin:attestations_attemptcertificate_change", args=[certificate.pk]),
        {"procedure_name": "Naturalisation"},
    )

    assert certificate.display_code in page and other.display_code not in page
    assert change.status_code == 403
    assert AttemptCertificate.objects.get(pk=certificate.pk).procedure_name == "Remise d'un titre de séjour"
