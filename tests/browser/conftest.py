"""Real-browser tests: Playwright driving Debian's Chromium against pytest-django's live server."""

import os

import pytest
from django.db import connections

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests
# make around it are still plain synchronous code.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


def _open_page(browser, live_server, **context_options):
    context = browser.new_context(
        base_url=live_server.url, locale="fr-FR", timezone_id="Europe/Paris", **context_options
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


@pytest.fixture
def page(browser, live_server):
    """A desktop browser, as at the agents' counters."""
    context, page = _open_page(browser, live_server)
    yield page
    # Queries made while Playwright's loop runs use a connection of their own (Django's
    # connections are context-local); close it, or the test database cannot be dropped.
    connections.close_all()
    context.close()


@pytest.fixture
def phone_page(browser, live_server):
    """A phone-sized browser, as most residents book."""
    context, page = _open_page(browser, live_server, viewport={"width": 390, "height": 844}, is_mobile=True)
    yield page
    connections.close_all()
    context.close()


def log_in_browser(page, user, next_path: str = "/agents/", *, sites=None) -> None:
    """Log in as a person does: the staff login page, the password, then the code the user's app shows.

    `sites`: those the user works at; left out, every site existing now (as tests.conftest.log_in).
    """
    from counters.models import Site
    from tests.conftest import STAFF_PASSWORD, assign_sites, current_code, give_second_factor

    assign_sites(user, Site.objects.all() if sites is None else sites)
    device = give_second_factor(user)
    page.goto(f"/agents/connexion/?next={next_path}")
    page.get_by_label("Identifiant").fill(user.get_username())
    page.get_by_label("Mot de passe").fill(STAFF_PASSWORD)
    page.get_by_role("button", name="Continuer").click()
    page.get_by_label("Code de vérification").fill(current_code(device))
    page.get_by_role("button", name="Se connecter").click()


def confirm_with_the_emailed_code(page):
    """On the code page the review step leads to, type the code the e-mail carries, as a resident does."""
    from playwright.sync_api import expect

    from tests.flow import last_code

    expect(page.get_by_role("heading", name="Consultez votre messagerie")).to_be_visible()
    page.get_by_label("Code à 6 chiffres").fill(last_code())
    page.get_by_role("button", name="Confirmer mon rendez-vous").click()


def fill_date(page, legend, day) -> None:
    """Type a date as a person does in the DSFR date fields of the group named `legend`: its three boxes, in
    the order shown whatever the language (day, month, year)."""
    boxes = page.get_by_role("group", name=legend).get_by_role("textbox")
    for index, part in enumerate((day.day, day.month, day.year)):
        boxes.nth(index).fill(str(part))
