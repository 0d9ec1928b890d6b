"""Repeated failures, of passwords or of codes, lock the login name out from that address for a while."""

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.hashers import MD5PasswordHasher
from django.test import RequestFactory
from django.urls import reverse

from prefecture.client_ip import client_ip
from tests.conftest import STAFF_PASSWORD, current_code, give_second_factor, wrong_code

pytestmark = pytest.mark.django_db

LOGIN = "/agents/connexion/"
CODE = "/agents/connexion/code/"


def _attempt(client, password, username="agent", address="192.0.2.10", **headers):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address, **headers)


def _fail(client, times, **kwargs):
    for _ in range(times):
        assert _attempt(client, "pas-le-bon-mot-de-passe", **kwargs).status_code == 400


def _lock(client, **kwargs):
    """The limit's worth of wrong passwords: the last one already gets the lockout page."""
    _fail(client, 4, **kwargs)
    assert _attempt(client, "pas-le-bon-mot-de-passe", **kwargs).status_code == 429


def test_after_five_wrong_passwords_even_the_right_one_is_refused(client, agent, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    _fail(client, 4)
    response = _attempt(client, "pas-le-bon-mot-de-passe")
    assert response.status_code == 429  # the fifth failure: locked from now on
    response = _attempt(client, STAFF_PASSWORD)
    assert response.status_code == 429
    assert response["Retry-After"] == "900"
    page = response.content.decode()
    assert "Connexion temporairement bloquée" in page and "Réessayez dans 15 minutes." in page
    assert SESSION_KEY not in client.session and "staff_auth_pending" not in client.session


def test_fifty_wrong_passwords_are_not_all_checked(client, agent, monkeypatch):
    """The lockout answers before the password is hashed: a locked-out attempt costs nothing."""
    checked = []
    original = MD5PasswordHasher.verify
    monkeypatch.setattr(MD5PasswordHasher, "verify", lambda self, *args: checked.append(1) or original(self, *args))
    statuses = [_attempt(client, f"essai-{n}").status_code for n in range(50)]
    assert statuses == [400] * 4 + [429] * 46
    assert len(checked) == 5


def test_the_lockout_page_is_translated(client, agent):
    _lock(client)
    response = _attempt(client, STAFF_PASSWORD, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many login attempts failed. Try again in 15 minutes." in page


def test_the_lockout_holds_one_login_name_from_one_address_only(client, agent, head):
    _lock(client)
    # The agent, from the office's other address, and a colleague from the same address still log in.
    assert _attempt(client, STAFF_PASSWORD, address="192.0.2.99").status_code == 302
    client.logout()
    assert _attempt(client, STAFF_PASSWORD, username="cheffe").status_code == 302


def test_the_lockout_ends_after_the_cool_off(client, agent):
    _lock(client)
    AccessAttempt.objects.update(attempt_time=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=16))
    assert _attempt(client, STAFF_PASSWORD).status_code == 302


def test_a_successful_login_forgets_earlier_failures(client, agent):
    device = give_second_factor(agent)
    _fail(client, 4)
    _attempt(client, STAFF_PASSWORD)
    assert client.post(CODE, {"code": current_code(device)}, REMOTE_ADDR="192.0.2.10").status_code == 302
    client.post(reverse("staff_auth:logout"))
    _fail(client, 4)  # four more: not locked, the count started again
    assert _attempt(client, STAFF_PASSWORD).status_code == 302


def test_wrong_codes_count_towards_the_same_lockout(client, agent, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # the device's own wait between tries, tested below, aside
    device = give_second_factor(agent)
    _fail(client, 2)
    assert _attempt(client, STAFF_PASSWORD).status_code == 302
    for _ in range(2):
        assert client.post(CODE, {"code": wrong_code(device)}, REMOTE_ADDR="192.0.2.10").status_code == 400
    response = client.post(CODE, {"code": wrong_code(device)}, REMOTE_ADDR="192.0.2.10")
    assert response.status_code == 429
    # Locked: the right code is not even looked at.
    response = client.post(CODE, {"code": current_code(device)}, REMOTE_ADDR="192.0.2.10")
    assert response.status_code == 429 and SESSION_KEY not in client.session


def test_the_app_makes_a_quick_second_try_wait(client, agent):
    device = give_second_factor(agent)
    _attempt(client, STAFF_PASSWORD)
    client.post(CODE, {"code": wrong_code(device)}, REMOTE_ADDR="192.0.2.10")
    response = client.post(CODE, {"code": current_code(device)}, REMOTE_ADDR="192.0.2.10")
    assert response.status_code == 429
    assert "attendez quelques secondes" in response.content.decode()
    assert SESSION_KEY not in client.session


def test_behind_the_proxy_the_address_is_the_one_the_proxy_saw(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    factory = RequestFactory()
    spoofed = factory.get("/", HTTP_X_FORWARDED_FOR="203.0.113.1, 198.51.100.7", REMOTE_ADDR="127.0.0.1")
    assert client_ip(spoofed) == "198.51.100.7"  # what the client wrote in front is ignored
    garbage = factory.get("/", HTTP_X_FORWARDED_FOR="pas-une-adresse", REMOTE_ADDR="127.0.0.1")
    assert client_ip(garbage) == "127.0.0.1"
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(spoofed) == "127.0.0.1"


def test_a_forged_forwarded_address_does_not_escape_the_lockout(client, agent, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for n in range(5):
        forged = f"203.0.113.{n}, 198.51.100.7"
        assert _attempt(client, "faux", address="127.0.0.1", HTTP_X_FORWARDED_FOR=forged).status_code in (400, 429)
    response = _attempt(client, STAFF_PASSWORD, address="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.200, 198.51.100.7")
    assert response.status_code == 429
