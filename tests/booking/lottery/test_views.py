"""The lottery's pages, as a resident uses them: the opening's page, registering with a proof of work, the code,
the registration's page before and after the draw, the published draw, joining the waiting list in one step."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.urls import reverse

from booking.lottery.drawing import draw_lottery
from booking.lottery.models import Lottery, Registration
from booking.waitlist.models import WaitlistEntry
from tests.antibot import proof
from tests.factories import ExceptionalOpeningFactory
from tests.fairness import draw_time, lottery_opening, registered
from tests.flow import last_code

pytestmark = pytest.mark.django_db

IDENTITY = {
    "last_name": "Nguyen",
    "first_names": "Van Anh",
    "birth_date": "1992-03-04",
    "nationality": "VN",
    "foreigner_number": "7512345678",
    "passport_number": "",
    "email": "van.anh@example.org",
    "email_confirmation": "van.anh@example.org",
    "phone": "",
}


def register_url(opening):
    return reverse("lottery:register", args=[opening.pk, opening.counter_types.get().pk])


def post_registration(client, opening, **changes):
    data = {**IDENTITY, "certify": "on", "altcha": proof("lottery"), **changes}
    return client.post(register_url(opening), data)


def test_the_opening_page_shows_how_to_register_and_the_seeds_commitment_only(client):
    opening = lottery_opening()
    page = client.get(reverse("lottery:opening", args=[opening.pk])).content.decode()
    lottery = Lottery.objects.get(opening=opening)
    assert lottery.seed_commitment in page and lottery.seed not in page
    assert register_url(opening) in page
    home = client.get("/").content.decode()
    assert reverse("lottery:opening", args=[opening.pk]) in home  # announced as a lottery
    assert "/rendez-vous/demarche/" not in home.split('id="procedures-title"')[0]


def test_a_resident_registers_proves_the_address_and_is_told_when_the_draw_is(
    client, django_capture_on_commit_callbacks
):
    opening = lottery_opening()
    assert client.get(register_url(opening)).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = post_registration(client, opening)
    assert response.status_code == 302 and response.url == reverse("lottery:verify")
    code_page = client.get(response.url).content.decode()
    assert "van.anh@example.org" in code_page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("lottery:verify"), {"code": last_code()})
    registration = Registration.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("lottery:registration", args=[registration.token])
    page = client.get(response.url).content.decode()
    assert "Vous êtes inscrit au tirage au sort" in page
    assert registration.registration_hash in page


def test_registering_twice_gets_the_same_answer_and_no_code_works(client, django_capture_on_commit_callbacks):
    opening = lottery_opening()
    registered(opening, 1, foreigner_number=IDENTITY["foreigner_number"], birth_date=dt.date(1992, 3, 4))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = post_registration(
            client, opening, email="intruder@example.org", email_confirmation="intruder@example.org"
        )
    assert response.status_code == 302 and response.url == reverse("lottery:verify")
    assert Registration.objects.count() == 1
    assert all(message.to != ["intruder@example.org"] for message in mail.outbox)
    response = client.post(reverse("lottery:verify"), {"code": "123456"})
    assert response.status_code == 400 and "Ce code ne correspond pas" in response.content.decode()


def test_a_form_with_mistakes_keeps_what_was_typed_and_spends_no_proof(client):
    opening = lottery_opening()
    solved = proof("lottery")
    response = post_registration(client, opening, altcha=solved, email_confirmation="other@example.org")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Les deux adresses e-mail ne sont pas identiques" in page and "Nguyen" in page
    assert not Registration.objects.exists()
    # The proof was checked last, after the addresses: still unused, it is accepted with the correction.
    assert post_registration(client, opening, altcha=solved).status_code == 302


def test_after_the_draw_the_page_publishes_the_seed_and_order_and_finds_a_hash(client):
    opening = lottery_opening(places=1)
    registrations = [registered(opening, n) for n in range(3)]
    draw_lottery(lottery_id=opening.lottery.pk, now=draw_time(opening))
    lottery = Lottery.objects.get(opening=opening)
    url = reverse("lottery:opening", args=[opening.pk])

    page = client.get(url).content.decode()
    assert lottery.seed in page
    ranked = list(Registration.objects.order_by("rank"))
    positions = [page.index(r.registration_hash) for r in ranked]
    assert positions == sorted(positions)
    assert not [r.last_name for r in registrations if r.last_name in page]

    found = client.get(url, {"empreinte": ranked[1].registration_hash.upper()}).content.decode()
    assert "Cette inscription est au rang 2 du tirage" in found
    missing = client.get(url, {"empreinte": "not a hash"}).content.decode()
    assert "Aucune inscription de ce tirage n'a cette empreinte" in missing

    text = client.get(reverse("lottery:draw-text", args=[opening.pk])).content.decode()
    assert f"seed {lottery.seed}" in text
    assert f"1 {ranked[0].registration_hash} 0" in text


def test_someone_not_drawn_joins_the_waiting_list_in_one_step(client):
    opening = lottery_opening(places=1)
    for n in range(2):
        registered(opening, n)
    draw_lottery(lottery_id=opening.lottery.pk, now=draw_time(opening))
    reserve = Registration.objects.get(status=Registration.Status.RESERVE)

    page = client.get(reverse("lottery:registration", args=[reserve.token])).content.decode()
    join_url = reverse("lottery:join-waitlist", args=[reserve.token])
    assert "Vous n'avez pas été tiré au sort" in page and join_url in page
    form = client.get(join_url).content.decode()
    assert re.search(r'value="5"[^>]*checked', form)  # the days prefilled, Saturday included

    response = client.post(join_url, {"weekdays": ["1", "5"]})
    entry = WaitlistEntry.objects.get()
    assert response.status_code == 302 and response.url == reverse("waitlist:entry", args=[entry.token])
    assert entry.status == WaitlistEntry.Status.WAITING and entry.email == reserve.email
    assert entry.weekday_numbers == [1, 5]
    again = client.post(join_url, {"weekdays": ["1"]})
    assert again.status_code == 200 and WaitlistEntry.objects.count() == 1


def test_unknown_links_and_openings_are_404(client):
    first_come = ExceptionalOpeningFactory()
    assert client.get(reverse("lottery:opening", args=[first_come.pk])).status_code == 404
    for name in ("lottery:registration", "lottery:verify-link", "lottery:join-waitlist"):
        assert client.get(reverse(name, args=["x" * 43])).status_code == 404
    opening = lottery_opening()
    assert client.get(reverse("lottery:register", args=[opening.pk, 999999])).status_code == 404
    assert client.get(reverse("lottery:draw-text", args=[opening.pk])).status_code == 404  # not drawn yet


def test_registration_is_rate_limited_per_identity(client, settings):
    settings.RATE_LIMITS = {"lottery:identity": (1, 3600)}
    opening = lottery_opening()
    assert post_registration(client, opening).status_code == 302
    response = post_registration(client, opening)
    assert response.status_code == 429 and response.has_header("Retry-After")
