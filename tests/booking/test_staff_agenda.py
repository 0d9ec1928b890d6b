"""The agenda: searching it, counters in natural order, filter forms that keep the URL clean."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.conftest import log_in
from tests.factories import CounterFactory, CounterTypeFactory, SiteFactory, SlotFactory, at, book_confirmed, person

pytestmark = pytest.mark.django_db

GET_FORM = re.compile(r'<form method="get".*?</form>', re.DOTALL)


def _book(counter_type, starts_at, n=0, counter=None, **identity):
    slot = SlotFactory(
        counter_type=counter_type, starts_at=starts_at, capacity=5, **({"counter": counter} if counter else {})
    )
    return book_confirmed(counter_type=counter_type, starts_at=slot.starts_at, person=person(n, **identity))


def _agenda(client, site, **params):
    response = client.get(reverse("staff:agenda"), {"site": site.pk, **params})
    return response, response.content.decode()


@pytest.fixture
def day_of_bookings(db):
    """Three people booked today at one site, one of them again tomorrow, a namesake at another site."""
    counter_type = CounterTypeFactory()
    today, nine = timezone.localdate(), at(timezone.localdate(), 9)
    people = {
        "lefevre": _book(counter_type, nine, 1, last_name="Lefèvre", first_names="Zoé Anaïs"),
        "diallo": _book(counter_type, at(today, 10), 2, foreigner_number="7512345678"),
        "passport": _book(
            counter_type, at(today, 11), 3, last_name="Nguyễn", foreigner_number="", passport_number="XK1234567"
        ),
    }
    other_type = CounterTypeFactory(site=counter_type.site)
    people["tomorrow"] = _book(other_type, at(today + dt.timedelta(days=1), 9), 4, last_name="Lefèvre")
    elsewhere = CounterTypeFactory(site=SiteFactory())
    people["elsewhere"] = _book(elsewhere, nine, 5, last_name="Lefèvre")
    return counter_type.site, people


@pytest.mark.parametrize(
    ("search", "found"),
    [
        ("lefevre", {"lefevre"}),
        ("LEFÈVRE", {"lefevre"}),
        ("zoe anais", {"lefevre"}),
        ("anaïs lefèvre", {"lefevre"}),
        ("nguyen", {"passport"}),
        ("7512345678", {"diallo"}),
        ("xk1234567", {"passport"}),
        ("lefevre aminata", set()),
    ],
)
def test_the_agenda_searches_names_and_numbers_without_case_or_accents_within_its_day_and_site(
    client, agent, day_of_bookings, search, found
):
    site, people = day_of_bookings
    log_in(client, agent)
    response, page = _agenda(client, site, search=search)
    assert response.status_code == 200
    assert {name for name, booking in people.items() if booking.display_reference in page} == found


def test_the_agenda_finds_a_reference_as_read_out_or_typed(client, agent, day_of_bookings):
    site, people = day_of_bookings
    wanted = people["diallo"]
    log_in(client, agent)
    for typed in (
        wanted.display_reference.lower(),
        wanted.reference,
        wanted.reference[:4] + " " + wanted.reference[4:],
    ):
        _, page = _agenda(client, site, search=typed)
        assert {n for n, b in people.items() if b.display_reference in page} == {"diallo"}, typed


def test_a_search_with_no_match_says_so(client, agent, day_of_bookings):
    site, _people = day_of_bookings
    log_in(client, agent)
    response, page = _agenda(client, site, search="Personne")
    assert response.status_code == 200
    assert "Aucun rendez-vous ne correspond à « Personne »" in page


def test_an_overlong_search_gets_a_message_and_a_400(client, agent, day_of_bookings):
    site, _people = day_of_bookings
    log_in(client, agent)
    response, page = _agenda(client, site, search="x" * 101)
    assert response.status_code == 400
    assert "Saisissez au plus 100 caractères" in page


def test_searching_the_agenda_does_not_query_per_booking(client, agent):
    counter_type = CounterTypeFactory()
    nine = at(timezone.localdate(), 9)
    _book(counter_type, nine, 0, last_name="Martin")
    log_in(client, agent)
    with CaptureQueriesContext(connection) as few:
        _agenda(client, counter_type.site, search="martin")
    for n in range(1, 12):
        counter = CounterFactory(site=counter_type.site)
        _book(counter_type, nine, n, counter=counter, last_name=f"Martin-{n}")
    with CaptureQueriesContext(connection) as many:
        _, page = _agenda(client, counter_type.site, search="martin")
    assert page.count("/agents/rendez-vous/") >= 12
    assert len(many) == len(few)


def test_counters_are_listed_in_natural_order_in_the_agenda_and_its_filter(client, agent):
    counter_type = CounterTypeFactory()
    site, nine = counter_type.site, at(timezone.localdate(), 9)
    for n, label in enumerate(["Dépôt 10", "Dépôt 2", "dépôt 1", "Accueil"]):
        _book(counter_type, nine, n, counter=CounterFactory(site=site, label=label))
    log_in(client, agent)
    _, page = _agenda(client, site)
    table = page[page.index("<tbody>") :]
    assert re.findall(r"<td>((?:[Dd]épôt \d+)|Accueil)</td>", table) == ["Accueil", "dépôt 1", "Dépôt 2", "Dépôt 10"]
    options = re.search(r'<select name="counter".*?</select>', page, re.DOTALL).group()
    labels = re.findall(r">((?:[Dd]épôt \d+)|Accueil) — ", options)
    assert labels == ["Accueil", "dépôt 1", "Dépôt 2", "Dépôt 10"]


@pytest.mark.parametrize("name", ["staff:agenda", "staff:statistics", "staff:export", "staff:book"])
def test_get_forms_carry_no_csrf_token_into_the_url(client, head, name):
    SlotFactory()
    log_in(client, head)
    page = client.get(reverse(name)).content.decode()
    forms = GET_FORM.findall(page)
    assert forms, "no GET form on the page"
    assert not any("csrfmiddlewaretoken" in form for form in forms)
