import datetime as dt
import re

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect

from booking.models import Booking, Channel
from booking.roles import AGENT_GROUP, HEAD_GROUP, sync_staff_groups
from counters.models import Handover
from tests.browser.conftest import fill_date, log_in_browser
from tests.conftest import STAFF_PASSWORD
from tests.factories import CounterTypeFactory, ExceptionalOpeningFactory, SlotFactory, at, book_confirmed, person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _staff(django_user_model, username, group):
    user = django_user_model.objects.create_user(username=username, password=STAFF_PASSWORD, is_staff=True)
    user.groups.add(sync_staff_groups()[group])
    return user


def _log_in(page, live_server, username, next_path):
    log_in_browser(page, get_user_model().objects.get(username=username), next_path)


def test_an_agent_checks_in_a_resident_from_the_agenda_by_reference(page, live_server, django_user_model):
    _staff(django_user_model, "agent", AGENT_GROUP)
    counter_type = CounterTypeFactory(name="Dépôt d'un titre", handover=Handover.RECEIPT)
    slot = SlotFactory(counter_type=counter_type, starts_at=at(timezone.localdate(), 0, 15), capacity=2)
    booking = book_confirmed(counter_type=counter_type, starts_at=slot.starts_at, person=person(last_name="Kone"))

    _log_in(page, live_server, "agent", "/agents/agenda/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Agenda du")
    row = page.get_by_role("row").filter(has_text=booking.display_reference)
    expect(row).to_contain_text("KONE")
    expect(row).to_contain_text("Confirmé")

    # A scanner types the reference into the field and presses Enter.
    field = page.get_by_label("Référence du rendez-vous")
    field.fill(booking.display_reference.lower())
    field.press("Enter")
    expect(page.get_by_text("Arrivée enregistrée")).to_be_visible()
    expect(page.get_by_text("Présent", exact=True)).to_be_visible()

    page.get_by_role("button", name=f"Terminé — récépissé remis — {booking.display_reference}").click()
    expect(page.get_by_text(f"Rendez-vous {booking.display_reference} terminé.")).to_be_visible()
    booking.refresh_from_db()
    assert (booking.status, booking.handed_over) == (Booking.Status.DONE, Handover.RECEIPT)


def test_an_agent_books_for_a_caller(page, live_server, django_user_model):
    agent = _staff(django_user_model, "agent", AGENT_GROUP)
    counter_type = CounterTypeFactory(name="Question sur un dossier")
    day = timezone.localdate() + dt.timedelta(days=3)
    SlotFactory(counter_type=counter_type, starts_at=at(day, 10), capacity=0, reserved_capacity=1)

    _log_in(page, live_server, "agent", "/agents/reserver/")
    page.get_by_label("Démarche", exact=True).select_option(label=f"{counter_type.site.name} — Question sur un dossier")
    fill_date(page, "Jour", day)
    page.get_by_role("button", name="Voir les horaires").click()
    # DSFR draws radios through their labels, which is where a person clicks.
    page.locator("label", has_text="10:00 – 10:15").click()
    page.locator("label", has_text="au téléphone").click()
    page.get_by_label("Nom de famille").fill("Traoré")
    page.get_by_label("Prénom(s)").fill("Moussa")
    fill_date(page, "Date de naissance", dt.date(1985, 3, 2))
    page.get_by_label("Nationalité").select_option("ML")
    page.get_by_role("textbox", name=re.compile(r"^Numéro étranger")).fill("7512345678")
    page.get_by_role("button", name="Enregistrer le rendez-vous").click()

    expect(page.get_by_text("Rendez-vous enregistré")).to_be_visible()
    booking = Booking.objects.get(last_name="Traoré")
    expect(page.get_by_role("heading", level=1)).to_contain_text(booking.display_reference)
    assert (booking.channel, booking.created_by, booking.reserved_place) == (Channel.PHONE, agent, True)


def test_a_head_of_bureau_previews_publishes_an_opening_and_reads_the_figures(page, live_server, django_user_model):
    _staff(django_user_model, "cheffe", HEAD_GROUP)
    counter_type = CounterTypeFactory(name="Dépôt du samedi", slot_duration_minutes=60)
    opening = ExceptionalOpeningFactory(
        site=counter_type.site,
        published_at=None,
        places=12,
        start_time=dt.time(9),
        end_time=dt.time(12),
        counter_types=[counter_type],
    )

    _log_in(page, live_server, "cheffe", f"/admin/counters/exceptionalopening/{opening.pk}/change/")
    expect(page.get_by_text("3 créneaux, 12 places")).to_be_visible()
    page.get_by_role("button", name="Enregistrer et publier maintenant").click()
    expect(page.get_by_text("3 créneau(x) créé(s)")).to_be_visible()
    assert list(opening.slots.order_by("starts_at").values_list("capacity", flat=True)) == [4, 4, 4]

    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("heading", name=opening.announcement_title)).to_be_visible()

    page.goto(
        f"{live_server.url}/agents/statistiques/?site={counter_type.site_id}"
        f"&start={opening.date.isoformat()}&end={opening.date.isoformat()}"
    )
    row = page.get_by_role("row").filter(has_text="Dépôt du samedi")
    expect(row).to_contain_text("12")
    chart = page.get_by_role("img", name="Rendez-vous par jour : présents, absents, en attente, et taux de remplissage")
    expect(chart).to_be_visible()


def test_references_stay_on_one_line_in_the_agenda_on_a_narrow_screen(phone_page, live_server, django_user_model):
    _staff(django_user_model, "agent", AGENT_GROUP)
    counter_type = CounterTypeFactory(name="Renouvellement d'un titre de séjour pluriannuel")
    slot = SlotFactory(counter_type=counter_type, starts_at=at(timezone.localdate(), 9), capacity=1)
    booking = book_confirmed(
        counter_type=counter_type, starts_at=slot.starts_at, person=person(last_name="Rakotomalala-Andrianarivo")
    )

    _log_in(phone_page, live_server, "agent", "/agents/agenda/")
    link = phone_page.get_by_role("link", name=booking.display_reference)
    expect(link).to_be_visible()
    # An inline element cut over two lines has two boxes.
    assert link.evaluate("element => element.getClientRects().length") == 1
    # Still the reference as typed, hyphen included, for a copy and paste.
    assert link.inner_text() == booking.display_reference
