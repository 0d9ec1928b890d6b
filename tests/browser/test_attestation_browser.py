import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.factories import CounterTypeFactory, SiteFactory, SlotFactory, at, book_confirmed, next_weekday, person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_resident_finds_no_slot_downloads_a_certificate_and_the_verify_page_confirms_it(phone_page, tmp_path):
    page = phone_page
    site = SiteFactory(name="Préfecture de l'Hérault")
    procedure = CounterTypeFactory(site=site, name="Dépôt ou renouvellement d'un titre de séjour")
    starts_at = at(next_weekday(0), 9)
    SlotFactory(counter_type=procedure, starts_at=starts_at, capacity=1)
    book_confirmed(counter_type=procedure, starts_at=starts_at, person=person())  # the last place is gone

    page.goto("/rendez-vous/")
    page.get_by_role("link", name="Dépôt ou renouvellement d'un titre de séjour").click()
    # The procedure's first page says it at once (no place left), with the certificate.
    expect(page.get_by_role("heading", level=1)).to_contain_text("Démarche")
    expect(page.get_by_role("heading", name="Aucun créneau disponible pour le moment")).to_be_visible()
    page.get_by_role("link", name="Obtenir une attestation d'absence de créneau").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Attestation d'absence de créneau")
    page.get_by_label("Nom de famille (facultatif)").fill("Benali")
    page.get_by_label("Prénom(s) (facultatif)").fill("Yacine")
    page.get_by_role("button", name="Obtenir l'attestation").click()

    expect(page.get_by_role("heading", name="Attestation authentique")).to_be_visible()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger l'attestation (PDF)").click()
    download = download_info.value
    assert re.fullmatch(r"attestation-[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}\.pdf", download.suggested_filename)
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    text = PdfReader(path).pages[0].extract_text()
    assert "Dépôt ou renouvellement d'un titre de séjour" in text and "BENALI Yacine" in text
    code = re.search(r"Code de vérification\s+([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})", text).group(1)

    # Someone the resident shows the paper to: a fresh visit, the code typed by hand.
    page.context.clear_cookies()
    page.goto("/attestation/verifier/")
    page.get_by_label("Code de vérification").fill(code.lower().replace("-", " "))
    page.get_by_role("button", name="Vérifier").click()

    expect(page.get_by_role("heading", name="Attestation authentique")).to_be_visible()
    expect(page.get_by_text("BENALI Yacine")).to_be_visible()
    expect(page.get_by_text(code, exact=True)).to_be_visible()
    expect(page.get_by_text("Dépôt ou renouvellement d'un titre de séjour", exact=True)).to_be_visible()
