"""Load shedding: a bounded wait in front of Django, then a quick, honest 503.

Each web process lets at most `ADMISSION_CONCURRENCY` requests run the
application at once. A request beyond that waits for a turn, but never longer
than `ADMISSION_MAX_WAIT_MS` counted from when the front proxy received it
(nginx's `X-Request-Start`, when `ADMISSION_TRUST_REQUEST_START` says it is
ours), and then gets a pre-rendered 503 page with `Retry-After`: no database
query, no session, no template rendering. The booking in progress lives in the
session, untouched, so the person resumes where they were. Why this mechanism
and how its numbers were chosen: docs/deployment.md.

A freed turn goes first to a waiting form submission (or the confirmation page
that follows one): someone confirming a booking is further along than someone
opening the home page, and finishing their request is what frees the server.
"""

from __future__ import annotations

import threading
import time

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation

from .context_processors import page_without_request

EXEMPT_PREFIXES = ("/healthz", "/readyz")
# Pages that follow a form submission: the confirmation, and the code page a hold leads to (whoever holds a
# place and is shed there leaves it held, unconfirmed, until the hold expires).
FIRST_SERVED_PREFIXES = ("/rendez-vous/confirmation/", "/rendez-vous/code/")


class Turns:
    """At most `limit` holders at once; waiting holders marked `first` take a freed turn before the others."""

    def __init__(self, limit: int):
        self.free = limit
        self.first_waiting = 0
        self.changed = threading.Condition()

    def acquire(self, *, first: bool, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        with self.changed:
            self.first_waiting += first
            try:
                while self.free == 0 or (not first and self.first_waiting):
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        return False
                    self.changed.wait(remaining)
                self.free -= 1
                return True
            finally:
                self.first_waiting -= first
                if first and self.free and not self.first_waiting:
                    self.changed.notify_all()  # the last of them is gone and a turn is free: the others may take it

    def release(self) -> None:
        with self.changed:
            self.free += 1
            self.changed.notify_all()


class AdmissionMiddleware:
    """Placed first: a shed request costs a few microseconds and touches nothing else."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.limit = settings.ADMISSION_CONCURRENCY
        self.max_wait = settings.ADMISSION_MAX_WAIT_MS / 1000
        self.retry_after = settings.ADMISSION_RETRY_AFTER_S
        self.trust_request_start = settings.ADMISSION_TRUST_REQUEST_START
        self.turns = Turns(self.limit) if self.limit > 0 else None
        self.exempt = (*EXEMPT_PREFIXES, "/" + settings.STATIC_URL.lstrip("/"))

    def __call__(self, request):
        if self.turns is None or request.path_info.startswith(self.exempt):
            return self.get_response(request)
        budget = self.max_wait - self.waited_in_front(request)
        first = request.method == "POST" or request.path_info.startswith(FIRST_SERVED_PREFIXES)
        if budget <= 0 or not self.turns.acquire(first=first, timeout=budget):
            return shed_response(request, retry_after=self.retry_after)
        try:
            return self.get_response(request)
        finally:
            self.turns.release()

    def waited_in_front(self, request) -> float:
        """Seconds since the front proxy received the request; 0 when unknown or untrusted."""
        if not self.trust_request_start:
            return 0.0
        raw = request.META.get("HTTP_X_REQUEST_START", "")
        try:
            started = float(raw.removeprefix("t="))
        except ValueError:
            return 0.0
        return min(max(time.time() - started, 0.0), self.max_wait)


_pages: dict[str, bytes] = {}
_pages_lock = threading.Lock()


def unavailable_page(language: str) -> bytes:
    """The 503 page in `language`, rendered once per process and language."""
    page = _pages.get(language)
    if page is None:
        with translation.override(language):
            page = render_to_string("errors/503.html", page_without_request(language)).encode()
        with _pages_lock:
            _pages[language] = page
    return page


def shed_response(request, *, retry_after: int) -> HttpResponse:
    language = translation.get_language_from_request(request)
    response = HttpResponse(unavailable_page(language), status=503, content_type="text/html; charset=utf-8")
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    response["Content-Language"] = language
    return response
