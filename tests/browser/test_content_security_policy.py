"""In real Chromium, the Content-Security-Policy blocks nothing the pages need, and the DSFR still works."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from booking.roles import HEAD_GROUP, sync_staff_groups
from tests.browser.conftest import confirm_with_the_emailed_code, fill_date, log_in_browser
from tests.conftest import STAFF_PASSWORD
from tests.factories import CounterTypeFactory, SlotFactory, at, book_confirmed, person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Playwright injects this through the DevTools protocol, outside the page's policy.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`);
});
"""


class ViolationRecorder:
    """Collects the policy's reports: the page's own events and the console's messages."""

    def __init__(self, page):
        self.page = page
        self.console = []
        page.add_init_script(RECORD_VIOLATIONS)
        page.on("console", self._on_console)

    def _on_console(self, message):
        if "Content Security Policy" in message.text or "Permissions-Policy" in message.text:
            self.console.append(message.text)

    def collect(self) -> list[str]:
        return self.console + self.page.evaluate("window.__cspViolations || []")

    def assert_none(self):
        assert self.collect() == []


def test_booking_steps_run_without_a_single_policy_violation(phone_page):
    page = phone_page
    recorder = ViolationRecorder(page)
    counter_type = CounterTypeFactory(name="Remise d'un titre de séjour", min_days_ahead=0)
    day = timezone.localdate() + dt.timedelta(days=3)
    SlotFactory(counter_type=counter_type, starts_at=at(day, 10), capacity=3)

    page.goto("/")
    recorder.assert_none()
    page.goto("/rendez-vous/")
    page.get_by_role("link", name="Remise d'un titre de séjour").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Date et horaire")
    recorder.assert_none()
    page.get_by_text(re.compile(r"^10:00 – 10:15")).click()
    page.get_by_role("button", name="Choisir cet horaire").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Vos coordonnées")
    recorder.assert_none()
    page.get_by_label("Nom de famille").fill("Haddad")
    page.get_by_label("Prénom(s)").fill("Rania")
    fill_date(page, "Date de naissance", dt.date(1991, 2, 3))
    page.get_by_label("Nationalité").select_option("LB")
    page.get_by_label(re.compile(r"^Numéro étranger")).fill("7511122233")
    page.get_by_label(re.compile(r"^Adresse e-mail")).fill("rania@example.org")
    page.get_by_label("Confirmez votre adresse e-mail").fill("rania@example.org")
    page.get_by_role("button", name="Continuer").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Vérification")
    page.get_by_text("J'atteste que les informations saisies sont exactes.").click()
    page.get_by_role("button", name="Réserver et recevoir le code").click()
    confirm_with_the_emailed_code(page)
    expect(page.get_by_role("heading", name="Votre rendez-vous est confirmé")).to_be_visible()
    recorder.assert_none()


def test_the_dsfr_menu_and_language_switch_work_under_the_policy(phone_page):
    page = phone_page
    recorder = ViolationRecorder(page)
    page.goto("/")
    menu = page.locator("#menu-modal")
    expect(menu).to_be_hidden()
    page.get_by_role("button", name="Menu").click()
    expect(menu).to_be_visible()  # opened by the DSFR's script, loaded under the policy
    # The DSFR's script copied the header's tools into the menu, the language switch with them.
    menu.locator("summary").filter(has_text="Choisir une langue").click()
    switch = menu.get_by_role("button", name="English")
    expect(switch).to_be_visible()
    switch.click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    recorder.assert_none()


def test_staff_pages_and_the_statistics_chart_show_without_a_policy_violation(page, live_server, django_user_model):
    head = django_user_model.objects.create_user(username="cheffe", password=STAFF_PASSWORD, is_staff=True)
    head.groups.add(sync_staff_groups()[HEAD_GROUP])
    slot = SlotFactory(starts_at=at(timezone.localdate(), 23, 30), capacity=2)
    book_confirmed(counter_type=slot.counter_type, starts_at=slot.starts_at, person=person())
    recorder = ViolationRecorder(page)

    log_in_browser(page, head, "/agents/agenda/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Agenda du")
    recorder.assert_none()
    page.goto("/agents/statistiques/")
    chart = page.get_by_role("img", name=re.compile("^Rendez-vous par jour : présents, absents"))
    expect(chart).to_be_visible()
    assert chart.bounding_box()["width"] > 100  # sized by the stylesheet now that it has no style attribute
    recorder.assert_none()
