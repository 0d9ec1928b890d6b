"""Input no one should send (a NUL byte, a date at the end of the calendar) gets a 4xx page, never a 500."""

import html

import pytest
from django.urls import reverse

from tests.conftest import log_in

pytestmark = pytest.mark.django_db

NUL = "%00"
TOKEN_PAGES = [
    f"/mon-rendez-vous/{NUL}/",
    f"/mon-rendez-vous/{NUL}/annuler/",
    f"/mon-rendez-vous/{NUL}/deplacer/",
    f"/mon-rendez-vous/{NUL}/convocation.pdf",
    f"/mon-rendez-vous/{NUL}/agenda.ics",
    f"/rendez-vous/confirmation/{NUL}/",
]
FAR_DATES = ["9999-12-31", "0001-01-01"]


def text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.mark.parametrize("path", TOKEN_PAGES)
def test_a_nul_byte_in_a_link_token_is_a_link_that_matches_nothing(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "Ce lien ne correspond à aucun rendez-vous" in text(response)


@pytest.mark.parametrize("path", [p for p in TOKEN_PAGES if "annuler" in p or "deplacer" in p])
def test_a_nul_byte_in_a_link_token_is_refused_on_post_too(client, path):
    assert client.post(path).status_code == 404


@pytest.mark.parametrize("token", ["abc", "A" * 42 + "!", "é" * 43, "A" * 65])
def test_a_token_that_is_not_well_formed_is_not_found(client, token):
    response = client.get(reverse("booking:manage", kwargs={"token": token}))
    assert response.status_code == 404


@pytest.mark.parametrize(
    "path", ["/agents/agenda/?date=%00", "/mon-rendez-vous/lien-perdu/?x=%00", "/rendez-vous/?q=a%00b"]
)
def test_a_nul_byte_in_the_query_string_is_a_bad_request(client, agent, path):
    log_in(client, agent)
    response = client.get(path)
    assert response.status_code == 400
    assert "caractère non autorisé" in text(response)


def test_a_nul_byte_in_form_data_is_a_bad_request(client):
    response = client.post(reverse("booking:lost-link"), {"reference": "ABCD\x00EFGH", "email": "a@example.org"})
    assert response.status_code == 400
    assert "caractère non autorisé" in text(response)


@pytest.mark.parametrize("day", FAR_DATES)
def test_a_far_day_on_the_move_page_gets_a_clear_400(client, book, slot, day):
    booking = book(slot)
    response = client.get(reverse("booking:move", kwargs={"token": booking.token}), {"jour": day})
    assert response.status_code == 400
    assert "La date demandée n'est pas valide" in text(response)


@pytest.mark.parametrize("day", FAR_DATES)
def test_a_far_day_on_the_agenda_gets_a_clear_400(client, agent, slot, day):
    log_in(client, agent)
    response = client.get(reverse("staff:agenda"), {"site": slot.counter_type.site_id, "date": day})
    assert response.status_code == 400
    assert "Saisissez une date comprise entre 1900 et 2199" in text(response)


@pytest.mark.parametrize("day", FAR_DATES)
def test_a_far_day_for_a_caller_booking_gets_a_clear_400(client, agent, slot, day):
    log_in(client, agent)
    response = client.get(reverse("staff:book"), {"counter_type": slot.counter_type_id, "date": day})
    assert response.status_code == 400
    assert "Saisissez une date comprise entre 1900 et 2199" in text(response)


@pytest.mark.parametrize("name", ["staff:export", "staff:statistics"])
@pytest.mark.parametrize("day", FAR_DATES)
def test_a_far_period_for_export_and_statistics_gets_a_clear_400(client, head, slot, name, day):
    log_in(client, head)
    response = client.get(reverse(name), {"site": slot.counter_type.site_id, "start": day, "end": day})
    assert response.status_code == 400
    assert "Saisissez une date comprise entre 1900 et 2199" in text(response)


@pytest.mark.parametrize("day", FAR_DATES)
def test_a_far_expiry_date_on_the_eligibility_step_gets_a_clear_400(client, day):
    from counters.models import CounterType
    from tests.factories import CounterTypeFactory

    renewal = CounterTypeFactory(eligibility=CounterType.Eligibility.RENEWAL)
    client.get(reverse("booking:start", args=[renewal.pk]), {"questions": "1"})  # no place: the questions' link
    response = client.post(reverse("booking:eligibility"), {"permit_expires_on": day})
    assert response.status_code == 400
    assert "Saisissez une date comprise entre 1900 et 2199" in text(response)


@pytest.mark.parametrize(
    "query",
    [
        "slot__starts_at__year=9999",
        "slot__starts_at__year=9999&slot__starts_at__month=12",
        "slot__starts_at__year=9999&slot__starts_at__month=12&slot__starts_at__day=31",
    ],
)
def test_an_admin_drill_down_to_a_far_date_goes_back_to_the_list(admin_client, slot, book, query):
    book(slot)
    response = admin_client.get(f"/admin/booking/booking/?{query}")
    assert response.status_code == 302 and response["Location"].endswith("?e=1")


@pytest.mark.parametrize(
    "path",
    [
        "/admin/counters/slot/?starts_at__year=9999",
        "/admin/counters/exceptionalopening/?date__year=9999&date__month=12",
        "/admin/counters/closure/?start_date__year=9999&start_date__month=12&start_date__day=31",
    ],
)
def test_every_admin_date_drill_down_is_guarded(admin_client, path):
    response = admin_client.get(path)
    assert response.status_code == 302 and response["Location"].endswith("?e=1")


@pytest.mark.parametrize(
    "path",
    [
        "/admin/booking/booking/?status=%00",
        "/admin/booking/booking/?channel=%00",
        "/admin/booking/outboundemail/?kind=%00",
        "/admin/booking/booking/?q=%00",
    ],
)
def test_a_nul_byte_in_an_admin_filter_is_a_bad_request(admin_client, path):
    response = admin_client.get(path)
    assert response.status_code == 400


def test_the_admin_offers_no_way_to_add_an_email_about_nothing(admin_client):
    """Found by the fuzz test: an e-mail added by hand was about no booking, registration or entry (a 500)."""
    from booking.models import OutboundEmail

    add = reverse("admin:booking_outboundemail_add")
    assert admin_client.get(add).status_code == 403
    assert admin_client.post(add, {"status": "queued"}).status_code == 403
    assert not OutboundEmail.objects.exists()
