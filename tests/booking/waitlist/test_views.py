"""The waiting list's pages: offered where no place is left, joining with a proof of work and the code, the
person's entry and leaving it, an offer accepted or declined from its link."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from booking.models import Booking
from booking.services import cancel_booking, expire_holds, release_withheld_places
from booking.waitlist.models import Offer, WaitlistEntry
from counters.models import WithheldPlace
from prefecture.log_filters import mask_tokens
from tests.antibot import proof
from tests.factories import CounterTypeFactory, SlotFactory, at, book_confirmed, next_weekday, person
from tests.fairness import waiting
from tests.flow import last_code

pytestmark = pytest.mark.django_db
Status = WaitlistEntry.Status

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


@pytest.fixture
def full(db):
    """A procedure whose only slot is taken."""
    slot = SlotFactory(starts_at=at(next_weekday(1, after=timezone.localdate() + dt.timedelta(days=3)), 10), capacity=1)
    book_confirmed(counter_type=slot.counter_type, starts_at=slot.starts_at, person=person(99))
    return slot


def join(client, counter_type, **changes):
    data = {**IDENTITY, "weekdays": ["0", "1", "2"], "certify": "on", "altcha": proof("waiting-list"), **changes}
    return client.post(reverse("waitlist:join", args=[counter_type.pk]), data)


def test_where_no_place_is_left_the_pages_offer_the_waiting_list(client, full):
    join_url = reverse("waitlist:join", args=[full.counter_type.pk])
    start = reverse("booking:start", args=[full.counter_type.pk])
    assert join_url in client.get(start).content.decode()  # the first page says it at once
    client.get(start, {"questions": "1"})  # going on all the same
    assert join_url in client.get(reverse("booking:eligibility"), follow=True).content.decode()
    assert join_url in client.get(reverse("booking:slot")).content.decode()


def test_a_resident_joins_proves_the_address_and_sees_their_entry(client, full, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = join(client, full.counter_type)
    assert response.status_code == 302 and response.url == reverse("waitlist:verify")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("waitlist:verify"), {"code": last_code()})
    entry = WaitlistEntry.objects.get()
    assert response.url == reverse("waitlist:entry", args=[entry.token])
    page = client.get(response.url).content.decode()
    assert "Vous êtes sur la liste d'attente" in page and "lundi, mardi, mercredi" in page
    assert entry.weekday_numbers == [0, 1, 2] and entry.status == Status.WAITING

    response = client.post(reverse("waitlist:leave", args=[entry.token]))
    assert response.status_code == 302
    assert "Vous avez quitté la liste d'attente" in client.get(response.url).content.decode()


def test_joining_while_places_are_free_is_sent_to_them(client):
    slot = SlotFactory(starts_at=at(next_weekday(1), 10), capacity=1)
    page = client.get(reverse("waitlist:join", args=[slot.counter_type.pk])).content.decode()
    assert "Des créneaux sont disponibles" in page
    assert join(client, slot.counter_type).status_code == 409
    assert not WaitlistEntry.objects.exists()


def test_joining_without_a_weekday_is_refused_with_what_was_typed_kept(client, full):
    response = join(client, full.counter_type, weekdays=[])
    assert response.status_code == 400
    assert "Cochez au moins un jour" in response.content.decode() and "Nguyen" in response.content.decode()


def offered(full) -> Offer:
    waiting(full.counter_type, 1)
    cancel_booking(booking_id=Booking.objects.get(slot=full).pk)
    release_withheld_places(now=WithheldPlace.objects.get().release_at)
    return Offer.objects.get()


def test_an_offer_is_accepted_from_its_link(client, full, django_capture_on_commit_callbacks):
    offer = offered(full)
    url = reverse("waitlist:offer", args=[offer.booking.verification_token])
    page = client.get(url).content.decode()
    assert "Une place vous est proposée" in page and "Accepter ce rendez-vous" in page
    offer.booking.refresh_from_db()
    assert offer.booking.status == Booking.Status.HELD  # opening the link changes nothing

    response = client.post(url, {"answer": "accept"})
    assert response.status_code == 302
    assert response.url == reverse("booking:confirmation", args=[offer.booking.token])
    offer.refresh_from_db()
    assert offer.outcome == Offer.Outcome.ACCEPTED
    assert client.get(url).status_code == 302  # the link now leads to the booking


def test_an_offer_is_declined_from_its_link(client, full):
    offer = offered(full)
    url = reverse("waitlist:offer", args=[offer.booking.verification_token])
    response = client.post(url, {"answer": "decline"})
    assert response.status_code == 200 and "Vous restez sur la liste d'attente" in response.content.decode()
    offer.refresh_from_db()
    assert offer.outcome == Offer.Outcome.DECLINED
    assert client.post(url, {"answer": "accept"}).status_code == 410


def test_an_expired_offer_says_so(client, full):
    offer = offered(full)
    expire_holds(now=offer.expires_at)
    response = client.get(reverse("waitlist:offer", args=[offer.booking.verification_token]))
    assert response.status_code == 410 and "La place a été proposée à la personne suivante" in response.content.decode()


def test_an_offer_page_without_an_answer_is_a_400(client, full):
    offer = offered(full)
    url = reverse("waitlist:offer", args=[offer.booking.verification_token])
    assert client.post(url, {"answer": "maybe"}).status_code == 400


def test_unknown_links_are_404(client):
    for name in ("waitlist:entry", "waitlist:verify-link", "waitlist:offer"):
        assert client.get(reverse(name, args=["x" * 43])).status_code == 404
    assert client.get(reverse("waitlist:join", args=[CounterTypeFactory(online_booking=False).pk])).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/tirage/valider/abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG/",
        "/tirage/mon-inscription/abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG/liste-attente/",
        "/liste-attente/valider/abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG/",
        "/liste-attente/inscription/abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG/quitter/",
        "/liste-attente/offre/abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG/",
    ],
)
def test_the_links_of_registrations_entries_and_offers_are_masked_in_logs(path):
    assert "abcdefghijklmnop" not in mask_tokens(f'"GET {path} HTTP/1.1" 404')
