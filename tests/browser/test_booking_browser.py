import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from booking.models import Booking
from counters.models import CounterType
from counters.services import generate_slots
from tests.browser.conftest import confirm_with_the_emailed_code, fill_date
from tests.factories import CounterTypeFactory, ExceptionalOpeningFactory, SiteFactory, days_through, next_weekday

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_resident_books_the_saturday_opening_from_the_home_page(phone_page):
    page = phone_page
    site = SiteFactory(name="Préfecture de l'Hérault", address="34 place des Martyrs de la Résistance")
    filing = CounterTypeFactory(
        site=site,
        name="Dépôt ou renouvellement d'un titre de séjour",
        eligibility=CounterType.Eligibility.RENEWAL,
        slot_duration_minutes=20,
        min_days_ahead=1,
    )
    cards = CounterTypeFactory(site=site, name="Remise d'un titre de séjour")
    saturday = next_weekday(5)
    ExceptionalOpeningFactory(
        site=site,
        date=saturday,
        places=200,
        counter_types=[filing, cards],
        announcement_title="Ouverture exceptionnelle samedi matin",
    )
    generate_slots(days=days_through(saturday))

    page.goto("/")
    expect(page.get_by_role("heading", name="Ouverture exceptionnelle samedi matin")).to_be_visible()
    page.get_by_role("link", name="Réserver : Dépôt ou renouvellement d'un titre de séjour").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Conditions")
    # A first application: no permit yet, so no expiry date to give.
    page.get_by_text("Première demande de titre de séjour").click()
    page.get_by_role("button", name="Continuer").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Date et horaire")
    page.get_by_role("link", name=re.compile(r"^sam")).click()
    expect(page.get_by_role("heading", name=re.compile("Choisissez un horaire le samedi"))).to_be_visible()
    page.get_by_text(re.compile(r"^08:50 – 09:10")).click()
    page.get_by_role("button", name="Choisir cet horaire").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Vos coordonnées")
    page.get_by_label("Nom de famille").fill("Benali")
    page.get_by_label("Prénom(s)").fill("Yacine")
    fill_date(page, "Date de naissance", dt.date(1988, 7, 14))
    page.get_by_label("Nationalité").select_option("DZ")
    page.get_by_label(re.compile(r"^Numéro étranger")).fill("7599988877")
    page.get_by_label(re.compile(r"^Adresse e-mail")).fill("yacine@example.org")
    page.get_by_label("Confirmez votre adresse e-mail").fill("yacine@example.org")
    page.get_by_role("button", name="Continuer").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Vérification")
    expect(page.get_by_text("Benali")).to_be_visible()
    page.get_by_text("J'atteste que les informations saisies sont exactes.").click()
    page.get_by_role("button", name="Réserver et recevoir le code").click()
    confirm_with_the_emailed_code(page)

    expect(page.get_by_role("heading", name="Votre rendez-vous est confirmé")).to_be_visible()
    booking = Booking.objects.select_related("slot").get()
    expect(page.get_by_text(booking.display_reference)).to_be_visible()
    assert booking.slot.opening is not None
    assert (booking.application_kind, booking.permit_expires_on) == ("first", None)
    assert timezone.localtime(booking.slot.starts_at) == dt.datetime.combine(
        saturday, dt.time(8, 50), tzinfo=timezone.get_current_timezone()
    )
    page.get_by_role("link", name="Voir mon rendez-vous").click()
    expect(page.get_by_role("heading", name="Mon rendez-vous", exact=True)).to_be_visible()
    expect(page.get_by_text("BENALI Yacine")).to_be_visible()
