"""The residents' pages: asking (the FAQ entries that may answer, shown before sending, without JavaScript),
the code, the thread with its one reply and the opinion on the answer, the limits."""

import pytest
from django.core import mail
from django.urls import reverse

from booking.models import OutboundEmail
from booking.questions.models import Question
from booking.questions.services import reply_to_question
from prefecture.models import FaqEntry
from tests.antibot import proof
from tests.flow import last_code

pytestmark = pytest.mark.django_db
Status = Question.Status


@pytest.fixture
def faq(site):
    FaqEntry.objects.create(
        question="Quand renouveler mon titre de séjour ?",
        answer="Deux mois avant son expiration, en ligne.",
        topic="renewal",
    )
    FaqEntry.objects.create(
        question="Comment récupérer ma carte ?",
        answer="Sur rendez-vous, avec l'avis reçu par SMS.",
        topic="card_delivery",
    )
    FaqEntry.objects.create(question="Où se garer ?", answer="Parking public rue des Fleurs.", topic="other")


def typed(site, topic, **changes):
    return {
        "site": site.pk,
        "topic": topic.pk,
        "file_number": "92-2026-001",
        "body": "Ma carte de séjour expire en mars.\nQuand déposer ma demande ?",
        "email": "resident@example.org",
        **changes,
    }


def test_the_preview_shows_the_faq_entries_of_the_topic_and_the_words_typed(client, site, topic, faq):
    page = client.post(reverse("questions:ask"), typed(site, topic, body="Où récupérer ma carte ?")).content.decode()
    assert "Ces réponses peuvent vous aider" in page
    assert "Quand renouveler mon titre de séjour ?" in page  # the topic's
    assert "Comment récupérer ma carte ?" in page  # a word typed
    assert "Où se garer ?" not in page
    assert not Question.objects.exists()  # nothing is recorded before the resident sends


def test_a_resident_asks_proves_the_address_and_reads_the_answer(
    client, site, topic, head, faq, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("questions:send"), {**typed(site, topic), "altcha": proof("question")})
    assert response.status_code == 302 and response.url == reverse("questions:verify")
    question = Question.objects.get()
    assert question.status == Status.PENDING and question.language == "fr"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("questions:verify"), {"code": last_code()})
    question.refresh_from_db()
    assert response.url == reverse("questions:thread", args=[question.token])
    assert question.status == Status.OPEN
    assert question.reference in mail.outbox[-1].subject  # the acknowledgement
    page = client.get(response.url).content.decode()
    assert "entre les mains de l'équipe" in page and "Quand déposer ma demande ?" in page

    with django_capture_on_commit_callbacks(execute=True):
        reply_to_question(question_id=question.pk, agent=head, body="Déposez-la en ligne.", seen_messages=1)
    answer = mail.outbox[-1]
    assert "Déposez-la en ligne." in answer.body and question.token in answer.body
    page = client.get(reverse("questions:thread", args=[question.token])).content.decode()
    assert "Déposez-la en ligne." in page and "Répondre à l'équipe" in page

    response = client.post(reverse("questions:helpful", args=[question.token]), {"helpful": "yes"})
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.helpful is True

    response = client.post(reverse("questions:reply", args=[question.token]), {"body": "Et si je n'ai pas internet ?"})
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.status == Status.OPEN and question.message_count == 3
    page = client.get(reverse("questions:thread", args=[question.token])).content.decode()
    assert "Répondre à l'équipe" not in page
    response = client.post(reverse("questions:reply", args=[question.token]), {"body": "Encore une fois"})
    assert response.status_code == 409 and question.messages.count() == 3


def test_a_question_without_proof_of_work_is_not_recorded(client, site, topic):
    response = client.post(reverse("questions:send"), {**typed(site, topic), "altcha": "forged"})
    assert response.status_code == 400 and "anti-robot" in response.content.decode()
    assert not Question.objects.exists()


def test_bad_input_is_said_next_to_the_field(client, site, topic):
    response = client.post(reverse("questions:ask"), typed(site, topic, email="pas-une-adresse", body=""))
    page = response.content.decode()
    assert response.status_code == 400
    assert "Écrivez votre question." in page and "Saisissez une adresse e-mail valide" in page


def test_questions_from_one_address_are_limited(client, site, topic, settings):
    settings.RATE_LIMITS = {"question:email": (1, 3600)}
    for expected in (302, 429):
        response = client.post(reverse("questions:send"), {**typed(site, topic), "altcha": proof("question")})
        assert response.status_code == expected
    assert Question.objects.count() == 1


def test_the_code_email_is_capped_per_address_like_the_others(site, topic):
    from booking.questions.services import ask_question

    question = ask_question(site=site, topic=topic, body="?", email="resident@example.org")
    assert OutboundEmail.objects.get(question=question).recipient == "resident@example.org"


def test_an_unknown_thread_link_is_not_found(client):
    assert client.get(reverse("questions:thread", args=["inconnu"])).status_code == 404
