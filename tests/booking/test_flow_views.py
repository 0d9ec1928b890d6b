import datetime as dt
import html

import pytest
from django.urls import reverse
from django.utils import timezone

from booking.models import Booking
from counters.models import CounterType, Slot
from counters.services import generate_slots
from tests.clock import freeze
from tests.factories import CounterTypeFactory, SlotFactory, at, days_through, next_weekday, person
from tests.flow import enter_code, hold

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
    """Start a booking, by the link that also goes on where no place is left (test_no_place_start.py):
    some procedures here have none, their questions and times being what is tested."""
    return client.get(reverse("booking:start", args=[counter_type.pk]), {"questions": "1"})


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


def test_full_flow_holds_then_confirms_with_the_emailed_code_and_shows_the_confirmation(
    client, slot, mailoutbox, django_capture_on_commit_callbacks
):
    to_review(client, slot)
    with django_capture_on_commit_callbacks(execute=True):
        response = hold(client)

    booking = Booking.objects.get()
    assert response.status_code == 302 and response.url == reverse("booking:verify")
    assert booking.status == Booking.Status.HELD and Slot.objects.get(pk=slot.pk).booked == 1
    # The first e-mail carries only the code and the link: no convocation, no manage link yet.
    (code_email,) = mailoutbox
    assert code_email.attachments == [] and booking.token not in code_email.body
    assert booking.verification_token in code_email.body
    page = client.get(response.url).content.decode()
    assert "van.anh@example.org" in page and "code à 6 chiffres" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = enter_code(client)

    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED
    assert response.status_code == 302
    assert response.url == reverse("booking:confirmation", args=[booking.token])
    page = client.get(response.url).content.decode()
    assert booking.display_reference in page
    assert slot.counter_type.site.address in page and "Passeport" in page
    assert reverse("booking:manage", args=[booking.token]) in page
    assert booking.email == "van.anh@example.org" and booking.foreigner_number == "7512345678"
    assert Slot.objects.get(pk=slot.pk).booked == 1
    assert len(mailoutbox) == 2 and len(mailoutbox[1].attachments) == 2  # the convocation: .ics and PDF
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


NOW = at(dt.date(2026, 11, 10), 10)  # a Tuesday
EXPIRY = dt.date(2027, 1, 15)  # a Friday


@pytest.fixture
def renewal(monkeypatch):
    """A renewal procedure, booked on 10 November 2026, 1 to 90 days ahead."""
    freeze(monkeypatch, NOW)
    urgent = CounterTypeFactory(eligibility=Rule.EXPIRED_PERMIT, name="Guichet urgent")
    return CounterTypeFactory(
        site=urgent.site, eligibility=Rule.RENEWAL, urgent_counter_type=urgent, min_days_ahead=1, max_days_ahead=90
    )


def renew(client, counter_type, expiry, kind="permit_renewal"):
    start(client, counter_type)
    return client.post(reverse("booking:eligibility"), {"application_kind": kind, "permit_expires_on": expiry})


def test_renewal_too_early_is_refused_with_the_date_to_come_back(client, renewal):
    response = renew(client, renewal, "2027-05-20")  # renewal days from 20 March; booking 90 days ahead
    assert response.status_code == 400
    assert "à partir du 20 décembre 2026" in html.unescape(response.content.decode())


def test_expired_renewal_is_sent_to_the_urgent_counter(client, renewal):
    SlotFactory(counter_type=renewal.urgent_counter_type, starts_at=at(dt.date(2026, 11, 12), 9))
    response = renew(client, renewal, "2026-11-07")
    page = client.get(response.url).content.decode()
    assert response.url == reverse("booking:slot")
    assert "Guichet urgent" in page


@pytest.mark.parametrize("value", ["", "31/02/2026", "pas une date"])
def test_bad_expiry_date_gets_a_message_and_400(client, renewal, value):
    response = renew(client, renewal, value)
    assert response.status_code == 400
    assert "fr-message--error" in response.content.decode()


def test_renewal_procedure_asks_first_application_or_renewal(client, renewal):
    start(client, renewal)
    page = html.unescape(client.get(reverse("booking:eligibility")).content.decode())
    for answer in ("Première demande de titre de séjour", "Renouvellement d'un titre de séjour", "récépissé"):
        assert answer in page
    response = client.post(reverse("booking:eligibility"), {"permit_expires_on": "2027-01-15"})
    assert response.status_code == 400
    assert "première demande ou d'un renouvellement" in html.unescape(response.content.decode())


def test_renewal_is_offered_days_only_up_to_the_permits_expiry(client, renewal):
    for day in (dt.date(2027, 1, 14), EXPIRY, dt.date(2027, 1, 18)):
        SlotFactory(counter_type=renewal, starts_at=at(day, 9))
    assert renew(client, renewal, EXPIRY.isoformat()).url == reverse("booking:slot")
    page = client.get(reverse("booking:slot")).content.decode()
    assert "?jour=2027-01-14" in page and "?jour=2027-01-15" in page
    assert "?jour=2027-01-18" not in page
    after_expiry = client.get(reverse("booking:slot"), {"jour": "2027-01-18"})
    assert after_expiry.status_code == 400
    posted = client.post(reverse("booking:slot"), {"jour": "2027-01-18", "starts_at": at(dt.date(2027, 1, 18), 9)})
    assert posted.status_code == 400


def test_a_first_application_books_without_an_expiry_date(client, renewal, django_capture_on_commit_callbacks):
    slot = SlotFactory(counter_type=renewal, starts_at=at(dt.date(2027, 2, 1), 9))  # no expiry to respect
    # A date typed by mistake with a first application is not kept.
    assert renew(client, renewal, "2026-01-01", kind="first").url == reverse("booking:slot")
    client.post(reverse("booking:slot"), {"jour": "2027-02-01", "starts_at": slot.starts_at.isoformat()})
    client.post(reverse("booking:identity"), IDENTITY)
    with django_capture_on_commit_callbacks(execute=True):
        response = hold(client)
    assert response.status_code == 302
    booking = Booking.objects.get()
    assert (booking.application_kind, booking.permit_expires_on) == ("first", None)


def test_review_refuses_a_day_after_expiry_and_keeps_what_was_typed(client, renewal):
    """The service checks the day even when the page that offers days is bypassed (an altered draft)."""
    allowed = SlotFactory(counter_type=renewal, starts_at=at(EXPIRY, 9))
    late = SlotFactory(counter_type=renewal, starts_at=at(dt.date(2027, 1, 18), 9))
    renew(client, renewal, EXPIRY.isoformat())
    client.post(reverse("booking:slot"), {"jour": EXPIRY.isoformat(), "starts_at": allowed.starts_at.isoformat()})
    client.post(reverse("booking:identity"), IDENTITY)
    session = client.session
    session["booking_draft"]["starts_at"] = late.starts_at.isoformat()
    session.save()

    response = hold(client)

    page = html.unescape(response.content.decode())
    assert response.status_code == 409
    assert "au plus tard ce jour-là" in page and "Nguyen" in page
    assert not Booking.objects.exists()
    assert Slot.objects.get(pk=late.pk).booked == 0


def test_slot_page_lists_days_and_times_with_places_left(client):
    counter_type = CounterTypeFactory()
    monday = next_weekday(0)
    SlotFactory(counter_type=counter_type, starts_at=at(monday, 9), capacity=3)
    SlotFactory(counter_type=counter_type, starts_at=at(monday, 9, 15), capacity=1, booked=1)  # full
    SlotFactory(counter_type=counter_type, starts_at=at(monday + dt.timedelta(days=1), 10), capacity=1)
    start(client, counter_type)
    client.get(reverse("booking:eligibility"))

    page = client.get(reverse("booking:slot"), {"jour": monday.isoformat()}).content.decode()

    assert "09:00" in page and "3 places disponibles" in page
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
    assert "Le formulaire contient 1 erreur" in page  # the summary at the top, focused on load
    assert 'id="form-errors"' in page and "autofocus" in page


def test_review_requires_the_certification(client, slot):
    to_review(client, slot)
    response = client.post(reverse("booking:review"), {})
    assert response.status_code == 400 and "Cochez cette case" in response.content.decode()
    assert not Booking.objects.exists()


def test_last_place_taken_between_steps_sends_back_to_slots_keeping_identity(client, slot):
    to_review(client, slot)
    Slot.objects.filter(pk=slot.pk).update(booked=slot.capacity)

    response = hold(client, follow=True)

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


def test_a_second_booking_for_the_same_person_gets_the_same_answer_and_its_holder_is_emailed(
    client, slot, mailoutbox, django_capture_on_commit_callbacks
):
    from tests.factories import book_confirmed

    first = book_confirmed(
        counter_type=slot.counter_type,
        starts_at=slot.starts_at,
        person=person(foreigner_number="7512345678", birth_date=dt.date(1992, 3, 4), email="holder@example.org"),
    )
    to_review(client, slot)
    with django_capture_on_commit_callbacks(execute=True):
        response = hold(client)
    # The same answer as a hold: the code page, which says only that a holder, if any, was e-mailed.
    assert response.status_code == 302 and response.url == reverse("booking:verify")
    page = html.unescape(client.get(response.url).content.decode())
    assert "van.anh@example.org" in page and "Si un rendez-vous existe déjà" in page
    assert "déjà un rendez-vous" not in page
    assert Booking.objects.count() == 1
    # The holder (at the address given when booking) gets their link; the address just typed gets nothing.
    (notice,) = mailoutbox
    assert notice.to == ["holder@example.org"] and first.token in notice.body
    # A code typed there never matches, with the same count of tries as a real hold.
    wrong = enter_code(client, "123456")
    assert wrong.status_code == 400 and "il vous reste 4 essais" in html.unescape(wrong.content.decode())


def test_unknown_booking_link_gets_a_clear_404(client):
    for name in ("booking:manage", "booking:confirmation"):
        response = client.get(reverse(name, args=["not-a-real-token"]))
        assert response.status_code == 404
        assert "aucun rendez-vous" in response.content.decode()


def test_manage_page_shows_the_booking(client, slot):
    from tests.factories import book_confirmed

    booking = book_confirmed(counter_type=slot.counter_type, starts_at=slot.starts_at, person=person())
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


def test_the_error_summary_links_each_error_to_its_box(client, slot):
    to_identity(client, slot)
    response = client.post(
        reverse("booking:identity"),
        {
            **IDENTITY,
            "last_name": "",
            "birth_date": "",
            "birth_date_day": "31",
            "birth_date_month": "2",
            "birth_date_year": "1990",
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Le formulaire contient 2 erreurs" in page
    assert '<a href="#id_last_name">Nom de famille : Ce champ est obligatoire.</a>' in page
    # A date's error leads to its first box, the day.
    assert '<a href="#id_birth_date_0">Date de naissance : Cette date n&#x27;existe pas' in page
    assert 'name="birth_date_day" value="31"' in page  # what was typed is kept


@pytest.mark.parametrize(
    "parts, message",
    [
        (("", "7", "1990"), "Indiquez le jour."),
        (("14", "", "1990"), "Indiquez le mois."),
        (("14", "7", ""), "Indiquez l&#x27;année."),
        (("32", "7", "1990"), "Le jour est un nombre de 1 à 31."),
        (("14", "13", "1990"), "Le mois est un nombre de 1 à 12."),
        (("14", "7", "90"), "L&#x27;année s&#x27;écrit avec 4 chiffres"),
        (("29", "2", "1991"), "Cette date n&#x27;existe pas"),
    ],
)
def test_a_birth_date_is_typed_as_day_month_and_year(client, slot, parts, message):
    to_identity(client, slot)
    typed = dict(zip(("birth_date_day", "birth_date_month", "birth_date_year"), parts, strict=True))
    response = client.post(reverse("booking:identity"), {**IDENTITY, "birth_date": "", **typed})
    assert response.status_code == 400
    assert message in response.content.decode()


def test_a_birth_date_typed_in_three_boxes_is_kept(client, slot):
    to_identity(client, slot)
    typed = {"birth_date_day": "14", "birth_date_month": "7", "birth_date_year": "1988"}
    response = client.post(reverse("booking:identity"), {**IDENTITY, "birth_date": "", **typed})
    assert response.status_code == 302
    assert client.session["booking_draft"]["person"]["birth_date"] == "1988-07-14"


def test_the_slot_page_groups_the_days_by_week_and_leads_each_day_to_its_times(client):
    counter_type = CounterTypeFactory(min_days_ahead=0)
    monday = next_weekday(0, after=timezone.localdate() + dt.timedelta(days=1))
    wednesday = next_weekday(2, after=monday)
    days = [monday, wednesday, next_weekday(0, after=wednesday)]  # working days (no public holiday)
    weeks = {day - dt.timedelta(days=day.weekday()) for day in days}
    assert len(weeks) in (2, 3)
    for day in days:
        SlotFactory(counter_type=counter_type, starts_at=at(day, 10), capacity=1)
    start(client, counter_type)
    client.get(reverse("booking:eligibility"))

    page = client.get(reverse("booking:slot"), {"jour": days[1].isoformat()}).content.decode()

    assert page.count('class="slot-week"') == len(weeks)
    assert page.count("Semaine du ") == len(weeks)
    for day in days:
        assert f'href="?jour={day.isoformat()}#horaires"' in page
    assert 'id="horaires" tabindex="-1"' in page
    # The skip links start with the chosen day's times; a link before the days leads there too.
    skiplinks = page[page.index("fr-skiplinks__list") : page.index("</ul>", page.index("fr-skiplinks__list"))]
    assert skiplinks.index('href="#horaires"') < skiplinks.index('href="#content"')
    assert "Aller aux horaires du" in page
