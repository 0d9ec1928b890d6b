import datetime as dt
import html

import pytest
from django.urls import reverse
from django.utils import timezone

from booking.models import Booking
from counters.models import CounterType, Slot
from counters.services import generate_slots
from tests.factories import CounterTypeFactory, SlotFactory, at, days_through, next_weekday, person

pytestmark = pytest.mark.django_db
Rule = CounterType.Eligibility

IDENTITY = {
    "last_name": "Nguyen",
    "first_names": "Van Anh",
    "birth_date": "1992-03-04",
    "nationality": "VN",
    "foreigner_number": "7512345678",
    "passport_number": "",
    "email": "van.anh@example.org",
    "email_confirmation": "Van.Anh@example.org",
    "phone": "06 12 34 56 78",
}


@pytest.fixture
def slot():
    return SlotFactory(capacity=2, counter_type=CounterTypeFactory(min_days_ahead=0))


def start(client, counter_type):
    return client.get(reverse("booking:start", args=[counter_type.pk]))


def to_identity(client, slot):
    start(client, slot.counter_type)
    client.get(reverse("booking:eligibility"))
    day = timezone.localtime(slot.starts_at).date().isoformat()
    response = client.post(reverse("booking:slot"), {"jour": day, "starts_at": slot.starts_at.isoformat()})
    assert response.status_code == 302, response.content.decode()[:3000]
    return response


def to_review(client, slot, identity=IDENTITY):
    to_identity(client, slot)
    response = client.post(reverse("booking:identity"), identity)
    assert response.status_code == 302 and response.url == reverse("booking:review")


def test_home_lists_procedures_and_announces_published_openings(client):
    from tests.factories import ExceptionalOpeningFactory

    counter_type = CounterTypeFactory(name="Remise de titre")
    opening = ExceptionalOpeningFactory(
        site=counter_type.site, counter_types=[counter_type], announcement_title="Samedi ouvert"
    )
    ExceptionalOpeningFactory(site=counter_type.site, published_at=None, announcement_title="Brouillon caché")
    generate_slots(days=days_through(opening.date))

    page = client.get("/").content.decode()

    assert "Remise de titre" in page and "Samedi ouvert" in page and "Brouillon caché" not in page
    assert "200 places" in page


def test_full_flow_books_and_shows_the_confirmation(client, slot, mailoutbox, django_capture_on_commit_callbacks):
    to_review(client, slot)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("booking:review"), {"certify": "on"})

    booking = Booking.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("booking:confirmation", args=[booking.token])
    page = client.get(response.url).content.decode()
    assert booking.display_reference in page
    assert slot.counter_type.site.address in page and "Passeport" in page
    assert reverse("booking:manage", args=[booking.token]) in page
    assert booking.email == "van.anh@example.org" and booking.foreigner_number == "7512345678"
    assert Slot.objects.get(pk=slot.pk).booked == 1
    assert len(mailoutbox) == 1
    # The draft is gone: going back to the review step starts over.
    assert client.get(reverse("booking:review")).url == reverse("booking:procedures")


def test_unknown_or_not_online_procedure_is_404(client):
    staff_only = CounterTypeFactory(online_booking=False)
    assert client.get(reverse("booking:start", args=[999999])).status_code == 404
    response = client.get(reverse("booking:start", args=[staff_only.pk]))
    assert response.status_code == 404 and "ne se réserve pas en ligne" in response.content.decode()


def test_steps_without_a_booking_in_progress_send_back_to_the_start(client):
    for name in ("eligibility", "slot", "identity", "review"):
        response = client.get(reverse(f"booking:{name}"))
        assert response.status_code == 302 and response.url == reverse("booking:procedures")


def test_procedure_without_questions_skips_eligibility(client, slot):
    start(client, slot.counter_type)
    response = client.get(reverse("booking:eligibility"))
    assert response.url == reverse("booking:slot")


def test_renewal_too_early_is_refused_with_the_date_to_come_back(client):
    renewal = CounterTypeFactory(eligibility=Rule.RENEWAL)
    start(client, renewal)
    expiry = timezone.localdate() + dt.timedelta(days=150)

    response = client.post(reverse("booking:eligibility"), {"permit_expires_on": expiry.isoformat()})

    assert response.status_code == 400
    assert "à partir du" in response.content.decode()


def test_expired_renewal_is_sent_to_the_urgent_counter(client):
    urgent = CounterTypeFactory(eligibility=Rule.EXPIRED_PERMIT, name="Guichet urgent")
    renewal = CounterTypeFactory(site=urgent.site, eligibility=Rule.RENEWAL, urgent_counter_type=urgent)
    SlotFactory(counter_type=urgent)
    start(client, renewal)

    response = client.post(
        reverse("booking:eligibility"), {"permit_expires_on": (timezone.localdate() - dt.timedelta(days=3)).isoformat()}
    )
    page = client.get(response.url).content.decode()

    assert response.url == reverse("booking:slot")
    assert "Guichet urgent" in page


@pytest.mark.parametrize("value", ["", "31/02/2026", "pas une date"])
def test_bad_expiry_date_gets_a_message_and_400(client, value):
    start(client, CounterTypeFactory(eligibility=Rule.RENEWAL))
    response = client.post(reverse("booking:eligibility"), {"permit_expires_on": value})
    assert response.status_code == 400
    assert "fr-message--error" in response.content.decode()


def test_slot_page_lists_days_and_times_with_places_left(client):
    counter_type = CounterTypeFactory()
    monday = next_weekday(0)
    SlotFactory(counter_type=counter_type, starts_at=at(monday, 9), capacity=3)
    SlotFactory(counter_type=counter_type, starts_at=at(monday, 9, 15), capacity=1, booked=1)  # full
    SlotFactory(counter_type=counter_type, starts_at=at(monday + dt.timedelta(days=1), 10), capacity=1)
    start(client, counter_type)
    client.get(reverse("booking:eligibility"))

    page = client.get(reverse("booking:slot"), {"jour": monday.isoformat()}).content.decode()

    assert "09:00" in page and "3 place(s) disponible(s)" in page
    assert "09:15 –" not in page
    assert f"?jour={(monday + dt.timedelta(days=1)).isoformat()}" in page


def test_slot_page_rejects_a_malformed_day_and_a_missing_time(client, slot):
    start(client, slot.counter_type)
    client.get(reverse("booking:eligibility"))
    for bad_day in ("demain", "0001-01-01", "9999-12-31", "2026-13-01"):
        response = client.get(reverse("booking:slot"), {"jour": bad_day})
        assert response.status_code == 400 and "choisissez un jour dans la liste" in response.content.decode()
    day = timezone.localtime(slot.starts_at).date().isoformat()
    response = client.post(reverse("booking:slot"), {"jour": day})
    assert response.status_code == 400 and "Choisissez un horaire" in response.content.decode()
    response = client.post(reverse("booking:slot"), {"jour": day, "starts_at": "2020-01-01T09:00:00+01:00"})
    assert response.status_code == 400 and "plus disponible" in response.content.decode()


def test_slot_outside_the_booking_window_is_not_offered(client):
    counter_type = CounterTypeFactory(min_days_ahead=0, max_days_ahead=3)
    far = SlotFactory(counter_type=counter_type, starts_at=at(timezone.localdate() + dt.timedelta(days=10), 9))
    start(client, counter_type)
    client.get(reverse("booking:eligibility"))
    page = client.get(reverse("booking:slot")).content.decode()
    assert "Aucun créneau disponible" in page
    day = timezone.localtime(far.starts_at).date().isoformat()
    assert (
        client.post(reverse("booking:slot"), {"jour": day, "starts_at": far.starts_at.isoformat()}).status_code == 400
    )


@pytest.mark.parametrize(
    ("changes", "field_message"),
    [
        ({"foreigner_number": "12345"}, "exactement 10 chiffres"),
        ({"foreigner_number": "", "passport_number": ""}, "numéro étranger ou, à défaut"),
        ({"passport_number": "AB12", "foreigner_number": ""}, "de 6 à 20"),
        ({"email_confirmation": "autre@example.org"}, "pas identiques"),
        ({"email": "pas-un-email"}, "adresse e-mail valide"),
        ({"birth_date": "2999-01-01"}, "Vérifiez votre date de naissance"),
        ({"last_name": ""}, "Ce champ est obligatoire"),
        ({"nationality": "XX"}, "Sélectionnez un choix valide"),
        ({"phone": "abc"}, "numéro de téléphone valide"),
    ],
)
def test_identity_errors_are_shown_next_to_the_field_with_400(client, slot, changes, field_message):
    to_identity(client, slot)
    response = client.post(reverse("booking:identity"), {**IDENTITY, **changes})
    page = response.content.decode()
    assert response.status_code == 400
    assert field_message in page
    assert "Le formulaire contient des erreurs" in page


def test_review_requires_the_certification(client, slot):
    to_review(client, slot)
    response = client.post(reverse("booking:review"), {})
    assert response.status_code == 400 and "Cochez cette case" in response.content.decode()
    assert not Booking.objects.exists()


def test_last_place_taken_between_steps_sends_back_to_slots_keeping_identity(client, slot):
    to_review(client, slot)
    Slot.objects.filter(pk=slot.pk).update(booked=slot.capacity)

    response = client.post(reverse("booking:review"), {"certify": "on"}, follow=True)

    page = html.unescape(response.content.decode())
    assert response.redirect_chain[-1][0] == reverse("booking:slot")
    assert "vient d'être pris" in page
    assert not Booking.objects.exists()
    identity_page = client.get(reverse("booking:identity"))
    # Without a new time, the identity step is not reachable; the typed data waits in the draft.
    assert identity_page.status_code == 302
    other = SlotFactory(counter_type=slot.counter_type, starts_at=slot.starts_at + dt.timedelta(hours=1))
    day = timezone.localtime(other.starts_at).date().isoformat()
    response = client.post(reverse("booking:slot"), {"jour": day, "starts_at": other.starts_at.isoformat()})
    assert response.url == reverse("booking:review")  # straight back: nothing to type again
    assert "Nguyen" in client.get(reverse("booking:review")).content.decode()


def test_second_booking_for_the_same_person_is_refused_with_409(client, slot):
    from booking.services import book_appointment

    book_appointment(
        counter_type=slot.counter_type,
        starts_at=slot.starts_at,
        person=person(foreigner_number="7512345678", birth_date=dt.date(1992, 3, 4)),
    )
    to_review(client, slot)
    response = client.post(reverse("booking:review"), {"certify": "on"})
    assert response.status_code == 409
    assert "déjà un rendez-vous" in response.content.decode()
    assert reverse("booking:lost-link") in response.content.decode()
    assert Booking.objects.count() == 1


def test_unknown_booking_link_gets_a_clear_404(client):
    for name in ("booking:manage", "booking:confirmation"):
        response = client.get(reverse(name, args=["not-a-real-token"]))
        assert response.status_code == 404
        assert "aucun rendez-vous" in response.content.decode()


def test_manage_page_shows_the_booking(client, slot):
    from booking.services import book_appointment

    booking = book_appointment(counter_type=slot.counter_type, starts_at=slot.starts_at, person=person())
    page = client.get(reverse("booking:manage", args=[booking.token])).content.decode()
    assert booking.display_reference in page and "DIALLO" in page


@pytest.mark.parametrize(
    "junk",
    ["", "\x00", "é" * 5000, "<script>alert(1)</script>", "99999-99-99", "2026-02-30", "'; DROP TABLE booking;--"],
)
def test_junk_at_every_step_never_gives_a_server_error(client, slot, junk):
    to_review(client, slot)
    posts = {
        "booking:eligibility": {"permit_expires_on": junk, "card_ready": junk},
        "booking:slot": {"jour": junk, "starts_at": junk},
        "booking:identity": {name: junk for name in IDENTITY},
        "booking:review": {"certify": junk},
    }
    for name, data in posts.items():
        response = client.post(reverse(name), data)
        assert response.status_code < 500, (name, response.status_code)
        assert "<script>alert(1)</script>" not in response.content.decode()
    for query in ({"jour": junk}, {"jour": [junk, junk]}):
        assert client.get(reverse("booking:slot"), query).status_code < 500
