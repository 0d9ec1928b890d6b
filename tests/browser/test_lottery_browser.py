"""In Chromium: a resident registers for a lottery opening, proves their address with the e-mailed code, joins
the waiting list of the procedure (which has no place), and downloads a certificate of the attempt; the new
pages pass an axe audit with no serious or critical violation."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from booking.lottery.drawing import draw_lottery
from booking.lottery.models import Registration
from booking.services import cancel_booking, release_withheld_places
from booking.waitlist.models import Offer, WaitlistEntry
from counters.models import WithheldPlace
from tests.browser.conftest import fill_date
from tests.browser.test_accessibility import serious_violations
from tests.factories import CounterTypeFactory, SiteFactory, SlotFactory, at, book_confirmed, next_weekday, person
from tests.fairness import draw_time, lottery_opening, registered, waiting
from tests.flow import last_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PROCEDURE = "Admission exceptionnelle au séjour"


def fill_identity(page, email="rania@example.org"):
    page.get_by_label("Nom de famille").fill("Haddad")
    page.get_by_label("Prénom(s)").fill("Rania")
    fill_date(page, "Date de naissance", dt.date(1991, 2, 3))
    page.get_by_label("Nationalité").select_option("LB")
    page.get_by_label(re.compile(r"^Numéro étranger")).fill("7511122233")
    page.get_by_label(re.compile(r"^Adresse e-mail")).fill(email)
    page.get_by_label("Confirmez votre adresse e-mail").fill(email)


def type_the_emailed_code(page):
    expect(page.get_by_role("heading", name="Consultez votre messagerie")).to_be_visible()
    page.get_by_label("Code à 6 chiffres").fill(last_code())
    page.get_by_role("button", name="Confirmer mon inscription").click()


def test_a_resident_registers_for_a_lottery_joins_the_waiting_list_and_downloads_a_certificate(phone_page, tmp_path):
    page = phone_page
    site = SiteFactory(name="Préfecture des Hauts-de-Seine", slug="hauts-de-seine")
    procedure = CounterTypeFactory(site=site, name=PROCEDURE)
    opening = lottery_opening(places=60, counter_types=[procedure])
    audited = {}

    # The home page announces the lottery; its page says how it works and what is committed to.
    page.goto("/")
    page.locator(f"#opening-{opening.pk}").get_by_role("link", name="S'inscrire au tirage au sort").click()
    expect(page.get_by_role("heading", name="Comment ça marche")).to_be_visible()
    expect(page.get_by_text(opening.lottery.seed_commitment)).to_be_visible()
    audited["lottery page"] = serious_violations(page)
    page.get_by_role("link", name=f"M'inscrire : {PROCEDURE}").click()

    expect(page.get_by_role("heading", name="Inscription au tirage au sort")).to_be_visible()
    page.get_by_role("button", name="M'inscrire au tirage et recevoir le code").click()  # empty: errors
    expect(page.get_by_text("Ce champ est obligatoire.").first).to_be_visible()
    audited["registration with errors"] = serious_violations(page)
    fill_identity(page)
    page.get_by_text("J'atteste que les informations saisies sont exactes.", exact=True).click()
    page.get_by_role("button", name="M'inscrire au tirage et recevoir le code").click()
    expect(page.get_by_role("heading", name="Consultez votre messagerie")).to_be_visible()
    audited["registration code"] = serious_violations(page)
    type_the_emailed_code(page)

    expect(page.get_by_role("heading", name="Vous êtes inscrit au tirage au sort")).to_be_visible()
    registration = Registration.objects.get()
    assert registration.status == Registration.Status.REGISTERED
    expect(page.get_by_text(registration.registration_hash)).to_be_visible()
    audited["registration"] = serious_violations(page)

    # No place for this procedure (its only slots are the lottery's): the waiting list.
    page.goto("/rendez-vous/")
    page.get_by_role("link", name=PROCEDURE).click()
    expect(page.get_by_role("heading", name="Aucun créneau disponible pour le moment")).to_be_visible()
    audited["slots with the waiting list"] = serious_violations(page)
    page.get_by_role("link", name="Rejoindre la liste d'attente").click()
    expect(page.get_by_role("heading", name="Liste d'attente")).to_be_visible()
    fill_identity(page)
    page.get_by_text("mardi", exact=True).click()
    page.get_by_text("samedi", exact=True).click()
    page.get_by_text("J'atteste que les informations saisies sont exactes.").click()
    audited["waiting list"] = serious_violations(page)
    page.get_by_role("button", name="M'inscrire et recevoir le code").click()
    type_the_emailed_code(page)
    expect(page.get_by_role("heading", name="Vous êtes sur la liste d'attente")).to_be_visible()
    audited["waiting-list entry"] = serious_violations(page)
    entry = WaitlistEntry.objects.get()
    assert (entry.status, entry.weekday_numbers) == (WaitlistEntry.Status.WAITING, [1, 5])
    assert len({message.to[0] for message in mail.outbox}) == 1 and len(mail.outbox) <= 5

    # And a certificate that no slot was offered.
    page.goto("/rendez-vous/")
    page.get_by_role("link", name=PROCEDURE).click()
    page.get_by_role("link", name="Obtenir une attestation d'absence de créneau").click()
    page.get_by_label("Nom de famille (facultatif)").fill("Haddad")
    page.get_by_label("Prénom(s) (facultatif)").fill("Rania")
    page.get_by_role("button", name="Obtenir l'attestation").click()
    expect(page.get_by_role("heading", name="Attestation authentique")).to_be_visible()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger l'attestation (PDF)").click()
    path = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(path)
    text = PdfReader(path).pages[0].extract_text()
    assert PROCEDURE in text and "HADDAD Rania" in text

    assert {name: found for name, found in audited.items() if found} == {}


def test_the_draw_the_result_the_one_step_join_and_an_offer_pass_an_accessibility_audit(
    phone_page, live_server, settings
):
    page = phone_page
    settings.SITE_URL = live_server.url
    procedure = CounterTypeFactory(name=PROCEDURE)
    opening = lottery_opening(places=1, counter_types=[procedure])
    for n in range(3):
        registered(opening, n)
    draw_lottery(lottery_id=opening.lottery.pk, now=draw_time(opening))
    drawn = Registration.objects.get(status=Registration.Status.DRAWN)
    reserve = Registration.objects.filter(status=Registration.Status.RESERVE).first()
    audited = {}

    page.goto(f"/tirage/{opening.pk}/?empreinte={reserve.registration_hash}")
    expect(page.get_by_text(re.compile(r"Cette inscription est au rang \d du tirage"))).to_be_visible()
    audited["published draw"] = serious_violations(page)
    page.goto(f"/tirage/mon-inscription/{drawn.token}/")
    expect(page.get_by_role("heading", name="Vous avez été tiré au sort")).to_be_visible()
    audited["drawn"] = serious_violations(page)
    page.get_by_role("link", name="Voir et confirmer mon rendez-vous").click()
    expect(page.get_by_role("heading", name="Confirmez votre rendez-vous")).to_be_visible()
    page.get_by_role("button", name="Confirmer mon rendez-vous").click()
    expect(page.get_by_role("heading", name="Votre rendez-vous est confirmé")).to_be_visible()

    page.goto(f"/tirage/mon-inscription/{reserve.token}/")
    expect(page.get_by_role("heading", name="Vous n'avez pas été tiré au sort")).to_be_visible()
    audited["not drawn"] = serious_violations(page)
    page.get_by_role("link", name="Rejoindre la liste d'attente").click()
    audited["one-step join"] = serious_violations(page)
    page.get_by_role("button", name="Rejoindre la liste d'attente").click()
    expect(page.get_by_role("heading", name="Vous êtes sur la liste d'attente")).to_be_visible()

    # An offer from another procedure's list, opened from its e-mail.
    slot = SlotFactory(starts_at=at(next_weekday(1, after=timezone.localdate()), 10), capacity=1)
    booked = book_confirmed(counter_type=slot.counter_type, starts_at=slot.starts_at, person=person(90))
    waiting(slot.counter_type, 91)
    cancel_booking(booking_id=booked.pk)
    release_withheld_places(now=WithheldPlace.objects.get().release_at)
    offer = Offer.objects.get()
    page.goto(f"/liste-attente/offre/{offer.booking.verification_token}/")
    expect(page.get_by_role("heading", name="Une place vous est proposée")).to_be_visible()
    audited["offer"] = serious_violations(page)
    page.get_by_role("button", name="Décliner cette place").click()
    expect(page.get_by_role("heading", name="Place déclinée")).to_be_visible()
    audited["offer declined"] = serious_violations(page)

    assert {name: found for name, found in audited.items() if found} == {}
