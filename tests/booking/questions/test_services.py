"""The information service's writes: asking with a proved address, answering (exactly one e-mail per answer),
the resident's one reply and opinion, notes, assignment, anonymisation."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from booking.emails.outbox import send_outbound_email
from booking.exceptions import NotYourSite, QuestionChanged, ReplyNotAllowed, TopicUnavailable, WrongCode
from booking.models import OutboundEmail
from booking.questions.models import Message, Note, Question, Topic
from booking.questions.services import (
    add_note,
    anonymise_questions,
    ask_question,
    assign_question,
    close_question,
    close_quiet_questions,
    confirm_question,
    fill_template,
    rate_answer,
    reply_as_resident,
    reply_to_question,
)
from booking.retention import purge_personal_data
from tests.conftest import assign_sites
from tests.factories import SiteFactory
from tests.flow import last_code

from .conftest import open_question

pytestmark = pytest.mark.django_db
Status = Question.Status
Kind = OutboundEmail.Kind


def test_a_question_reaches_the_team_once_its_address_is_proved(site, topic, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        question = ask_question(site=site, topic=topic, body="Ma carte est-elle prête ?", email="a@example.org")
    assert question.status == Status.PENDING and question.received_at is None
    assert "Code de confirmation de votre question" in mail.outbox[-1].subject
    with pytest.raises(WrongCode):
        confirm_question(question_id=question.pk, code="000000" if last_code() != "000000" else "111111")
    with django_capture_on_commit_callbacks(execute=True):
        question = confirm_question(question_id=question.pk, code=last_code())
    assert question.status == Status.OPEN and question.received_at is not None
    received = mail.outbox[-1]
    assert question.reference in received.subject and "5 jours ouvrés" in received.body
    assert question.messages.get().body == "Ma carte est-elle prête ?"


def test_a_topic_of_another_site_is_refused(site, topic):
    other = Topic.objects.create(name="Échange de permis", site=SiteFactory())
    with pytest.raises(TopicUnavailable):
        ask_question(site=site, topic=other, body="?", email="a@example.org")
    assert not Question.objects.exists()


def test_an_answer_is_emailed_once_in_the_residents_language(site, topic, head, template):
    question = open_question(site, topic, language="en")
    body = fill_template(template, question)
    assert body == f"Your file 92-2026-001 is in progress. Reference {question.reference}. Call 01 40 97 20 00."
    message = reply_to_question(question_id=question.pk, agent=head, body=body, seen_messages=1)
    question.refresh_from_db()
    assert question.status == Status.ANSWERED and question.first_answered_at and question.assigned_to == head
    email = OutboundEmail.objects.get(question=question, kind=Kind.QUESTION_ANSWER)
    assert email.sequence == message.number == 2
    mail.outbox.clear()
    assert send_outbound_email(email_id=email.pk) is True
    assert send_outbound_email(email_id=email.pk) is False  # a redelivered task sends nothing more
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject.startswith("Answer to your question") and body in mail.outbox[0].body


def test_a_template_without_the_residents_language_answers_in_french(site, topic, head, template):
    question = open_question(site, topic, language="tr")
    assert fill_template(template, question).startswith("Votre dossier 92-2026-001")


def test_an_answer_to_a_thread_that_changed_is_refused(site, topic, head):
    question = open_question(site, topic)
    reply_to_question(question_id=question.pk, agent=head, body="Première réponse", seen_messages=1)
    with pytest.raises(QuestionChanged):
        reply_to_question(question_id=question.pk, agent=head, body="Réponse sur un fil ancien", seen_messages=1)
    assert question.messages.count() == 2
    assert OutboundEmail.objects.filter(question=question, kind=Kind.QUESTION_ANSWER).count() == 1


def test_an_agent_answers_their_sites_questions_only(site, topic, agent):
    question = open_question(site, topic)
    assign_sites(agent, [SiteFactory()])
    with pytest.raises(NotYourSite):
        reply_to_question(question_id=question.pk, agent=agent, body="?", seen_messages=1)
    with pytest.raises(NotYourSite):
        add_note(question_id=question.pk, agent=agent, body="?")
    assert not Message.objects.filter(author="agent").exists()


def test_the_resident_replies_once_and_the_question_is_back_in_the_inbox(site, topic, head):
    question = open_question(site, topic)
    with pytest.raises(ReplyNotAllowed):
        reply_as_resident(token=question.token, body="Avant toute réponse")
    reply_to_question(question_id=question.pk, agent=head, body="Votre titre est prêt.", seen_messages=1)
    reply_as_resident(token=question.token, body="Merci, quand puis-je venir ?")
    question.refresh_from_db()
    assert question.status == Status.OPEN and question.resident_replies == 1 and question.message_count == 3
    reply_to_question(question_id=question.pk, agent=head, body="Prenez rendez-vous en ligne.", seen_messages=3)
    with pytest.raises(ReplyNotAllowed):
        reply_as_resident(token=question.token, body="Une seconde réponse")
    assert [m.author for m in question.messages.all()] == ["resident", "agent", "resident", "agent"]


def test_the_resident_says_whether_the_answer_helped(site, topic, head):
    question = open_question(site, topic)
    with pytest.raises(ReplyNotAllowed):
        rate_answer(token=question.token, helpful=True)
    reply_to_question(question_id=question.pk, agent=head, body="Réponse", seen_messages=1)
    assert rate_answer(token=question.token, helpful=False).helpful is False
    assert rate_answer(token=question.token, helpful=True).helpful is True


def test_assignment_follows_what_the_agent_saw(site, topic, head, agent):
    question = open_question(site, topic)
    assign_question(question_id=question.pk, assignee=agent, by=agent, seen_assignee_id=None)
    with pytest.raises(QuestionChanged):
        assign_question(question_id=question.pk, assignee=head, by=head, seen_assignee_id=None)
    assign_question(question_id=question.pk, assignee=head, by=head, seen_assignee_id=agent.pk)
    question.refresh_from_db()
    assert question.assigned_to == head


def test_notes_stay_with_the_team(site, topic, head, django_capture_on_commit_callbacks):
    question = open_question(site, topic)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        add_note(question_id=question.pk, agent=head, body="Dossier vu avec le service instructeur")
    assert Note.objects.get().body == "Dossier vu avec le service instructeur" and mail.outbox == []


def test_anonymising_blanks_old_threads_and_keeps_the_counts(site, topic, head):
    now = timezone.now()
    old = open_question(site, topic, n=1, now=now - dt.timedelta(days=100))
    reply_to_question(question_id=old.pk, agent=head, body="Réponse", seen_messages=1, now=now - dt.timedelta(days=99))
    add_note(question_id=old.pk, agent=head, body="note", now=now - dt.timedelta(days=99))
    recent = open_question(site, topic, n=2, now=now - dt.timedelta(days=5))
    reply_to_question(
        question_id=recent.pk, agent=head, body="Réponse", seen_messages=1, now=now - dt.timedelta(days=4)
    )
    still_open = open_question(site, topic, n=3, now=now - dt.timedelta(days=200))
    unproved = ask_question(site=site, topic=topic, body="?", email="x@example.org", now=now - dt.timedelta(days=200))
    closed = open_question(site, topic, n=4, now=now - dt.timedelta(days=100))
    close_question(question_id=closed.pk, agent=head, now=now - dt.timedelta(days=95))

    OutboundEmail.objects.update(status=OutboundEmail.Status.SENT)  # long gone, as e-mails of months ago are

    assert anonymise_questions(now=now, days=90) == 2
    assert anonymise_questions(now=now, days=90) == 0  # idempotent
    for question in (old, closed):
        question.refresh_from_db()
        assert question.email == "" and question.file_number == "" and question.anonymised_at == now
        assert set(question.messages.values_list("body", flat=True)) == {""}
        assert not question.notes.exists()
        assert set(question.emails.values_list("recipient", flat=True)) == {""}
    old.refresh_from_db()
    assert old.first_answered_at is not None and old.message_count == 2  # the figures keep their delays
    recent.refresh_from_db()
    still_open.refresh_from_db()
    assert recent.email and still_open.email and recent.anonymised_at is None
    assert recent.emails.exclude(recipient="").exists()
    assert not Question.objects.filter(pk=unproved.pk).exists()
    with pytest.raises(ReplyNotAllowed):
        rate_answer(token=old.token, helpful=True)


def test_answered_questions_left_without_a_reply_are_closed(site, topic, head):
    now = timezone.now()
    quiet = open_question(site, topic, n=1, now=now - dt.timedelta(days=20))
    reply_to_question(question_id=quiet.pk, agent=head, body="R", seen_messages=1, now=now - dt.timedelta(days=15))
    recent = open_question(site, topic, n=2, now=now - dt.timedelta(days=3))
    reply_to_question(question_id=recent.pk, agent=head, body="R", seen_messages=1, now=now - dt.timedelta(days=2))
    waiting_for_the_team = open_question(site, topic, n=3, now=now - dt.timedelta(days=30))

    assert close_quiet_questions(now=now, days=14) == 1
    assert close_quiet_questions(now=now, days=14) == 0
    statuses = dict(Question.objects.values_list("pk", "status"))
    assert statuses == {quiet.pk: Status.CLOSED, recent.pk: Status.ANSWERED, waiting_for_the_team.pk: Status.OPEN}
    with pytest.raises(ReplyNotAllowed):
        reply_as_resident(token=quiet.token, body="Trop tard")


def test_the_retention_job_anonymises_questions_after_their_period(site, topic, head, settings):
    settings.RETENTION_QUESTIONS_DAYS = 30
    now = timezone.now()
    old = open_question(site, topic, n=1, now=now - dt.timedelta(days=40))
    close_question(question_id=old.pk, agent=head, now=now - dt.timedelta(days=35))
    young = open_question(site, topic, n=2, now=now - dt.timedelta(days=20))
    close_question(question_id=young.pk, agent=head, now=now - dt.timedelta(days=20))

    assert purge_personal_data(now=now)["questions"] == 1
    assert purge_personal_data(now=now)["questions"] == 0
    old.refresh_from_db()
    young.refresh_from_db()
    assert old.email == "" and old.anonymised_at is not None
    assert young.email != "" and young.anonymised_at is None
