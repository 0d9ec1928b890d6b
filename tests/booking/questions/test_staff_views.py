"""The team's pages: the inbox (boxes, filters, oldest first, their sites only), a thread answered from a template,
notes, assignment, an appointment offered as an answer, the phone log, the figures beside the appointments'."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from booking.models import Booking
from booking.questions.models import PhoneCall, Question, Topic
from booking.questions.services import reply_to_question
from tests.conftest import log_in
from tests.factories import CounterTypeFactory, SiteFactory, SlotFactory, at, book_confirmed, next_weekday, person

from .conftest import open_question

pytestmark = pytest.mark.django_db
Status = Question.Status


def inbox(client, **params):
    return client.get(reverse("staff:questions:inbox"), params)


def test_the_inbox_lists_the_sites_questions_oldest_first_by_box(client, site, topic, agent):
    now = timezone.now()
    newer = open_question(site, topic, n=1, now=now - dt.timedelta(hours=1))
    older = open_question(site, topic, n=2, now=now - dt.timedelta(days=2))
    elsewhere = open_question(SiteFactory(name="Préfecture de Montpellier"), topic, n=3)
    log_in(client, agent, sites=[site])
    page = inbox(client).content.decode()
    assert page.index(older.reference) < page.index(newer.reference)
    assert elsewhere.reference not in page
    assert "Non affectées (2)" in page
    assert client.get(reverse("staff:questions:thread", args=[elsewhere.reference])).status_code == 404

    client.post(reverse("staff:questions:action", args=[older.reference, "prendre"]))
    assert older.reference not in inbox(client).content.decode()
    mine = inbox(client, box="mine").content.decode()
    assert older.reference in mine and newer.reference not in mine


def test_the_inbox_filters_by_topic(client, site, topic, agent):
    other = Topic.objects.create(name="Remise du titre")
    renewal = open_question(site, topic, n=1)
    card = open_question(site, other, n=2)
    log_in(client, agent, sites=[site])
    page = inbox(client, topic=other.pk).content.decode()
    assert card.reference in page and renewal.reference not in page
    assert inbox(client, topic="999999").status_code == 400


def test_an_agent_answers_from_a_template_in_the_residents_language(
    client, site, topic, agent, template, django_capture_on_commit_callbacks
):
    question = open_question(site, topic, language="en")
    log_in(client, agent, sites=[site])
    page = client.get(reverse("staff:questions:thread", args=[question.reference]), {"template": template.pk})
    assert "Your file 92-2026-001 is in progress." in page.content.decode()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("staff:questions:action", args=[question.reference, "repondre"]),
            {"body": "Your file 92-2026-001 is in progress.", "seen_messages": 1},
        )
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.status == Status.ANSWERED and question.assigned_to == agent
    assert len(mail.outbox) == 1 and "Your file 92-2026-001 is in progress." in mail.outbox[0].body
    assert question.reference in inbox(client, box="waiting").content.decode()


def test_an_answer_to_a_thread_that_moved_on_keeps_the_agents_text(client, site, topic, agent, head):
    question = open_question(site, topic)
    reply_to_question(question_id=question.pk, agent=head, body="Déjà répondu", seen_messages=1)
    log_in(client, agent, sites=[site])
    response = client.post(
        reverse("staff:questions:action", args=[question.reference, "repondre"]),
        {"body": "Mon texte à garder", "seen_messages": 1},
    )
    page = response.content.decode()
    assert response.status_code == 409 and "Mon texte à garder" in page and "Déjà répondu" in page
    assert question.messages.count() == 2


def test_notes_and_closing(client, site, topic, agent):
    question = open_question(site, topic)
    log_in(client, agent, sites=[site])
    client.post(reverse("staff:questions:action", args=[question.reference, "note"]), {"body": "Vu au guichet"})
    assert "Vu au guichet" in client.get(reverse("staff:questions:thread", args=[question.reference])).content.decode()
    client.post(reverse("staff:questions:action", args=[question.reference, "clore"]))
    question.refresh_from_db()
    assert question.status == Status.CLOSED
    assert question.reference in inbox(client, box="closed").content.decode()


def test_an_agent_answers_by_booking_an_appointment_at_the_information_counter(
    client, site, topic, agent, django_capture_on_commit_callbacks
):
    information = CounterTypeFactory(site=site, code="information", name="Renseignements")
    day = next_weekday(1)
    slot = SlotFactory(counter_type=information, starts_at=at(day, 10), capacity=1)
    question = open_question(site, topic)
    log_in(client, agent, sites=[site])
    page = client.get(reverse("staff:questions:offer", args=[question.reference]), {"date": day.isoformat()})
    assert page.status_code == 200 and "Renseignements" in page.content.decode()
    mail.outbox.clear()
    resident = person(5, email=question.email)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("staff:questions:offer", args=[question.reference]),
            {
                "counter_type": information.pk,
                "date": day.isoformat(),
                "starts_at": slot.starts_at.isoformat(),
                "last_name": resident.last_name,
                "first_names": resident.first_names,
                "birth_date": resident.birth_date.isoformat(),
                "nationality": resident.nationality,
                "email": resident.email,
                "foreigner_number": resident.foreigner_number,
                "body": "Venez au guichet de renseignements.",
                "seen_messages": 1,
            },
        )
    assert response.status_code == 302, response.content.decode()[:3000]
    booking = Booking.objects.get(counter_type=information)
    question.refresh_from_db()
    assert question.booking == booking and question.status == Status.ANSWERED
    subjects = [message.subject for message in mail.outbox]
    assert any(booking.display_reference in subject for subject in subjects)  # a normal booking's confirmation
    assert any(question.reference in subject for subject in subjects)  # and the answer


def test_a_call_is_logged_in_two_clicks_with_a_booking_made(client, site, topic, agent):
    counter_type = CounterTypeFactory(site=site)
    slot = SlotFactory(counter_type=counter_type, starts_at=at(next_weekday(2), 9))
    booking = book_confirmed(counter_type=counter_type, starts_at=slot.starts_at, person=person(1))
    log_in(client, agent, sites=[site])
    response = client.post(
        reverse("staff:questions:phone"),
        {"site": site.pk, "topic": topic.pk, "outcome": "answered", "booking_reference": booking.reference},
    )
    assert response.status_code == 302
    call = PhoneCall.objects.get()
    assert call.booking == booking and call.agent == agent and call.outcome == "answered"
    response = client.post(reverse("staff:questions:phone"), {"site": site.pk, "outcome": "transferred"})
    assert response.status_code == 400 and "Choisissez le thème de l&#x27;appel." in response.content.decode()
    page = client.get(reverse("staff:questions:phone"), {"site": site.pk}).content.decode()
    assert "1 appel enregistré aujourd'hui" in page


def test_an_agent_logs_calls_for_their_sites_only(client, site, topic, agent):
    other = SiteFactory(name="Autre")
    log_in(client, agent, sites=[site])
    response = client.post(
        reverse("staff:questions:phone"), {"site": other.pk, "topic": topic.pk, "outcome": "answered"}
    )
    assert response.status_code == 400 and not PhoneCall.objects.exists()


def test_the_inbox_needs_the_second_factor_and_the_permission(client, site):
    assert client.get(reverse("staff:questions:inbox")).status_code == 302
