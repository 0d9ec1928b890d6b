"""Writes of the information service: a question from its asking to its closing, notes, the phone log.

A question reaches the team once its address is proved (code or link, as a
waiting-list entry's: booking.address_check): it is then OPEN, in the inbox,
and its acknowledgement leaves with a reference and the delay announced.
An agent's answer makes it ANSWERED ("waiting for the resident"); the
resident may reply once from the answer's link, which opens it again.

Every message of a thread is a row, numbered: the n-th message is written
once (a unique constraint), and an agent answers only the thread they read
(`seen_messages`): two agents answering at once cannot both send. Each
answer's e-mail is the outbox row (question, QUESTION_ANSWER, its number),
so a redelivered task never sends it twice.
"""

from __future__ import annotations

import datetime as dt
import string

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from booking.address_check import prove_address, resend_code, verify_deadline
from booking.emails import queue_email
from booking.exceptions import NotYourSite, QuestionChanged, ReplyNotAllowed, TopicUnavailable
from booking.models import Booking, Channel, OutboundEmail
from booking.references import new_reference
from booking.retention.emails import forget_addresses
from booking.services import PersonData, book_for_caller
from booking.services.booking import busy_on_lock_timeout, new_token
from counters.models import CounterType, Site
from counters.staff_sites.selectors import can_see_object

from .models import Message, Note, PhoneCall, Question, ReplyTemplate, Topic

Status = Question.Status
Kind = OutboundEmail.Kind
Author = Message.Author


def topics_for(site: Site):
    """The topics a resident of `site` may choose: the site's own and those for every site."""
    return Topic.objects.filter(Q(site__isnull=True) | Q(site=site), is_active=True)


def check_topic(*, site: Site, topic: Topic) -> None:
    if not topics_for(site).filter(pk=topic.pk).exists():
        raise TopicUnavailable(field="topic")


@transaction.atomic
def ask_question(
    *,
    site: Site,
    topic: Topic,
    body: str,
    email: str,
    file_number: str = "",
    language: str = "fr",
    now: dt.datetime | None = None,
) -> Question:
    """Record a question, its address to prove by the code e-mailed (or its link). Raises TopicUnavailable."""
    now = now or timezone.now()
    check_topic(site=site, topic=topic)
    question = Question(
        site=site,
        topic=topic,
        email=email,
        file_number=file_number.strip(),
        language=language,
        token=new_token(),
        verification_token=new_token(),
        verify_before=verify_deadline(now),
        message_count=1,
    )
    _insert_with_reference(question)
    Message.objects.create(question=question, number=1, author=Author.RESIDENT, body=body.strip(), created_at=now)
    queue_email(about=question, kind=Kind.QUESTION_CODE)
    return question


def _insert_with_reference(question: Question, *, attempts: int = 5) -> None:
    for attempt in range(attempts):
        question.reference = "Q" + new_reference()
        try:
            with transaction.atomic():
                question.save(force_insert=True)
            return
        except IntegrityError:
            if attempt == attempts - 1:
                raise


def confirm_question(
    *, question_id: int | None = None, token: str | None = None, code: str | None = None, now=None
) -> Question:
    """Prove the question's address (code on the page of `question_id`, or the link's `token`): it reaches the
    team, and the acknowledgement leaves. Idempotent. Raises AddressCheckExpired, WrongCode, TooManyCodeAttempts,
    ServiceBusy."""
    now = now or timezone.now()
    question, error = busy_on_lock_timeout(_confirm, question_id=question_id, token=token, code=code, now=now)
    if error is not None:
        raise error  # after the commit, which kept the count of wrong codes
    return question


@transaction.atomic
def _confirm(*, question_id, token, code, now):
    def receive(question: Question) -> None:
        question.status = Status.OPEN
        question.received_at = question.last_activity_at = now
        question.save(update_fields=["status", "verified_at", "received_at", "last_activity_at"])
        queue_email(about=question, kind=Kind.QUESTION_RECEIVED)

    return prove_address(Question.objects.all(), pk=question_id, token=token, code=code, now=now, on_proved=receive)


@transaction.atomic
def resend_question_code(*, question_id: int, now: dt.datetime | None = None) -> bool:
    return resend_code(Question.objects, pk=question_id, kind=Kind.QUESTION_CODE, now=now or timezone.now())


def check_agent_site(question: Question, agent) -> None:
    """An agent works on their sites' questions only."""
    if not can_see_object(agent, question, via="site"):
        raise NotYourSite()


def _locked(question_id: int) -> Question:
    return Question.objects.select_for_update().get(pk=question_id)


@transaction.atomic
def assign_question(*, question_id: int, assignee, by, seen_assignee_id: int | None, now=None) -> Question:
    """Give the question to `assignee` (None: back to the unassigned), if it is still assigned as `by` saw it:
    two agents taking the same question at once, one gets it, the other is told. Raises QuestionChanged,
    NotYourSite."""
    question = _locked(question_id)
    check_agent_site(question, by)
    if assignee is not None:
        check_agent_site(question, assignee)
    if question.assigned_to_id != seen_assignee_id:
        raise QuestionChanged()
    question.assigned_to = assignee
    question.save(update_fields=["assigned_to"])
    return question


def fill_template(template: ReplyTemplate, question: Question) -> str:
    """The template's text in the resident's language (French when the site has not written that one), its
    placeholders filled; an unknown placeholder is left as written."""
    language = question.language.replace("-", "_")
    body = getattr(template, f"body_{language}", "") or template.body_fr or template.body
    values = {
        "reference": question.reference,
        "file_number": question.file_number,
        "site": question.site.name,
        "phone": question.site.phone,
    }
    return string.Formatter().vformat(body, (), _Keep(values))


class _Keep(dict):
    def __missing__(self, key):
        return "{" + key + "}"


@transaction.atomic
def reply_to_question(*, question_id: int, agent, body: str, seen_messages: int, now=None) -> Message:
    """An agent's answer, e-mailed to the resident (outbox: exactly once). The question waits for the
    resident then. Raises QuestionChanged (another message since `seen_messages`, or closed), NotYourSite."""
    now = now or timezone.now()
    question = _locked(question_id)
    check_agent_site(question, agent)
    if question.status not in (Status.OPEN, Status.ANSWERED) or question.message_count != seen_messages:
        raise QuestionChanged()
    message = _add_message(question, author=Author.AGENT, agent=agent, body=body, now=now)
    question.status = Status.ANSWERED
    question.first_answered_at = question.first_answered_at or now
    question.assigned_to_id = question.assigned_to_id or agent.pk
    question.save(update_fields=["status", "first_answered_at", "assigned_to", "message_count", "last_activity_at"])
    queue_email(about=question, kind=Kind.QUESTION_ANSWER, sequence=message.number)
    return message


def _add_message(question: Question, *, author: str, body: str, now: dt.datetime, agent=None) -> Message:
    question.message_count += 1
    question.last_activity_at = now
    return Message.objects.create(
        question=question, number=question.message_count, author=author, agent=agent, body=body.strip(), created_at=now
    )


def offer_appointment(
    *,
    question_id: int,
    agent,
    counter_type: CounterType,
    starts_at: dt.datetime,
    person: PersonData,
    body: str,
    seen_messages: int,
    answers=None,
    now=None,
) -> Booking:
    """Answer by booking an appointment for the resident (the same booking service as for a caller): they
    receive a normal booking's confirmation, and the answer `body` in the thread. All or nothing. Raises the
    booking's errors (SlotFull, AlreadyBooked, NotEligible, ServiceBusy), QuestionChanged, NotYourSite."""
    now = now or timezone.now()
    with transaction.atomic():
        question = _locked(question_id)
        check_agent_site(question, agent)
        if counter_type.site_id != question.site_id:
            raise NotYourSite()
        if question.status not in (Status.OPEN, Status.ANSWERED) or question.message_count != seen_messages:
            raise QuestionChanged()
        booking = book_for_caller(
            counter_type=counter_type,
            starts_at=starts_at,
            person=person,
            channel=Channel.PHONE,
            agent=agent,
            answers=answers,
            language=question.language,
            now=now,
        )
        reply_to_question(question_id=question_id, agent=agent, body=body, seen_messages=seen_messages, now=now)
        Question.objects.filter(pk=question_id).update(booking=booking)
    return booking


@transaction.atomic
def reply_as_resident(*, token: str, body: str, now=None) -> Message:
    """The resident's one reply to an answer, from its link: the question is back in the team's inbox.
    Raises ReplyNotAllowed."""
    now = now or timezone.now()
    question = Question.objects.select_for_update().filter(token=token).first()
    if question is None or not question.may_reply:
        raise ReplyNotAllowed()
    message = _add_message(question, author=Author.RESIDENT, body=body, now=now)
    question.status = Status.OPEN
    question.resident_replies = F("resident_replies") + 1
    question.save(update_fields=["status", "resident_replies", "message_count", "last_activity_at"])
    return message


@transaction.atomic
def rate_answer(*, token: str, helpful: bool) -> Question:
    """The resident says whether the answer helped (they may change their mind). Raises ReplyNotAllowed before
    any answer."""
    question = Question.objects.select_for_update().filter(token=token).first()
    if question is None or question.first_answered_at is None or question.anonymised_at is not None:
        raise ReplyNotAllowed()
    question.helpful = helpful
    question.save(update_fields=["helpful"])
    return question


@transaction.atomic
def close_question(*, question_id: int, agent, now=None) -> Question:
    now = now or timezone.now()
    question = _locked(question_id)
    check_agent_site(question, agent)
    if question.status != Status.CLOSED:
        question.status, question.closed_at, question.last_activity_at = Status.CLOSED, now, now
        question.save(update_fields=["status", "closed_at", "last_activity_at"])
    return question


def close_quiet_questions(*, now: dt.datetime | None = None, days: int | None = None) -> int:
    """Close the questions answered more than `days` ago (default QUESTION_CLOSE_DAYS) that the resident left
    without a reply: the "waiting for the resident" box holds only those that may still come back. Idempotent;
    returns how many were closed."""
    now = now or timezone.now()
    days = settings.QUESTION_CLOSE_DAYS if days is None else days
    return Question.objects.filter(status=Status.ANSWERED, last_activity_at__lt=now - dt.timedelta(days=days)).update(
        status=Status.CLOSED, closed_at=now
    )


@transaction.atomic
def add_note(*, question_id: int, agent, body: str, now=None) -> Note:
    question = _locked(question_id)
    check_agent_site(question, agent)
    return Note.objects.create(question=question, agent=agent, body=body.strip(), created_at=now or timezone.now())


def log_phone_call(
    *, site: Site, topic: Topic, outcome: str, agent, booking: Booking | None = None, now=None
) -> PhoneCall:
    """A call the phone service took, for the figures. Raises NotYourSite, TopicUnavailable."""
    if not can_see_object(agent, site):
        raise NotYourSite()
    check_topic(site=site, topic=topic)
    if booking is not None and booking.counter_type.site_id != site.pk:
        raise NotYourSite()
    return PhoneCall.objects.create(
        site=site, topic=topic, outcome=outcome, agent=agent, booking=booking, called_at=now or timezone.now()
    )


def anonymise_questions(*, now: dt.datetime, days: int | None = None) -> int:
    """Blank the personal data of the questions answered or closed more than `days` ago (default
    RETENTION_QUESTIONS_DAYS), and delete those whose address was never proved: the e-mail (here and on the
    outbox rows sent about them), the file number, every message's text and the notes go; the rows stay, so the
    figures keep their counts and delays. Idempotent; returns how many questions were anonymised."""
    days = settings.RETENTION_QUESTIONS_DAYS if days is None else days
    before = now - dt.timedelta(days=days)
    with transaction.atomic():
        Question.objects.filter(status=Status.PENDING, verify_before__lt=before).delete()
        ids = list(
            Question.objects.filter(
                status__in=[Status.ANSWERED, Status.CLOSED], last_activity_at__lt=before, anonymised_at__isnull=True
            ).values_list("pk", flat=True)
        )
        Message.objects.filter(question_id__in=ids).update(body="")
        Note.objects.filter(question_id__in=ids).delete()
        forget_addresses(OutboundEmail.objects.filter(question_id__in=ids))  # as for every anonymised subject
        Question.objects.filter(pk__in=ids).update(email="", file_number="", anonymised_at=now)
    return len(ids)
