"""Accessibility, phone and no-JavaScript checks in real Chromium (issue 11).

- Every public page and every step of the booking, manage, waiting-list, lottery and question flows, in French and in
  Arabic, on a 360×640 phone: an axe audit with no serious or critical violation, no horizontal scrolling,
  a screenshot of each step in test-results/screenshots/<language>/NN-step.png.
- Booking, moving and cancelling by keyboard alone; the first free time is a few key presses from the top.
- Booking, moving and cancelling with JavaScript switched off.

The walks find their way by addresses, ids and roles, not by words, so that the same walk runs in each language.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connections
from django.utils import timezone
from playwright.sync_api import expect

from booking.models import Booking
from booking.questions.models import Topic
from counters.models import CounterType
from counters.services import generate_slots
from tests.browser.test_accessibility import serious_violations
from tests.factories import CounterFactory, CounterTypeFactory, OpeningRuleFactory, SiteFactory
from tests.fairness import lottery_opening
from tests.flow import last_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(django_settings.BASE_DIR) / "test-results" / "screenshots"
PHONE = {"width": 360, "height": 640}


def open_context(browser, live_server, *, language: str, **options):
    context = browser.new_context(base_url=live_server.url, locale="fr-FR", timezone_id="Europe/Paris", **options)
    # The language a person chose with the switch is kept in this cookie (as after a click on "العربيّة").
    context.add_cookies([{"name": django_settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


@pytest.fixture
def open_page(browser, live_server):
    contexts = []

    def opener(*, language: str = "fr", **options):
        context, page = open_context(browser, live_server, language=language, **options)
        contexts.append(context)
        return page

    yield opener
    connections.close_all()
    for context in contexts:
        context.close()


def services():
    """A site with a renewal procedure open on weekdays, a procedure with no place (its waiting list) and a
    lottery opening."""
    site = SiteFactory(
        name="Préfecture de l'Hérault", slug="herault", email="accueil@herault.example", phone="04 67 61 61 61"
    )
    renewal = CounterTypeFactory(
        site=site, name="Renouvellement", eligibility=CounterType.Eligibility.RENEWAL, min_days_ahead=1
    )
    plain = CounterTypeFactory(site=site, name="Remise d'un titre de séjour", min_days_ahead=1)
    counter = CounterFactory(site=site, counter_types=[renewal, plain])
    for weekday in range(5):
        OpeningRuleFactory(counter=counter, counter_type=renewal, weekday=weekday)
        OpeningRuleFactory(counter=counter, counter_type=plain, weekday=weekday)
    generate_slots(days=21)
    full = CounterTypeFactory(site=site, name="Admission exceptionnelle au séjour")
    opening = lottery_opening(places=10, counter_types=[CounterTypeFactory(site=site, name="Naturalisation")])
    # The topics of questions: those of the data migration, unless a test before this one flushed them.
    topic = Topic.objects.order_by("pk").first() or Topic.objects.create(name="Renouvellement", faq_topic="renewal")
    return {"site": site, "renewal": renewal, "plain": plain, "full": full, "opening": opening, "topic": topic}


class Audit:
    """Each step: an axe audit, no horizontal scrolling, a screenshot. Collects what fails, to say it all at once."""

    def __init__(self, page, language: str):
        self.page, self.language, self.count, self.failures = page, language, 0, {}
        self.folder = SCREENSHOTS / language
        self.folder.mkdir(parents=True, exist_ok=True)
        for old in self.folder.glob("*.png"):
            old.unlink()

    def __call__(self, step: str) -> None:
        self.count += 1
        page = self.page
        assert page.locator("html").get_attribute("lang") == self.language, step
        found = serious_violations(page)
        widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        if widths[0] > widths[1]:
            found.append(f"horizontal scrolling: {widths[0]}px of content in {widths[1]}px: {overflowing(page)}")
        if found:
            self.failures[step] = found
        page.screenshot(path=str(self.folder / f"{self.count:02d}-{step}.png"))


def overflowing(page) -> list[str]:
    """The first elements that reach past the screen's edge (either edge: Arabic is laid out from the right)."""
    return page.evaluate(
        """() => [...document.querySelectorAll("body *")].filter(e => {
            const r = e.getBoundingClientRect();
            return r.width && (r.right > document.documentElement.clientWidth + 0.5 || r.left < -0.5);
        }).slice(0, 4).map(e => e.tagName.toLowerCase() + "." + [...e.classList].join("."))"""
    )


def submit(page) -> None:
    """The page's form's button (the header's language buttons are forms too, outside the main content)."""
    page.locator("#content form [type=submit]").first.click()


def fill_date_by_id(page, name: str, day: dt.date) -> None:
    for index, part in enumerate((day.day, day.month, day.year)):
        page.locator(f"#id_{name}_{index}").fill(str(part))


def fill_identity(page, *, email: str = "yacine@example.org", number: str = "7599988877") -> None:
    page.locator("#id_last_name").fill("Benali")
    page.locator("#id_first_names").fill("Yacine")
    fill_date_by_id(page, "birth_date", dt.date(1988, 7, 14))
    page.locator("#id_nationality").select_option("DZ")
    page.locator("#id_foreigner_number").fill(number)
    page.locator("#id_email").fill(email)
    page.locator("#id_email_confirmation").fill(email)


def send_and_confirm(page, audit, step: str, *, lands_on: str) -> None:
    """Send a request form (its anti-robot check runs in the page), audit the code page, type the e-mailed code."""
    page.locator("#id_certify").check(force=True)
    submit(page)
    expect(page.locator("#id_code")).to_be_visible()
    audit(f"{step}-code")
    page.locator("#id_code").fill(last_code())
    submit(page)
    page.wait_for_url(lands_on)
    audit(step)


def in_view(page, selector: str) -> bool:
    return page.locator(selector).evaluate(
        "e => { const r = e.getBoundingClientRect(); return r.top >= 0 && r.bottom <= window.innerHeight; }"
    )


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_every_page_and_step_on_a_phone_passes_axe_without_horizontal_scrolling(open_page, settings, language):
    data = services()
    page = open_page(language=language, viewport=PHONE, is_mobile=True, has_touch=True)
    audit = Audit(page, language)

    for step, path in [
        ("home", "/"),
        ("practical-information", "/informations-pratiques/"),
        ("faq", "/questions-frequentes/"),
        ("accessibility-statement", "/accessibilite/"),
        ("transparency", "/transparence/"),
        ("transparency-site", "/transparence/herault/"),
        ("certificate-verify", "/attestation/verifier/"),
        ("certificate-request", f"/attestation/demarche/{data['full'].pk}/"),
        ("lottery", f"/tirage/{data['opening'].pk}/"),
        ("lottery-registration", f"/tirage/{data['opening'].pk}/inscription/{data['opening'].counter_types.get().pk}/"),
        ("waiting-list", f"/liste-attente/demarche/{data['full'].pk}/"),
        ("not-found", "/cette-page-n-existe-pas/"),
        ("lost-link", "/mon-rendez-vous/lien-perdu/"),
    ]:
        page.goto(path)
        audit(step)
    submit(page)  # the lost link's form, empty: its error state
    expect(page.locator("#form-errors")).to_be_focused()
    audit("lost-link-errors")
    page.goto(f"/liste-attente/demarche/{data['full'].pk}/")
    submit(page)
    expect(page.locator("#form-errors")).to_be_focused()
    audit("waiting-list-errors")
    fill_identity(page, email="liste@example.org", number="7500000001")
    page.locator("input[name=weekdays]").first.check(force=True)
    send_and_confirm(page, audit, "waiting-list-entry", lands_on="**/liste-attente/inscription/**")

    # The lottery: registering, with the error state first.
    page.goto(f"/tirage/{data['opening'].pk}/inscription/{data['opening'].counter_types.get().pk}/")
    submit(page)
    expect(page.locator("#form-errors")).to_be_focused()
    audit("lottery-registration-errors")
    fill_identity(page, email="tirage@example.org", number="7500000002")
    send_and_confirm(page, audit, "lottery-registered", lands_on="**/tirage/mon-inscription/**")

    # Booking: the procedures, the questions (empty first: the error summary takes the focus), the days.
    page.goto("/rendez-vous/")
    audit("procedures")
    page.locator(f"a[href='/rendez-vous/demarche/{data['renewal'].pk}/']").click()
    audit("eligibility")
    submit(page)
    expect(page.locator("#form-errors")).to_be_focused()  # autofocus: no script needed
    audit("eligibility-errors")
    page.locator("input[name=application_kind][value=permit_renewal]").check(force=True)
    fill_date_by_id(page, "permit_expires_on", timezone.localdate() + dt.timedelta(days=40))
    submit(page)
    expect(page.locator(".slot-days").first).to_be_visible()
    audit("slot")
    # Another day: its times are on screen, not 2,000 pixels below the days.
    page.locator(".slot-days a").nth(1).click()
    assert page.url.endswith("#horaires")
    assert in_view(page, "#horaires"), "the chosen day's times are not in view"
    audit("slot-day-chosen")
    page.locator("input[name=starts_at]").first.check(force=True)
    submit(page)
    expect(page.locator("#id_last_name")).to_be_visible()
    submit(page)  # empty
    expect(page.locator("#form-errors")).to_be_focused()  # autofocus: no script needed
    audit("identity-errors")
    fill_identity(page)
    submit(page)
    expect(page.locator("#id_certify")).to_be_attached()
    audit("review")
    page.locator("#id_certify").check(force=True)
    submit(page)  # the anti-robot check runs in the page, then sends the form
    expect(page.locator("#id_code")).to_be_visible()
    audit("code")
    page.locator("#id_code").fill(last_code())
    submit(page)
    booking = Booking.objects.get()
    expect(page.locator(f"a[href='/mon-rendez-vous/{booking.token}/']")).to_be_visible()
    audit("confirmation")

    # Managing it: the booking, moving (the day of the appointment and another), cancelling.
    page.goto(f"/mon-rendez-vous/{booking.token}/")
    audit("manage")
    page.goto(f"/mon-rendez-vous/{booking.token}/deplacer/")
    audit("move")
    page.locator(".slot-days a:not([aria-current])").first.click()
    assert in_view(page, "#horaires")
    audit("move-day-chosen")
    page.goto(f"/mon-rendez-vous/{booking.token}/annuler/")
    audit("cancel")
    submit(page)
    page.wait_for_url(f"**/mon-rendez-vous/{booking.token}/")
    audit("cancelled")
    assert Booking.objects.get().status == Booking.Status.CANCELLED

    # A written question (booking.questions): the form with its errors, the preview with the FAQ, the code, the thread.
    page.goto("/poser-une-question/")
    audit("question")
    submit(page)
    audit("question-errors")
    page.locator("#id_site").select_option(str(data["site"].pk))
    page.locator("#id_topic").select_option(str(data["topic"].pk))
    page.locator("#id_body").fill("Mon titre expire en mars : quand déposer ma demande de renouvellement ?")
    page.locator("#id_email").fill("yacine@example.org")
    submit(page)
    page.wait_for_url("**/poser-une-question/")
    audit("question-preview")
    submit(page)  # the anti-robot check runs in the page, then sends the question
    expect(page.locator("#id_code")).to_be_visible()
    audit("question-code")
    page.locator("#id_code").fill(last_code())
    submit(page)
    page.wait_for_url("**/ma-question/**")
    audit("question-thread")

    # Too many requests: the lost link asked for once more than the limit allows.
    settings.RATE_LIMITS = {"lost-link:email": (0, 3600)}
    page.goto("/mon-rendez-vous/lien-perdu/")
    page.locator("#id_reference").fill(booking.display_reference)
    page.locator("#id_email").fill("yacine@example.org")
    submit(page)  # the anti-robot check runs in the page, then sends the form
    page.wait_for_load_state()
    expect(page.locator("#id_reference")).to_have_count(0)
    audit("too-many-requests")

    assert audit.failures == {}
    assert len(list(audit.folder.glob("*.png"))) == audit.count


def tab_to(page, selector: str, *, limit: int = 80) -> int:
    """Press Tab until the focus is on `selector`; how many presses it took."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if page.evaluate("s => !!document.activeElement && document.activeElement.matches(s)", selector):
            return presses
    raise AssertionError(f"{selector} not reached in {limit} Tabs")


def type_into(page, selector: str, text: str) -> None:
    tab_to(page, selector)
    page.keyboard.type(text)


def test_booking_moving_and_cancelling_by_keyboard_alone(open_page):
    data = services()
    page = open_page(language="fr")

    page.goto("/rendez-vous/")
    tab_to(page, f"a[href='/rendez-vous/demarche/{data['plain'].pk}/']")
    page.keyboard.press("Enter")

    # The slot page: from its top, the first time is a few key presses away (the "Horaires" skip link).
    expect(page.locator("#horaires")).to_be_visible()
    presses = tab_to(page, "a[href='#horaires']")
    page.keyboard.press("Enter")
    presses += 1 + tab_to(page, "input[name=starts_at]")
    assert presses <= 4, f"{presses} key presses from the top of the slot page to the first time"
    page.keyboard.press("Space")
    tab_to(page, "#content form [type=submit]")
    page.keyboard.press("Enter")

    expect(page.locator("#id_last_name")).to_be_visible()
    # Sent empty: the focus is on the error summary; its first link leads to the first box to correct.
    tab_to(page, "#content form [type=submit]")
    page.keyboard.press("Enter")
    expect(page.locator("#form-errors")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.locator("#form-errors a").first).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#id_last_name")).to_be_focused()
    page.keyboard.type("Benali")
    type_into(page, "#id_first_names", "Yacine")
    for index, part in enumerate(("14", "7", "1988")):
        type_into(page, f"#id_birth_date_{index}", part)
    tab_to(page, "#id_nationality")
    page.keyboard.type("Algérie")  # a select chooses the option its typed letters begin
    type_into(page, "#id_foreigner_number", "7599988877")
    type_into(page, "#id_email", "yacine@example.org")
    type_into(page, "#id_email_confirmation", "yacine@example.org")
    page.keyboard.press("Enter")

    expect(page.locator("#id_certify")).to_be_attached()
    tab_to(page, "#id_certify")
    page.keyboard.press("Space")
    tab_to(page, "#content form [type=submit]")
    page.keyboard.press("Enter")
    expect(page.locator("#id_code")).to_be_visible()
    type_into(page, "#id_code", last_code())
    page.keyboard.press("Enter")
    page.wait_for_url("**/rendez-vous/confirmation/**")
    booking = Booking.objects.get()
    assert booking.status == Booking.Status.CONFIRMED
    assert booking.nationality == "DZ"
    first_slot = booking.slot_id

    tab_to(page, f"a[href='/mon-rendez-vous/{booking.token}/']")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/mon-rendez-vous/{booking.token}/")
    tab_to(page, f"a[href='/mon-rendez-vous/{booking.token}/deplacer/']")
    page.keyboard.press("Enter")
    expect(page.locator("#horaires")).to_be_visible()
    presses = tab_to(page, "a[href='#horaires']")
    page.keyboard.press("Enter")
    presses += 1 + tab_to(page, "input[name=starts_at]:not([disabled])")
    assert presses <= 4, f"{presses} key presses from the top of the move page to the first time"
    page.keyboard.press("Space")
    tab_to(page, "#content form [type=submit]")
    page.keyboard.press("Enter")
    expect(page.locator(f"a[href='/mon-rendez-vous/{booking.token}/annuler/']")).to_be_visible()
    booking.refresh_from_db()
    assert booking.slot_id != first_slot

    tab_to(page, f"a[href='/mon-rendez-vous/{booking.token}/annuler/']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/annuler/")
    tab_to(page, "#content form [type=submit]")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Rendez-vous annulé")
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED


def test_booking_moving_and_cancelling_without_javascript(open_page, settings):
    settings.POW_SLOW_PATH_SECONDS = 1  # without JavaScript, the anti-robot check is a wait before sending
    data = services()
    page = open_page(language="ar", viewport=PHONE, is_mobile=True, java_script_enabled=False)

    page.goto("/rendez-vous/")
    page.locator(f"a[href='/rendez-vous/demarche/{data['plain'].pk}/']").click()
    page.locator(".slot-days a").nth(1).click()
    assert in_view(page, "#horaires")
    page.locator("input[name=starts_at]").first.check(force=True)
    submit(page)
    expect(page.locator("#id_last_name")).to_be_visible()
    fill_identity(page)
    submit(page)
    page.locator("#id_certify").check(force=True)
    page.wait_for_timeout(1_100)
    submit(page)
    page.locator("#id_code").fill(last_code())
    submit(page)
    page.wait_for_url("**/rendez-vous/confirmation/**")
    booking = Booking.objects.get()
    assert booking.status == Booking.Status.CONFIRMED and booking.language == "ar"
    first_slot = booking.slot_id

    page.goto(f"/mon-rendez-vous/{booking.token}/deplacer/")
    page.locator(".slot-days a:not([aria-current])").first.click()
    page.locator("input[name=starts_at]:not([disabled])").first.check(force=True)
    submit(page)
    expect(page.locator(f"a[href='/mon-rendez-vous/{booking.token}/annuler/']")).to_be_visible()
    booking.refresh_from_db()
    assert booking.slot_id != first_slot

    page.goto(f"/mon-rendez-vous/{booking.token}/annuler/")
    submit(page)
    page.wait_for_url(f"**/mon-rendez-vous/{booking.token}/")
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED
