"""Every page of the public booking flow passes an axe audit with no serious or critical violation."""

import datetime as dt
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone

from counters.models import CounterType
from counters.services import generate_slots
from tests.browser.conftest import fill_date
from tests.factories import CounterFactory, CounterTypeFactory, OpeningRuleFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Axe()


def serious_violations(page) -> list[str]:
    results = AXE.run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_public_booking_pages_have_no_serious_accessibility_violation(phone_page):
    page = phone_page
    renewal = CounterTypeFactory(name="Renouvellement", eligibility=CounterType.Eligibility.RENEWAL)
    counter = CounterFactory(site=renewal.site, counter_types=[renewal])
    for weekday in range(5):
        OpeningRuleFactory(counter=counter, counter_type=renewal, weekday=weekday)
    generate_slots(days=14)
    audited = {}

    page.goto("/")
    audited["home"] = serious_violations(page)
    page.goto("/informations-pratiques/")
    audited["information"] = serious_violations(page)
    page.goto("/rendez-vous/")
    audited["procedures"] = serious_violations(page)
    page.get_by_role("link", name="Renouvellement").click()
    page.get_by_role("button", name="Continuer").click()  # empty: the error state is audited too
    audited["eligibility with errors"] = serious_violations(page)
    page.get_by_text("Renouvellement d'un titre de séjour").click()
    fill_date(
        page, re.compile("^Pour un renouvellement : date d'expiration"), timezone.localdate() + dt.timedelta(days=30)
    )
    page.get_by_role("button", name="Continuer").click()
    audited["slots"] = serious_violations(page)
    page.locator("input[name=starts_at]").first.check(force=True)
    page.get_by_role("button", name="Choisir cet horaire").click()
    page.get_by_role("button", name="Continuer").click()
    audited["identity with errors"] = serious_violations(page)

    assert {name: found for name, found in audited.items() if found} == {}


def test_the_audit_itself_catches_an_unlabelled_field(page):
    page.set_content('<html lang="fr"><head><title>t</title></head><body><main><input></main></body></html>')
    assert any(v.startswith("label") for v in serious_violations(page))
