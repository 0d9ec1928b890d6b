"""Between the password and the second factor.

The password step does not log the user in: it only notes in the session who gave the right
password, and when. Nothing in the site sees an authenticated user until the code step (or the
enrolment) succeeds; then `finish_login` logs in and marks the session verified.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import auth
from django.contrib.auth import get_user_model
from django.http import HttpRequest
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import login as otp_login

PENDING_KEY = "staff_auth_pending"
NEW_CODES_KEY = "staff_auth_new_recovery_codes"
# After the password, this long to give the code.
PENDING_SECONDS = 10 * 60


def safe_next(request: HttpRequest, candidate: str | None) -> str:
    """Where to go after logging in: `candidate` if it is a path of this site, else the agents' home."""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("staff:home")


def begin_second_step(request: HttpRequest, *, user, backend: str, next_url: str) -> None:
    # A new session key at each step: a session fixed by someone else never reaches the second step.
    request.session.cycle_key()
    request.session[PENDING_KEY] = {"user": user.pk, "backend": backend, "at": time.time(), "next": next_url}


def pending_user(request: HttpRequest):
    """The user who gave the right password in this session, for a few minutes; or one logged in
    without a second factor (a session older than it), who only has to give the code."""
    if request.user.is_authenticated:
        return None if getattr(request.user, "is_verified", lambda: False)() else request.user
    pending = request.session.get(PENDING_KEY)
    if not isinstance(pending, dict) or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        return None
    return get_user_model().objects.filter(pk=pending.get("user"), is_active=True).first()


def pending_next(request: HttpRequest) -> str:
    pending = request.session.get(PENDING_KEY)
    return safe_next(request, pending.get("next") if isinstance(pending, dict) else request.GET.get("next"))


def finish_login(request: HttpRequest, *, user, device) -> str:
    """Both factors given: log in, mark the session verified by `device`; returns where to go next."""
    next_url = pending_next(request)
    pending = request.session.pop(PENDING_KEY, None) or {}
    if not request.user.is_authenticated:
        auth.login(request, user, backend=pending.get("backend") or settings.AUTHENTICATION_BACKENDS[-1])
    otp_login(request, device)
    return next_url


def keep_new_codes(request: HttpRequest, codes: list[str], *, next_url: str) -> None:
    """Recovery codes to show once; every staff page leads to them until the user says they are saved."""
    request.session[NEW_CODES_KEY] = {"codes": codes, "next": next_url}


def new_codes(request: HttpRequest) -> dict | None:
    value = request.session.get(NEW_CODES_KEY)
    return value if isinstance(value, dict) else None


def forget_new_codes(request: HttpRequest) -> str:
    value = request.session.pop(NEW_CODES_KEY, None) or {}
    return safe_next(request, value.get("next"))
