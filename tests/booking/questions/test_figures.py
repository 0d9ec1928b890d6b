"""The figures for heads of bureau, beside the appointments' on the statistics page, and their CSV."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from booking.questions.figures import get_question_figures
from booking.questions.models import PhoneCall, Topic
from booking.questions.services import log_phone_call, rate_answer, reply_to_question
from tests.conftest import log_in

from .conftest import open_question

pytestmark = pytest.mark.django_db


@pytest.fixture
def week(site, topic, head):
    """Five questions received over the last days, answered after 2, 4, 6 and 10 hours; one still open."""
    now = timezone.now().replace(microsecond=0)
    for n, hours in enumerate([2, 4, 6, 10]):
        received = now - dt.timedelta(days=2, hours=n)
        question = open_question(site, topic, n=n, now=received)
        reply_to_question(
            question_id=question.pk, agent=head, body="R", seen_messages=1, now=received + dt.timedelta(hours=hours)
        )
        if n < 3:
            rate_answer(token=question.token, helpful=n != 1)
    open_question(site, topic, n=9, now=now - dt.timedelta(days=4))
    other = Topic.objects.create(name="Échange de permis")
    log_phone_call(site=site, topic=topic, outcome="answered", agent=head, now=now - dt.timedelta(days=1))
    log_phone_call(site=site, topic=topic, outcome="transferred", agent=head, now=now - dt.timedelta(days=1))
    log_phone_call(site=site, topic=other, outcome="answered", agent=head, now=now - dt.timedelta(days=1))
    return now


def test_the_figures_count_delays_backlog_calls_and_opinions(site, week):
    today = timezone.localdate(week)
    figures = get_question_figures(site=site, start=today - dt.timedelta(days=6), end=today, now=week)
    assert figures.received == 5 and figures.answered == 4
    assert figures.median_hours == 5.0  # 2, 4, 6, 10 hours
    assert figures.p90_hours == 8.8
    assert dict(figures.backlog)["De 3 à 7 jours"] == 1 and sum(count for _label, count in figures.backlog) == 1
    assert (figures.helpful, figures.not_helpful, figures.helpful_rate) == (2, 1, 67)
    assert figures.calls_total == 3
    by_topic = {line.topic: (line.answered, line.transferred) for line in figures.calls}
    assert by_topic == {"Renouvellement": (1, 1), "Échange de permis": (1, 0)}
    assert PhoneCall.objects.count() == 3


def test_the_statistics_page_shows_them_and_exports_them(client, site, head, week):
    log_in(client, head, sites=[site])
    page = client.get(reverse("staff:statistics")).content.decode()
    assert "Service de renseignements" in page and 'data-figure="received">5<' in page
    assert 'data-figure="median">5,0 h<' in page or 'data-figure="median">5.0 h<' in page
    today = timezone.localdate(week)
    response = client.get(
        reverse("staff:questions:figures-csv"),
        {"site": site.pk, "start": (today - dt.timedelta(days=6)).isoformat(), "end": today.isoformat()},
    )
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    body = response.content.decode()
    assert "Questions reçues,5" in body and "Renouvellement,1,1,0" in body


def test_agents_do_not_get_the_figures(client, site, agent, week):
    log_in(client, agent, sites=[site])
    assert client.get(reverse("staff:questions:figures-csv")).status_code == 403


def test_the_demo_week_is_realistic_and_seeded_once(site, head):
    from booking.questions.demo import seed_demo_questions

    now = timezone.now()
    assert seed_demo_questions(sites={"hauts-de-seine": site}, agents={"hauts-de-seine": [head]}, now=now) == 2000
    assert seed_demo_questions(sites={"hauts-de-seine": site}, now=now) == 0
    today = timezone.localdate(now)
    figures = get_question_figures(site=site, start=today - dt.timedelta(days=7), end=today, now=now)
    assert figures.received == 2000 and 1000 < figures.answered < 2000 and figures.median_hours is not None
    assert figures.calls_total > 0
