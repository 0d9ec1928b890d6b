import datetime as dt
import html
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from booking.models import Booking, OutboundEmail
from counters.models import Slot, WithheldPlace
from tests.antibot import proof


@pytest.fixture
def booking(slot, book):
    booking = book(slot)
    mail.outbox.clear()
    return booking


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def url(name, booking):
    return reverse(f"booking:{name}", kwargs={"token": booking.token})


def text(response) -> str:
    return html.unescape(response.content.decode())


def time_key(slot) -> str:
    """The value the move form offers for a slot's time (local time, as on the page)."""
    return timezone.localtime(slot.starts_at).isoformat()


def places_taken(slot) -> int:
    return Slot.objects.get(pk=slot.pk).booked


def test_manage_page_shows_the_booking_and_what_can_be_done(client, booking):
    response = client.get(url("manage", booking))
    assert response.status_code == 200
    page = text(response)
    assert booking.display_reference in page
    for target in ("convocation", "calendar", "move", "cancel"):
        assert url(target, booking) in page
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("name", ["manage", "cancel", "move", "convocation", "calendar"])
def test_unknown_or_altered_link_gets_a_clear_404_page(client, booking, name):
    altered = booking.token[:-1] + ("A" if booking.token[-1] != "A" else "B")
    response = client.get(reverse(f"booking:{name}", kwargs={"token": altered}))
    assert response.status_code == 404
    assert "Ce lien ne correspond à aucun rendez-vous" in text(response)


def test_link_of_an_appointment_long_past_has_expired(client, booking):
    past = booking.slot.starts_at - dt.timedelta(days=40)
    Slot.objects.filter(pk=booking.slot_id).update(starts_at=past, ends_at=past + dt.timedelta(minutes=15))
    response = client.get(url("manage", booking))
    assert response.status_code == 410
    assert "Lien expiré" in text(response)


def release_withheld(slot) -> None:
    """Run the release job once every place withheld on `slot` is due."""
    from booking.services import release_withheld_places

    latest = WithheldPlace.objects.filter(slot=slot).latest("release_at").release_at
    release_withheld_places(now=latest)


def test_cancel_withholds_the_place_for_a_while_and_tells_the_resident(client, booking, slot, on_commit):
    assert places_taken(slot) == 1
    with on_commit():
        response = client.post(url("cancel", booking), follow=True)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED
    assert places_taken(slot) == 1  # withheld: nobody refreshing the page gets it at once
    release_withheld(slot)
    assert places_taken(slot) == 0
    assert response.status_code == 410  # the link now leads to the "cancelled" page
    assert "Votre rendez-vous est annulé" in text(response)
    [message] = mail.outbox
    assert message.subject.startswith("Annulation de votre rendez-vous")
    calendar = Calendar.from_ical(message.attachments[0][1])
    assert str(calendar["method"]) == "CANCEL"


def test_cancelled_link_cannot_cancel_again(client, booking, on_commit):
    with on_commit():
        client.post(url("cancel", booking))
    response = client.post(url("cancel", booking))
    assert response.status_code == 410
    assert OutboundEmail.objects.filter(booking=booking, kind="cancellation").count() == 1


def test_no_change_inside_the_cut_off(client, booking, slot):
    slot.counter_type.change_cutoff_hours = 100  # the appointment is 72 h away
    slot.counter_type.save()
    for name in ("cancel", "move"):
        response = client.post(url(name, booking), {"starts_at": "x"})
        assert response.status_code == 409
        assert "moins de 100 heures" in text(response)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED
    assert places_taken(slot) == 1
    assert "Déplacer mon rendez-vous" not in text(client.get(url("manage", booking)))


def test_move_takes_the_new_place_releases_the_old_and_sends_a_new_convocation(
    client, booking, slot, other_slot, on_commit
):
    day = timezone.localtime(other_slot.starts_at).date()
    with on_commit():
        response = client.post(url("move", booking), {"jour": day.isoformat(), "starts_at": time_key(other_slot)})
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.slot_id == other_slot.pk
    assert (places_taken(slot), places_taken(other_slot)) == (1, 1)  # the old place is withheld a while
    release_withheld(slot)
    assert (places_taken(slot), places_taken(other_slot)) == (0, 1)
    [message] = mail.outbox
    assert message.subject.startswith("Votre rendez-vous a été déplacé")
    assert sorted(mimetype for _n, _c, mimetype in message.attachments) == ["application/pdf", "text/calendar"]
    assert Calendar.from_ical(message.attachments[0][1]).events[0]["sequence"] == 1


def test_each_move_gets_its_own_email(booking, slot, other_slot, on_commit):
    from booking.services import move_booking

    with on_commit():
        move_booking(booking_id=booking.pk, starts_at=other_slot.starts_at)
    with on_commit():
        move_booking(booking_id=booking.pk, starts_at=slot.starts_at)
    moved = OutboundEmail.objects.filter(booking=booking, kind="moved").order_by("sequence")
    assert [(row.sequence, row.status) for row in moved] == [(1, "sent"), (2, "sent")]
    assert len(mail.outbox) == 2
    booking.refresh_from_db()
    assert booking.version == 2


def test_calendar_file_counts_the_moves_of_a_booking_that_has_no_email_address(client, slot, other_slot):
    """A caller booked by an agent may have no address, hence no e-mail rows: the version is the booking's own."""
    from booking.services import move_booking
    from tests.factories import book_confirmed, person

    booking = book_confirmed(
        counter_type=slot.counter_type, starts_at=slot.starts_at, person=person(email=""), staff=True
    )
    move_booking(booking_id=booking.pk, starts_at=other_slot.starts_at)
    move_booking(booking_id=booking.pk, starts_at=slot.starts_at)
    assert not OutboundEmail.objects.filter(booking=booking).exists()
    response = client.get(url("calendar", booking))
    assert Calendar.from_ical(response.content).events[0]["sequence"] == 2


def test_move_to_a_time_just_taken_changes_nothing_and_says_so(client, booking, slot, other_slot, book):
    book(other_slot, n=9)  # the last place goes to someone else
    mail.outbox.clear()
    response = client.post(url("move", booking), {"starts_at": time_key(other_slot)})
    assert response.status_code == 400  # the time is no longer offered: the form refuses it
    assert "plus disponible" in text(response)
    booking.refresh_from_db()
    assert booking.slot_id == slot.pk
    assert (places_taken(slot), places_taken(other_slot)) == (1, 1)
    assert mail.outbox == []


def test_move_service_refuses_a_full_slot_without_changing_anything(booking, slot, other_slot, book):
    from booking.exceptions import MoveSlotTaken
    from booking.services import move_booking

    book(other_slot, n=9)
    with pytest.raises(MoveSlotTaken):
        move_booking(booking_id=booking.pk, starts_at=other_slot.starts_at)
    booking.refresh_from_db()
    assert booking.slot_id == slot.pk
    assert (places_taken(slot), places_taken(other_slot)) == (1, 1)
    assert not OutboundEmail.objects.filter(kind="moved").exists()


def test_move_page_rejects_a_malformed_day_with_a_clear_message(client, booking):
    response = client.get(url("move", booking), {"jour": "2026-13-45"})
    assert response.status_code == 400
    assert "La date demandée n'est pas valide" in text(response)


def test_convocation_and_calendar_downloads(client, booking):
    pdf = client.get(url("convocation", booking))
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")
    ics = client.get(url("calendar", booking))
    assert ics["Content-Type"].startswith("text/calendar")
    assert Calendar.from_ical(ics.content).events[0].decoded("dtstart") == booking.slot.starts_at


def without_csrf_token(response) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def test_lost_link_form_resends_the_link_and_reveals_nothing(client, booking, on_commit):
    lost = reverse("booking:lost-link")
    with on_commit():
        matching = client.post(
            lost, {"reference": booking.display_reference.lower(), "email": booking.email, "altcha": proof("lost-link")}
        )
    with on_commit():
        wrong = client.post(lost, {"reference": "ZZZZ-ZZZZ", "email": booking.email, "altcha": proof("lost-link")})
    assert matching.status_code == wrong.status_code == 200
    # Identical but for the CSRF token of the header's language form, masked afresh on every response.
    assert without_csrf_token(matching) == without_csrf_token(wrong)
    [message] = mail.outbox
    assert booking.token in message.body
    assert message.to == [booking.email]


def test_lost_link_form_cannot_flood_a_mailbox(client, booking, on_commit):
    lost = reverse("booking:lost-link")
    for _ in range(3):
        with on_commit():
            data = {"reference": booking.reference, "email": booking.email.upper(), "altcha": proof("lost-link")}
            assert client.post(lost, data).status_code == 200
    assert len(mail.outbox) == 1


def test_lost_link_form_with_bad_input_answers_400_with_messages(client):
    response = client.post(reverse("booking:lost-link"), {"reference": "", "email": "not-an-email"})
    assert response.status_code == 400
    page = text(response)
    assert "Ce champ est obligatoire." in page
    assert "Saisissez une adresse e-mail valide" in page


@pytest.mark.django_db(transaction=True)
def test_two_residents_moving_to_the_last_place_one_wins_the_other_keeps_their_appointment(slot, other_slot):
    import threading

    from django.db import connection

    from booking.exceptions import MoveSlotTaken
    from booking.services import move_booking
    from tests.factories import book_confirmed, person

    first = book_confirmed(counter_type=slot.counter_type, starts_at=slot.starts_at, person=person(1))
    second = book_confirmed(counter_type=slot.counter_type, starts_at=slot.starts_at, person=person(2))
    start = threading.Barrier(2)
    outcomes = []

    def move(booking_id):
        try:
            start.wait()
            move_booking(booking_id=booking_id, starts_at=other_slot.starts_at)
            outcomes.append("moved")
        except MoveSlotTaken:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=move, args=(b.pk,)) for b in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["moved", "refused"]
    slots = sorted(Booking.objects.filter(pk__in=[first.pk, second.pk]).values_list("slot_id", flat=True))
    assert slots == sorted([slot.pk, other_slot.pk])
    # The mover's old place is withheld a while (still counted on `slot`), the last place is taken once.
    assert (places_taken(slot), places_taken(other_slot)) == (2, 1)
    assert WithheldPlace.objects.filter(slot=slot, released_at__isnull=True).count() == 1


def test_manage_page_opens_in_the_language_of_the_booking_unless_the_visitor_chose_one(client, booking):
    Booking.objects.filter(pk=booking.pk).update(language="en")
    url = reverse("booking:manage", args=[booking.token])
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert '<html lang="en"' in page
    client.post("/i18n/setlang/", {"language": "fr", "next": url})
    assert '<html lang="fr"' in client.get(url).content.decode()


def test_manage_page_in_english_has_english_punctuation(client, booking):
    def page(language):
        Booking.objects.filter(pk=booking.pk).update(language=language)  # the page opens in the booking's language
        return html.unescape(client.get(url("manage", booking)).content.decode())

    english, french = page("en"), page("fr")
    assert "Reference: <strong" in english and "Reference :" not in english
    assert "Référence : <strong" in french
    # Every language is offered in its own words, whatever the page's language.
    for page_text in (english, french):
        assert 'name="language" value="fr" lang="fr"' in page_text and ">Français</button>" in page_text
        assert 'name="language" value="en" lang="en"' in page_text and ">English</button>" in page_text


def test_manage_page_asks_the_service_whether_the_booking_may_change(client, booking, monkeypatch):
    """The page's cut-off is the service's: a refusal worded by the service is what the resident reads."""
    from booking.exceptions import BookingError
    from booking.views import manage

    def refuse(booking, *, now):
        raise BookingError("Refus décidé par le service")

    monkeypatch.setattr(manage, "check_changeable", refuse)
    page = text(client.get(url("manage", booking)))
    assert "Refus décidé par le service" in page and "Déplacer mon rendez-vous" not in page
    response = client.post(url("cancel", booking))
    assert response.status_code == 409 and "Refus décidé par le service" in text(response)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED


@pytest.mark.parametrize("change", ["cancel", "move"])
def test_services_refuse_a_change_inside_the_cut_off_even_without_the_page(db, change):
    """Called directly (an API, a script), cancel and move still obey the procedure's cut-off."""
    from booking.exceptions import ChangeTooLate
    from booking.services import cancel_booking, move_booking
    from tests.factories import SlotFactory, at, book_confirmed, person

    monday = dt.date(2027, 1, 11)
    slot = SlotFactory(starts_at=at(monday, 9), capacity=1)
    later = SlotFactory(counter_type=slot.counter_type, counter=slot.counter, starts_at=at(monday, 10), capacity=1)
    booking = book_confirmed(counter_type=slot.counter_type, starts_at=slot.starts_at, person=person())
    inside_cut_off = at(monday, 7, 30)  # the procedure's cut-off is 2 hours
    with pytest.raises(ChangeTooLate):
        if change == "cancel":
            cancel_booking(booking_id=booking.pk, now=inside_cut_off)
        else:
            move_booking(booking_id=booking.pk, starts_at=later.starts_at, now=inside_cut_off)
    booking.refresh_from_db()
    assert (booking.status, booking.slot_id) == (Booking.Status.CONFIRMED, slot.pk)
    assert (places_taken(slot), places_taken(later)) == (1, 0)


MOVE_NOW = dt.datetime(2026, 11, 10, 10, tzinfo=dt.UTC)
EXPIRY = dt.date(2027, 1, 15)


@pytest.fixture
def renewal_booking(db, monkeypatch):
    """A renewal of a permit expiring on 15 January 2027, booked for 12 January; a 10 November 2026 clock."""
    from booking.eligibility import Answers
    from booking.models import ApplicationKind
    from counters.models import CounterType
    from tests.clock import freeze
    from tests.factories import CounterTypeFactory, SlotFactory, at, book_confirmed, person

    freeze(monkeypatch, MOVE_NOW)
    renewal = CounterTypeFactory(eligibility=CounterType.Eligibility.RENEWAL, max_days_ahead=90)
    slots = {
        day: SlotFactory(counter_type=renewal, starts_at=at(day, 9), capacity=2)
        for day in (dt.date(2027, 1, 12), dt.date(2027, 1, 14), dt.date(2027, 1, 18))
    }
    SlotFactory(
        counter_type=renewal, counter=slots[dt.date(2027, 1, 12)].counter, starts_at=at(dt.date(2027, 1, 12), 10)
    )
    booking = book_confirmed(
        counter_type=renewal,
        starts_at=slots[dt.date(2027, 1, 12)].starts_at,
        person=person(),
        answers=Answers(ApplicationKind.PERMIT_RENEWAL, EXPIRY),
    )
    return booking, slots


def test_move_to_a_day_after_expiry_is_refused(renewal_booking):
    from booking.exceptions import OutsideRenewalWindow
    from booking.services import move_booking

    booking, slots = renewal_booking
    with pytest.raises(OutsideRenewalWindow):
        move_booking(booking_id=booking.pk, starts_at=slots[dt.date(2027, 1, 18)].starts_at, now=MOVE_NOW)
    booking.refresh_from_db()
    assert booking.slot_id == slots[dt.date(2027, 1, 12)].pk
    assert places_taken(slots[dt.date(2027, 1, 18)]) == 0
    moved = move_booking(booking_id=booking.pk, starts_at=slots[dt.date(2027, 1, 14)].starts_at, now=MOVE_NOW)
    assert moved.slot_id == slots[dt.date(2027, 1, 14)].pk


def test_move_page_offers_only_days_before_the_permits_expiry(client, renewal_booking):
    booking, slots = renewal_booking
    page = text(client.get(url("move", booking)))
    assert "?jour=2027-01-14" in page and "?jour=2027-01-18" not in page
    late = slots[dt.date(2027, 1, 18)]
    response = client.post(url("move", booking), {"jour": "2027-01-18", "starts_at": time_key(late)})
    assert response.status_code == 409
    assert "au plus tard ce jour-là" in text(response)
    booking.refresh_from_db()
    assert booking.slot_id == slots[dt.date(2027, 1, 12)].pk


def test_move_page_marks_the_current_time_and_does_not_offer_it(client, renewal_booking):
    booking, slots = renewal_booking
    page = text(client.get(url("move", booking), {"jour": "2027-01-12"}))
    current = re.search(r'<input[^>]*value="2027-01-12T09:00:00\+01:00"[^>]*>', page).group(0)
    assert "disabled" in current
    assert '<bdi dir="ltr">09:00 – 09:15</bdi> · votre rendez-vous actuel' in page
    other = re.search(r'<input[^>]*value="2027-01-12T10:00:00\+01:00"[^>]*>', page).group(0)
    assert "disabled" not in other
