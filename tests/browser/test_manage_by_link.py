"""A resident opens the link in the confirmation e-mail, in a real Chromium, and cancels or moves."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.utils import formats, timezone, translation
from playwright.sync_api import expect

from booking.models import Booking, OutboundEmail
from counters.models import Slot, WithheldPlace
from tests.factories import SlotFactory, book_confirmed, person

pytestmark = pytest.mark.browser


@pytest.fixture
def slots(transactional_db):
    starts_at = timezone.now().replace(second=0, microsecond=0) + dt.timedelta(days=3)
    first = SlotFactory(starts_at=starts_at, capacity=1)
    later = SlotFactory(
        counter_type=first.counter_type, counter=first.counter, starts_at=starts_at + dt.timedelta(days=1), capacity=1
    )
    return first, later


@pytest.fixture
def link_in_confirmation(live_server, settings, slots):
    """Book, then return the manage link as the resident finds it in the confirmation e-mail."""
    settings.SITE_URL = live_server.url
    first, _later = slots
    booking = book_confirmed(counter_type=first.counter_type, starts_at=first.starts_at, person=person())
    [_code, confirmation] = mail.outbox  # the code e-mail went first, the hold being confirmed since
    assert confirmation.subject.startswith("Confirmation de votre rendez-vous")
    link = re.search(rf"{re.escape(live_server.url)}/mon-rendez-vous/\S+/", confirmation.body).group(0)
    mail.outbox.clear()
    return booking, link


def test_resident_cancels_from_the_link_in_the_confirmation_email(page, link_in_confirmation, slots):
    booking, link = link_in_confirmation
    page.goto(link)
    expect(page.get_by_role("heading", name="Mon rendez-vous", exact=True)).to_be_visible()
    expect(page.get_by_text(booking.display_reference)).to_be_visible()
    page.get_by_role("link", name="Annuler mon rendez-vous").click()
    page.get_by_role("button", name="Oui, annuler mon rendez-vous").click()
    expect(page.get_by_role("heading", name="Rendez-vous annulé", exact=True)).to_be_visible()
    expect(page.get_by_text("Votre rendez-vous est annulé. Un e-mail vous le confirme.")).to_be_visible()

    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED
    assert Slot.objects.get(pk=slots[0].pk).booked == 1  # withheld a while before anyone can take it
    assert WithheldPlace.objects.filter(slot=slots[0], released_at__isnull=True).count() == 1
    assert [m.subject.split(" — ")[0] for m in mail.outbox] == ["Annulation de votre rendez-vous"]


def test_resident_moves_from_the_link_in_the_confirmation_email(page, link_in_confirmation, slots):
    booking, link = link_in_confirmation
    first, later = slots
    new_start = timezone.localtime(later.starts_at)
    with translation.override("fr"):
        day_label = formats.date_format(new_start, "D j M")
        new_date = formats.date_format(new_start, "l j F Y")
    page.goto(link)
    page.get_by_role("link", name="Déplacer mon rendez-vous").click()
    expect(page.get_by_role("heading", name="Déplacer mon rendez-vous", exact=True)).to_be_visible()
    # The current appointment is shown on its day, labelled, and cannot be chosen again.
    current = page.get_by_label(re.compile("votre rendez-vous actuel"))
    expect(current).to_be_visible()
    expect(current).to_be_disabled()
    page.get_by_role("link", name=re.compile(re.escape(day_label))).click()
    page.get_by_text(re.compile(rf"^{new_start:%H:%M} –")).click()  # the label, as a person does
    expect(page.get_by_label(re.compile(rf"^{new_start:%H:%M} –"))).to_be_checked()
    page.get_by_role("button", name="Choisir cet horaire").click()

    expect(page.get_by_text("Votre rendez-vous est déplacé.")).to_be_visible()
    expect(page.get_by_text(f"{new_date}, {new_start:%H:%M}")).to_be_visible()
    booking.refresh_from_db()
    assert booking.slot_id == later.pk
    assert (Slot.objects.get(pk=first.pk).booked, Slot.objects.get(pk=later.pk).booked) == (1, 1)  # old withheld
    [moved] = mail.outbox
    assert moved.subject.startswith("Votre rendez-vous a été déplacé")
    assert OutboundEmail.objects.get(booking=booking, kind="moved").status == "sent"
