"""Two agents at once, for real: threads with their own connections against PostgreSQL."""

import threading

import pytest
from django.db import connection

from booking.exceptions import QuestionChanged
from booking.models import OutboundEmail
from booking.questions.models import Question
from booking.questions.services import assign_question, reply_to_question
from booking.roles import AGENT_GROUP
from tests.conftest import assign_sites, make_staff_user

from .conftest import open_question

pytestmark = pytest.mark.django_db(transaction=True)


def race(*attempts):
    barrier = threading.Barrier(len(attempts))
    outcomes, lock = [], threading.Lock()

    def run(attempt):
        try:
            barrier.wait()
            attempt()
            result = "done"
        except QuestionChanged:
            result = "changed"
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=run, args=(attempt,)) for attempt in attempts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return sorted(outcomes)


@pytest.fixture
def two_agents(site):
    first, second = make_staff_user("agent-1", AGENT_GROUP), make_staff_user("agent-2", AGENT_GROUP)
    for user in (first, second):
        assign_sites(user, [site])
    return first, second


def test_two_agents_answering_at_once_send_one_answer(site, topic, two_agents):
    question = open_question(site, topic)
    first, second = two_agents
    outcomes = race(
        lambda: reply_to_question(question_id=question.pk, agent=first, body="Réponse A", seen_messages=1),
        lambda: reply_to_question(question_id=question.pk, agent=second, body="Réponse B", seen_messages=1),
    )
    assert outcomes == ["changed", "done"]
    question.refresh_from_db()
    assert question.message_count == 2 and question.messages.count() == 2
    assert OutboundEmail.objects.filter(question=question, kind=OutboundEmail.Kind.QUESTION_ANSWER).count() == 1


def test_two_agents_taking_a_question_at_once_one_gets_it(site, topic, two_agents):
    question = open_question(site, topic)
    first, second = two_agents
    outcomes = race(
        lambda: assign_question(question_id=question.pk, assignee=first, by=first, seen_assignee_id=None),
        lambda: assign_question(question_id=question.pk, assignee=second, by=second, seen_assignee_id=None),
    )
    assert outcomes == ["changed", "done"]
    assert Question.objects.get(pk=question.pk).assigned_to in (first, second)
