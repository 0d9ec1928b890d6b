"""/healthz and /readyz: cheap, no session, and /readyz tells a lost database or broker within seconds."""

import os
import time

import pytest
from django.db import connection
from django.db.backends.postgresql.base import DatabaseWrapper

from prefecture import health
from tests.booking.test_celery_worker import closed_port

TEST_BROKER_URL = os.environ.get("TEST_BROKER_URL", "redis://127.0.0.1:6379/15")


def test_healthz_answers_without_touching_the_database_or_a_session(db, client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200 and response.content == b"ok\n"
    assert "sessionid" not in response.cookies and "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_readyz_checks_the_database_and_the_broker(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER, settings.CELERY_BROKER_URL = False, TEST_BROKER_URL
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.content.decode().split("\n")[:2] == ["database: ok", "broker: ok"]


@pytest.mark.django_db
def test_readyz_answers_503_within_seconds_when_the_broker_is_down(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{closed_port()}/0"
    started = time.monotonic()
    response = client.get("/readyz")
    assert response.status_code == 503 and "broker: unavailable" in response.content.decode()
    assert time.monotonic() - started < 3


def test_readyz_answers_503_when_the_database_does_not_answer(db, client, monkeypatch):
    unreachable = DatabaseWrapper({**connection.settings_dict, "PORT": closed_port()}, alias="unreachable")
    monkeypatch.setattr(health, "connection", unreachable)
    started = time.monotonic()
    response = client.get("/readyz")
    assert response.status_code == 503 and "database: unavailable" in response.content.decode()
    assert time.monotonic() - started < 3
