"""Proving an e-mail address with a 6-digit code or a link: holds, lottery registrations, waiting lists.

What is sent is a link carrying a random verification token and a 6-digit
code derived from that token with a key derived from SECRET_KEY (HMAC). The
code is never stored: the database alone gives neither the code nor a way to
guess it, and it is compared in constant time. Wrong codes are counted on
the subject (a hold, a registration, a waiting-list entry): after
HOLD_MAX_CODE_ATTEMPTS the code stops working and only the link does, so
guessing among a million codes has a few chances in a million.

A hold keeps its own fields (booking.models.Booking); the lottery's
registrations and the waiting list's entries share `AddressCheck`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.conf import settings
from django.db import models
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext_lazy as _

from .exceptions import AddressCheckExpired, BookingError, TooManyCodeAttempts, WrongCode


def code_for(token: str) -> str:
    """The 6-digit code that goes with a verification token."""
    digest = salted_hmac("booking.holds.code", token, algorithm="sha256").digest()
    return f"{int.from_bytes(digest[:8], 'big') % 1_000_000:06d}"


def check_code(subject, *, token: str, code: str, extra_fields: tuple[str, ...] = ()) -> BookingError | None:
    """None if `code` is the token's; else the error to show, a wrong code counted on `subject` (saved).

    The caller holds the subject's row locked, and raises the error after its
    transaction committed, so that the count is kept.
    """
    if subject.code_attempts >= settings.HOLD_MAX_CODE_ATTEMPTS:
        return TooManyCodeAttempts()
    if constant_time_compare((code or "").strip(), code_for(token)):
        return None
    subject.code_attempts += 1
    subject.save(update_fields=["code_attempts", *extra_fields])
    remaining = settings.HOLD_MAX_CODE_ATTEMPTS - subject.code_attempts
    return WrongCode(remaining) if remaining > 0 else TooManyCodeAttempts()


def verify_deadline(now: dt.datetime) -> dt.datetime:
    """Until when a registration's or an entry's address may be confirmed: EMAIL_CHECK_MINUTES."""
    return now + dt.timedelta(minutes=settings.EMAIL_CHECK_MINUTES)


def prove_address(
    queryset: models.QuerySet,
    *,
    now: dt.datetime,
    on_proved: Callable[[AddressCheck], None],
    pk: int | None = None,
    token: str | None = None,
    code: str | None = None,
) -> tuple[AddressCheck | None, BookingError | None]:
    """Prove the address of the subject `pk` with its `code`, or of the one whose link has `token`.

    In the caller's transaction, the subject's row locked. Returns the subject
    and the error to raise once committed (a wrong code is counted):
    AddressCheckExpired, WrongCode, TooManyCodeAttempts. An address already
    proved returns the subject as it is (a second click); otherwise
    `verified_at` is set and `on_proved(subject)` records the rest and saves.
    """
    rows = queryset.select_for_update()
    subject = rows.filter(verification_token=token).first() if token else rows.filter(pk=pk).first()
    if subject is None:
        return None, AddressCheckExpired()
    if subject.verified_at is not None:
        return subject, None
    if subject.code_expired(now):
        return subject, AddressCheckExpired()
    if not token:
        wrong = check_code(subject, token=subject.verification_token, code=code)
        if wrong is not None:
            return subject, wrong
    subject.verified_at = now
    on_proved(subject)
    return subject, None


def resend_code(queryset: models.QuerySet, *, pk: int, kind: str, now: dt.datetime) -> bool:
    """Send the subject's code and link again (the same ones), at most HOLD_MAX_RESENDS times. In the caller's
    transaction; returns whether queued."""
    from .emails import queue_email

    subject = queryset.select_for_update().filter(pk=pk).first()
    if subject is None or not subject.awaits_code or subject.code_expired(now):
        return False
    sent = subject.emails.filter(kind=kind).count()
    if sent > settings.HOLD_MAX_RESENDS:
        return False
    return queue_email(about=subject, kind=kind, sequence=sent) is not None


class AddressCheck(models.Model):
    """An address still to prove (`verified_at` empty) until `verify_before`, by code or link."""

    verification_token = models.CharField(max_length=64, unique=True, editable=False)
    code_attempts = models.PositiveSmallIntegerField(_("codes erronés saisis"), default=0, editable=False)
    verify_before = models.DateTimeField(_("adresse à confirmer avant le"), editable=False)
    verified_at = models.DateTimeField(_("adresse confirmée le"), null=True, blank=True, editable=False)

    class Meta:
        abstract = True

    @property
    def awaits_code(self) -> bool:
        return self.verified_at is None

    def code_expired(self, now: dt.datetime) -> bool:
        return self.verified_at is None and self.verify_before <= now
