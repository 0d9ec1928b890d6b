"""Middleware of our own: security headers, NUL characters refused, a session that may fail after a commit."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.sessions.exceptions import SessionInterrupted
from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

# Set on a response whose outcome is already committed (a booking made): a failure to
# save the session afterwards must not turn it into an error page.
SURVIVES_SESSION_FAILURE = "survives_session_failure"


def survives_session_failure(response: HttpResponse) -> HttpResponse:
    """Mark `response` as the answer to a change already committed, whatever happens to the session."""
    setattr(response, SURVIVES_SESSION_FAILURE, True)
    return response


class SessionMiddleware(DjangoSessionMiddleware):
    """Django's, except that a response marked by `survives_session_failure` is sent even when the
    session cannot be saved (the database restarting, say): a resident whose booking is made must see
    their confirmation, not a "bad request" page that invites them to book again."""

    def process_response(self, request, response):
        try:
            return super().process_response(request, response)
        except (SessionInterrupted, DatabaseError) as error:
            if not getattr(response, SURVIVES_SESSION_FAILURE, False):
                raise
            logger.warning("Session not saved after a committed change (%s): response sent.", type(error).__name__)
            return response


def _has_null_character(data) -> bool:
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in data.lists())


class RejectNullCharactersMiddleware:
    """A NUL character in the query string or the form data is refused with a 400 page.

    No one types one; PostgreSQL cannot store one and the database driver raises
    an error on it, which every filter, search or lookup would turn into a 500.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _has_null_character(request.GET) or (request.method == "POST" and self._post_has_null(request)):
            message = _("Votre demande contient un caractère non autorisé. Vérifiez ce que vous avez saisi.")
            return render(request, "errors/400.html", {"message": message}, status=400)
        return self.get_response(request)

    @staticmethod
    def _post_has_null(request: HttpRequest) -> bool:
        if request.content_type not in ("application/x-www-form-urlencoded", "multipart/form-data"):
            return False
        return _has_null_character(request.POST)


def _header_value(directives: dict[str, list[str]]) -> str:
    return "; ".join(" ".join([name, *sources]) for name, sources in directives.items())


class SecurityHeadersMiddleware:
    """Content-Security-Policy and Permissions-Policy on every response, from settings.

    The policy allows no inline script or style: pages and the DSFR's assets
    load only files served by this site.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.content_security_policy = _header_value(settings.CONTENT_SECURITY_POLICY)
        self.permissions_policy = ", ".join(
            f"{feature}=({' '.join(allowed)})" for feature, allowed in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.content_security_policy:
            response.headers.setdefault("Content-Security-Policy", self.content_security_policy)
        if self.permissions_policy:
            response.headers.setdefault("Permissions-Policy", self.permissions_policy)
        return response


class RateLimitedMiddleware:
    """A request refused by a rate limit (prefecture.ratelimit.RateLimited) gets the 429 page and Retry-After."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        from .ratelimit import RateLimited

        if not isinstance(exception, RateLimited):
            return None
        minutes = max(1, -(-exception.retry_after // 60))  # rounded up
        response = render(request, "errors/429.html", {"minutes": minutes}, status=429)
        response["Retry-After"] = str(exception.retry_after)
        return response
