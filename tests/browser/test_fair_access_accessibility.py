"""The certificate and transparency pages pass an axe audit with no serious or critical violation."""

import pytest

from booking.attestations.services import issue_certificate
from tests.browser.test_accessibility import serious_violations
from tests.factories import CounterTypeFactory, SiteFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_certificate_and_transparency_pages_have_no_serious_accessibility_violation(phone_page):
    page = phone_page
    site = SiteFactory(slug="herault")
    procedure = CounterTypeFactory(site=site, name="Remise d'un titre de séjour")
    certificate = issue_certificate(counter_type=procedure, last_name="Benali")
    audited = {}

    page.goto(f"/attestation/demarche/{procedure.pk}/")
    audited["request"] = serious_violations(page)
    page.get_by_label("Prénom(s) (facultatif)").fill("Yacine")
    page.get_by_label("Nom de famille (facultatif)").fill("")
    page.get_by_role("button", name="Obtenir l'attestation").click()
    audited["request with errors"] = serious_violations(page)
    page.goto(f"/attestation/verifier/{certificate.display_code}/")
    audited["genuine"] = serious_violations(page)
    page.goto("/attestation/verifier/?code=AAAA-AAAA-AAAA")
    audited["not genuine"] = serious_violations(page)
    page.goto("/attestation/verifier/?code=12")
    audited["malformed code"] = serious_violations(page)
    page.goto("/transparence/")
    audited["transparency index"] = serious_violations(page)
    page.goto("/transparence/herault/")
    audited["transparency site"] = serious_violations(page)

    assert {name: found for name, found in audited.items() if found} == {}
