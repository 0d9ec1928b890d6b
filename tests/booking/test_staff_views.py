import datetime as dt
import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from booking.eligibility import Answers
from booking.models import Booking, Channel
from booking.services import check_in_booking
from counters.models import CounterType, Handover
from tests.conftest import log_in
from tests.factories import CounterFactory, CounterTypeFactory, SiteFactory, SlotFactory, at, book_confirmed, person

pytestmark = pytest.mark.django_db

TODAY_URLS = ["staff:home", "staff:agenda", "staff:check-in", "staff:book", "staff:export", "staff:statistics"]


def _booking_today(hour=9, n=0, **slot_fields):
    slot = SlotFactory(starts_at=at(timezone.localdate(), hour), **slot_fields)
    return book_confirmed(
        counter_type=slot.counter_type, starts_at=slot.starts_at, person=person(n), answers=Answers(card_ready=True)
    )


@pytest.mark.parametrize("name", TODAY_URLS)
def test_anonymous_users_get_the_login_page(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("staff_auth:login") + "?next=")


def test_a_user_without_staff_permission_is_refused(client, django_user_model):
    resident = django_user_model.objects.create_user(username="resident", password="x" * 20)
    log_in(client, resident)
    assert client.get(reverse("staff:agenda")).status_code == 403


@pytest.mark.parametrize(("name", "status"), [("staff:export", 403), ("staff:statistics", 403), ("staff:book", 200)])
def test_an_agent_runs_the_day_but_sees_no_figures(client, agent, name, status):
    log_in(client, agent, sites=[SiteFactory()])
    assert client.get(reverse(name)).status_code == status


def test_the_agenda_shows_todays_appointments_by_time_with_their_status(client, agent):
    late = _booking_today(hour=11, n=1)
    early = _booking_today(hour=9, n=2, counter_type=late.counter_type)
    check_in_booking(booking=early, agent=agent)
    log_in(client, agent)
    response = client.get(reverse("staff:agenda"), {"site": late.counter_type.site_id})
    assert response.status_code == 200
    page = response.content.decode()
    assert page.index(early.display_reference) < page.index(late.display_reference)
    assert "Présent" in page and "Confirmé" in page


def test_the_agenda_filters_by_counter_type_and_counter_and_any_date(client, agent):
    booking = _booking_today()
    site = booking.counter_type.site
    other_type = CounterTypeFactory(site=site)
    other = book_confirmed(
        counter_type=other_type,
        starts_at=SlotFactory(counter_type=other_type, starts_at=booking.slot.starts_at).starts_at,
        person=person(5),
    )
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    later_slot = SlotFactory(counter_type=booking.counter_type, starts_at=at(tomorrow, 10))
    later = book_confirmed(counter_type=booking.counter_type, starts_at=later_slot.starts_at, person=person(6))
    log_in(client, agent)
    page = client.get(reverse("staff:agenda"), {"site": site.pk, "counter_type": other_type.pk}).content.decode()
    assert other.display_reference in page and booking.display_reference not in page
    page = client.get(reverse("staff:agenda"), {"site": site.pk, "counter": booking.slot.counter_id}).content.decode()
    assert booking.display_reference in page and other.display_reference not in page
    page = client.get(reverse("staff:agenda"), {"site": site.pk, "date": tomorrow.isoformat()}).content.decode()
    assert later.display_reference in page and booking.display_reference not in page


@pytest.mark.parametrize(
    "query", [{"date": "2026-13-45"}, {"date": "demain"}, {"site": "999999"}, {"counter_type": "abc"}]
)
def test_bad_agenda_input_gets_a_clear_message_and_a_400(client, agent, query):
    SlotFactory()
    log_in(client, agent)
    response = client.get(reverse("staff:agenda"), query)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Saisissez une date valide" in page or "choisissez dans la liste" in page


def test_the_agenda_does_not_query_per_booking(client, agent):
    first = _booking_today()
    log_in(client, agent)
    url = reverse("staff:agenda")
    params = {"site": first.counter_type.site_id}
    with CaptureQueriesContext(connection) as few:
        client.get(url, params)
    for n in range(1, 12):
        _booking_today(n=n, counter_type=first.counter_type, counter=CounterFactory(site=first.counter_type.site))
    with CaptureQueriesContext(connection) as many:
        response = client.get(url, params)
    assert response.content.decode().count("/agents/rendez-vous/") >= 12
    assert len(many) == len(few)


def test_check_in_by_reference_as_typed_or_scanned(client, agent):
    booking = _booking_today()
    log_in(client, agent)
    response = client.post(reverse("staff:check-in"), {"reference": f"  {booking.display_reference.lower()} "})
    assert response.status_code == 302
    assert response["Location"] == reverse("staff:booking", args=[booking.reference])
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CHECKED_IN
    assert booking.history.latest().history_user == agent


def test_check_in_from_a_scanned_link_ending_with_the_reference(client, agent):
    booking = _booking_today()
    log_in(client, agent)
    scanned = f"https://rdv.example.gouv.fr/c/{booking.reference}"
    assert client.post(reverse("staff:check-in"), {"reference": scanned}).status_code == 302
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CHECKED_IN


@pytest.mark.parametrize("reference", ["ZZZZ-ZZZZ", "abc", "x" * 150])
def test_an_unknown_reference_at_check_in_gets_a_clear_message_and_a_404(client, agent, reference):
    _booking_today()
    log_in(client, agent)
    response = client.post(reverse("staff:check-in"), {"reference": reference})
    assert response.status_code == 404
    assert "Aucun rendez-vous ne correspond" in response.content.decode()


def test_an_empty_reference_gets_a_400(client, agent):
    log_in(client, agent)
    response = client.post(reverse("staff:check-in"), {"reference": ""})
    assert response.status_code == 400
    assert "Saisissez ou scannez la référence" in response.content.decode()


def test_scanning_a_convocation_twice_says_when_the_arrival_was_recorded(client, agent):
    booking = _booking_today()
    log_in(client, agent)
    client.post(reverse("staff:check-in"), {"reference": booking.reference})
    booking.refresh_from_db()
    response = client.post(reverse("staff:check-in"), {"reference": booking.reference}, follow=True)
    assert response.status_code == 200
    arrival = timezone.localtime(booking.checked_in_at).strftime("%H:%M")
    page = response.content.decode()
    assert f"arrivée déjà enregistrée à {arrival}" in page and "fr-alert--error" not in page
    assert booking.history.count() == 3  # held, confirmed, checked in once


def test_a_second_click_on_the_arrival_button_is_harmless(client, agent):
    booking = _booking_today()
    log_in(client, agent)
    url = reverse("staff:booking-action", args=[booking.reference, "arrivee"])
    client.post(url)
    response = client.post(url, follow=True)
    assert response.status_code == 200
    assert "arrivée déjà enregistrée à" in response.content.decode()


@pytest.mark.parametrize(
    ("action", "message"),
    [
        ("annuler-arrivee", "il n'y a pas d'arrivée à annuler"),
        ("annuler-absence", "il n'y a pas d'absence à annuler"),
        ("absent", "n'a pas encore commencé"),
        ("termine", "il ne peut pas être marqué « Reçu »"),
    ],
)
def test_a_forbidden_transition_gets_the_services_own_reason_and_a_409(client, agent, action, message):
    slot = SlotFactory(starts_at=at(timezone.localdate() + dt.timedelta(days=1), 10))
    booking = book_confirmed(counter_type=slot.counter_type, starts_at=slot.starts_at, person=person())
    log_in(client, agent)
    response = client.post(reverse("staff:booking-action", args=[booking.reference, action]))
    assert response.status_code == 409
    assert message in html.unescape(response.content.decode())
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED


def test_an_agent_undoes_a_mistaken_check_in_from_the_booking_page(client, agent):
    booking = _booking_today()
    check_in_booking(booking=booking, agent=agent)
    log_in(client, agent)
    page = client.get(reverse("staff:booking", args=[booking.reference])).content.decode()
    assert "Annuler l'arrivée" in html.unescape(page)
    response = client.post(reverse("staff:booking-action", args=[booking.reference, "annuler-arrivee"]), follow=True)
    assert "Arrivée annulée" in response.content.decode()
    booking.refresh_from_db()
    assert (booking.status, booking.checked_in_at) == (Booking.Status.CONFIRMED, None)
    assert booking.history.latest().history_user == agent


def test_an_agent_undoes_a_mistaken_no_show_from_the_agenda(client, agent):
    booking = _booking_today(hour=0)
    log_in(client, agent)
    agenda = reverse("staff:agenda") + f"?site={booking.counter_type.site_id}"
    client.post(reverse("staff:booking-action", args=[booking.reference, "absent"]), {"next": agenda})
    page = client.get(agenda).content.decode()
    assert f"Annuler l'absence — {booking.display_reference}" in html.unescape(page)
    response = client.post(
        reverse("staff:booking-action", args=[booking.reference, "annuler-absence"]), {"next": agenda}
    )
    assert response["Location"] == agenda
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED


def test_done_with_the_permit_handed_over_from_the_booking_page(client, agent):
    cards = CounterTypeFactory(handover=Handover.PERMIT, eligibility=CounterType.Eligibility.CARD_READY)
    booking = _booking_today(counter_type=cards)
    check_in_booking(booking=booking, agent=agent)
    log_in(client, agent)
    page = client.get(reverse("staff:booking", args=[booking.reference])).content.decode()
    assert "Terminé — titre remis" in page
    response = client.post(reverse("staff:booking-action", args=[booking.reference, "termine"]), {"handed_over": "1"})
    assert response.status_code == 302
    booking.refresh_from_db()
    assert (booking.status, booking.handed_over) == (Booking.Status.DONE, Handover.PERMIT)


def test_a_refused_action_and_an_unknown_action_get_4xx(client, agent):
    booking = _booking_today()
    log_in(client, agent)
    url = reverse("staff:booking-action", args=[booking.reference, "termine"])
    assert client.post(url).status_code == 409
    assert client.post(reverse("staff:booking-action", args=[booking.reference, "envoler"])).status_code == 400
    assert client.post(reverse("staff:booking-action", args=["ZZZZZZZZ", "arrivee"])).status_code == 404
    assert client.get(url).status_code == 405


def test_actions_go_back_to_the_agenda_but_never_to_another_site(client, agent):
    booking = _booking_today()
    log_in(client, agent)
    url = reverse("staff:booking-action", args=[booking.reference, "arrivee"])
    response = client.post(url, {"next": "https://evil.example/"})
    assert response["Location"] == reverse("staff:booking", args=[booking.reference])


def test_an_agent_books_for_a_caller_in_the_reserved_share(client, agent):
    slot = SlotFactory(
        capacity=1, booked=1, reserved_capacity=1, starts_at=at(timezone.localdate() + dt.timedelta(days=2), 10)
    )
    log_in(client, agent)
    day = timezone.localtime(slot.starts_at).date().isoformat()
    page = client.get(reverse("staff:book"), {"counter_type": slot.counter_type_id, "date": day})
    assert page.status_code == 200
    assert "10:00" in page.content.decode()
    response = client.post(
        reverse("staff:book"),
        {
            "counter_type": slot.counter_type_id,
            "date": day,
            "starts_at": timezone.localtime(slot.starts_at).isoformat(),
            "channel": "phone",
            "last_name": "Traoré",
            "first_names": "Moussa",
            "birth_date": "1985-03-02",
            "nationality": "ML",
            "foreigner_number": "7512345678",
            "email": "",
            "phone": "06 12 34 56 78",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    booking = Booking.objects.get(last_name="Traoré")
    assert (booking.channel, booking.created_by, booking.reserved_place) == (Channel.PHONE, agent, True)
    slot.refresh_from_db()
    assert slot.booked_reserved == 1


def test_a_caller_booking_with_missing_details_gets_a_400(client, agent):
    slot = SlotFactory(starts_at=at(timezone.localdate() + dt.timedelta(days=2), 10))
    log_in(client, agent)
    day = timezone.localtime(slot.starts_at).date().isoformat()
    response = client.post(reverse("staff:book"), {"counter_type": slot.counter_type_id, "date": day})
    assert response.status_code == 400
    assert "Choisissez un horaire" in response.content.decode()
    response = client.get(reverse("staff:book"), {"counter_type": "x", "date": "hier"})
    assert response.status_code == 400


def test_a_caller_already_booked_for_the_procedure_gets_a_409(client, agent):
    slot = SlotFactory(capacity=2, starts_at=at(timezone.localdate() + dt.timedelta(days=2), 10))
    book_confirmed(counter_type=slot.counter_type, starts_at=slot.starts_at, person=person(7))
    data = person(7)
    log_in(client, agent)
    response = client.post(
        reverse("staff:book"),
        {
            "counter_type": slot.counter_type_id,
            "date": timezone.localtime(slot.starts_at).date().isoformat(),
            "starts_at": timezone.localtime(slot.starts_at).isoformat(),
            "channel": "desk",
            "last_name": data.last_name,
            "first_names": data.first_names,
            "birth_date": data.birth_date.isoformat(),
            "nationality": data.nationality,
            "foreigner_number": data.foreigner_number,
        },
    )
    assert response.status_code == 409
    assert "déjà un rendez-vous" in response.content.decode()
