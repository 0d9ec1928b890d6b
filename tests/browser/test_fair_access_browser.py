"""In real Chromium: booking without JavaScript through the slow path, confirming from the e-mail's link,
and the new pages (code, link, too many requests) pass an axe audit."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from booking.models import Booking
from booking.services import book_appointment
from tests.browser.conftest import fill_date
from tests.browser.test_accessibility import serious_violations
from tests.factories import CounterTypeFactory, SlotFactory, at, person
from tests.flow import last_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def no_script_page(browser, live_server):
    """A phone with JavaScript switched off."""
    context = browser.new_context(
        base_url=live_server.url,
        locale="fr-FR",
        timezone_id="Europe/Paris",
        java_script_enabled=False,
        viewport={"width": 390, "height": 844},
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    from django.db import connections

    connections.close_all()
    context.close()


def fill_identity(page, email="rania@example.org"):
    page.get_by_label("Nom de famille").fill("Haddad")
    page.get_by_label("Prénom(s)").fill("Rania")
    fill_date(page, "Date de naissance", dt.date(1991, 2, 3))
    page.get_by_label("Nationalité").select_option("LB")
    page.get_by_label(re.compile(r"^Numéro étranger")).fill("7511122233")
    page.get_by_label(re.compile(r"^Adresse e-mail")).fill(email)
    page.get_by_label("Confirmez votre adresse e-mail").fill(email)
    page.get_by_role("button", name="Continuer").click()


def test_without_javascript_a_resident_books_through_the_slow_path(no_script_page, settings):
    settings.POW_SLOW_PATH_SECONDS = 3
    page = no_script_page
    counter_type = CounterTypeFactory(name="Remise d'un titre de séjour", min_days_ahead=0)
    SlotFactory(counter_type=counter_type, starts_at=at(timezone.localdate() + dt.timedelta(days=3), 10), capacity=2)

    page.goto("/rendez-vous/")
    page.get_by_role("link", name="Remise d'un titre de séjour").click()
    page.get_by_text(re.compile(r"^10:00 – 10:15")).click()
    page.get_by_role("button", name="Choisir cet horaire").click()
    fill_identity(page)
    expect(page.get_by_text("sans JavaScript, envoyez ce formulaire au moins 3 secondes")).to_be_visible()
    page.get_by_text("J'atteste que les informations saisies sont exactes.").click()
    page.get_by_role("button", name="Réserver et recevoir le code").click()
    # Too early: said plainly, with the seconds left, everything kept.
    expect(page.get_by_text(re.compile(r"Renvoyez-le dans \d secondes?"))).to_be_visible()
    assert not Booking.objects.exists()
    page.wait_for_timeout(3_100)
    page.get_by_role("button", name="Réserver et recevoir le code").click()

    expect(page.get_by_role("heading", name="Consultez votre messagerie")).to_be_visible()
    page.get_by_label("Code à 6 chiffres").fill(last_code())
    page.get_by_role("button", name="Confirmer mon rendez-vous").click()
    expect(page.get_by_role("heading", name="Votre rendez-vous est confirmé")).to_be_visible()
    assert Booking.objects.get().status == Booking.Status.CONFIRMED


def test_with_javascript_the_check_runs_by_itself_and_says_so(phone_page):
    page = phone_page
    counter_type = CounterTypeFactory(name="Remise d'un titre de séjour", min_days_ahead=0)
    SlotFactory(counter_type=counter_type, starts_at=at(timezone.localdate() + dt.timedelta(days=3), 10), capacity=2)
    page.goto("/rendez-vous/")
    page.get_by_role("link", name="Remise d'un titre de séjour").click()
    page.get_by_text(re.compile(r"^10:00 – 10:15")).click()
    page.get_by_role("button", name="Choisir cet horaire").click()
    fill_identity(page)
    status = page.get_by_role("status").filter(has_text="Vérification anti-robot")
    expect(status).to_have_text("Vérification anti-robot terminée.")
    assert page.locator("input[name=altcha]").input_value() != ""


def test_the_emailed_link_opens_a_page_whose_button_confirms(page, live_server, settings):
    settings.SITE_URL = live_server.url
    slot = SlotFactory(starts_at=at(timezone.localdate() + dt.timedelta(days=3), 10), capacity=1)
    held = book_appointment(counter_type=slot.counter_type, starts_at=slot.starts_at, person=person())
    [code_email] = mail.outbox
    link = re.search(rf"{re.escape(live_server.url)}/rendez-vous/valider/\S+/", code_email.body).group(0)

    page.goto(link)
    expect(page.get_by_role("heading", name="Confirmez votre rendez-vous")).to_be_visible()
    held.refresh_from_db()
    assert held.status == Booking.Status.HELD  # opening the link confirms nothing
    page.get_by_role("button", name="Confirmer mon rendez-vous").click()
    expect(page.get_by_role("heading", name="Votre rendez-vous est confirmé")).to_be_visible()
    held.refresh_from_db()
    assert held.status == Booking.Status.CONFIRMED


def test_the_code_link_and_429_pages_have_no_serious_accessibility_violation(phone_page, live_server, settings):
    page = phone_page
    settings.SITE_URL = live_server.url
    settings.RATE_LIMITS = {"code:ip": (1, 3600)}
    counter_type = CounterTypeFactory(name="Remise d'un titre de séjour", min_days_ahead=0)
    SlotFactory(counter_type=counter_type, starts_at=at(timezone.localdate() + dt.timedelta(days=3), 10), capacity=2)
    audited = {}

    page.goto("/rendez-vous/")
    page.get_by_role("link", name="Remise d'un titre de séjour").click()
    page.get_by_text(re.compile(r"^10:00 – 10:15")).click()
    page.get_by_role("button", name="Choisir cet horaire").click()
    fill_identity(page)
    audited["review"] = serious_violations(page)
    page.get_by_text("J'atteste que les informations saisies sont exactes.").click()
    page.get_by_role("button", name="Réserver et recevoir le code").click()
    expect(page.get_by_role("heading", name="Consultez votre messagerie")).to_be_visible()
    audited["code"] = serious_violations(page)
    page.get_by_label("Code à 6 chiffres").fill("12")
    page.get_by_role("button", name="Confirmer mon rendez-vous").click()
    audited["code with errors"] = serious_violations(page)
    for _ in range(2):  # a wrong code, then one more than the limit allows
        page.get_by_label("Code à 6 chiffres").fill("000000")
        page.get_by_role("button", name="Confirmer mon rendez-vous").click()
    expect(page.get_by_role("heading", name="Trop de demandes")).to_be_visible()
    audited["too many requests"] = serious_violations(page)
    page.goto(re.search(r"/rendez-vous/valider/\S+/", mail.outbox[0].body).group(0))
    audited["link"] = serious_violations(page)

    assert {name: found for name, found in audited.items() if found} == {}
