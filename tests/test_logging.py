"""Logs hold neither the tokens of booking links nor anyone's personal data."""

import copy
import io
import logging

import pytest
from django.urls import reverse

from booking.models import Booking
from prefecture.log_filters import MASK, MaskTokensFilter, mask_tokens
from tests.booking.test_flow_views import IDENTITY, to_review
from tests.factories import CounterTypeFactory, SlotFactory
from tests.flow import enter_code, hold, last_code

TOKEN = "Zq3-x_9bN4kL0pQrStUvWxYz1234567890abcdEFGHi"  # as secrets.token_urlsafe(32) makes them


def record(msg, *args, exc_info=None) -> logging.LogRecord:
    return logging.LogRecord("django.request", logging.WARNING, __file__, 1, msg, args, exc_info)


@pytest.mark.parametrize(
    "path",
    [
        f"/mon-rendez-vous/{TOKEN}/",
        f"/mon-rendez-vous/{TOKEN}/annuler/",
        f"/mon-rendez-vous/{TOKEN}/convocation.pdf",
        f"/rendez-vous/confirmation/{TOKEN}/",
        f"/rendez-vous/valider/{TOKEN}/",  # the link that confirms a hold
        f"/mon-rendez-vous/{TOKEN[:20]}",  # a truncated link is as much a secret
    ],
)
def test_tokens_in_paths_are_masked_in_messages_and_arguments(path):
    for entry in (record("Not Found: %s", path), record(f'"GET {path} HTTP/1.1" 404 1234')):
        MaskTokensFilter().filter(entry)
        assert TOKEN[:20] not in entry.getMessage()
        assert MASK in entry.getMessage()


def test_the_lost_link_page_is_not_a_token():
    assert mask_tokens("Bad Request: /mon-rendez-vous/lien-perdu/") == "Bad Request: /mon-rendez-vous/lien-perdu/"


def test_tokens_are_masked_in_tracebacks_too():
    try:
        raise ValueError(f"while serving /mon-rendez-vous/{TOKEN}/deplacer/")
    except ValueError:
        import sys

        entry = record("Internal Server Error: %s", "/x/", exc_info=sys.exc_info())
    MaskTokensFilter().filter(entry)
    assert TOKEN not in entry.exc_text and MASK in entry.exc_text


def configured_handlers() -> list[logging.Handler]:
    """The handlers LOGGING installs (pytest adds capture handlers of its own, left aside)."""
    names = ["", "django", "django.request", "django.server", "django.security", "celery", "booking", "prefecture"]
    handlers = []
    for name in names:
        logger = logging.getLogger(name)
        handlers += [
            h
            for h in logger.handlers
            if not type(h).__module__.startswith("_pytest") and not isinstance(h, logging.NullHandler)
        ]
    return handlers


def test_every_configured_handler_masks_tokens():
    handlers = configured_handlers()
    assert len(handlers) >= 2  # the console and the development server's
    for handler in handlers:
        assert any(isinstance(f, MaskTokensFilter) for f in handler.filters), handler


def test_a_celery_worker_s_own_task_logger_masks_tokens_too():
    from celery.signals import after_setup_task_logger

    logger = logging.getLogger("tests.celery.task")
    stream = io.StringIO()
    logger.addHandler(logging.StreamHandler(stream))
    logger.propagate = False
    after_setup_task_logger.send(sender=None, logger=logger, loglevel=logging.INFO)
    logger.warning("sent /mon-rendez-vous/%s/", TOKEN)
    assert TOKEN not in stream.getvalue() and MASK in stream.getvalue()


@pytest.mark.django_db
def test_a_404_on_a_booking_link_is_logged_without_its_token(client):
    console = next(h for h in logging.getLogger().handlers if not type(h).__module__.startswith("_pytest"))
    stream = io.StringIO()
    previous = console.setStream(stream)
    try:
        response = client.get(f"/mon-rendez-vous/{TOKEN}/page-inconnue/")
    finally:
        console.setStream(previous)
    assert response.status_code == 404
    written = stream.getvalue()
    assert "Not Found: /mon-rendez-vous/[jeton masqué]/page-inconnue/" in written
    assert TOKEN not in written


@pytest.mark.django_db
def test_booking_and_cancelling_logs_no_personal_data_at_info_or_above(
    client, caplog, mailoutbox, django_capture_on_commit_callbacks
):
    """The whole public flow, e-mails sent by the (eager) task, the link used, a mistyped link, a cancellation."""
    identity = {**IDENTITY, "passport_number": "XK1234567"}
    slot = SlotFactory(capacity=2, counter_type=CounterTypeFactory(min_days_ahead=0))
    caplog.set_level(logging.DEBUG)

    to_review(client, slot, identity)
    with django_capture_on_commit_callbacks(execute=True):
        hold(client)
    code = last_code(mailoutbox)
    with django_capture_on_commit_callbacks(execute=True):
        enter_code(client, code)
    booking = Booking.objects.get()
    client.get(reverse("booking:confirmation", args=[booking.token]))
    client.get(reverse("booking:manage", args=[booking.token]))
    client.get(f"/mon-rendez-vous/{booking.token}/page-inconnue/")
    client.get(f"/rendez-vous/valider/{booking.verification_token[:-2]}/")  # a mistyped confirmation link
    client.get(reverse("booking:confirmation", args=[booking.token[:-2]]))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("booking:cancel", args=[booking.token]))
    client.get(reverse("booking:manage", args=[booking.token]))  # 410: cancelled

    assert Booking.objects.get().status == Booking.Status.CANCELLED and len(mailoutbox) == 3  # code, convocation
    secrets = [
        identity["last_name"],
        identity["first_names"],
        identity["email"],
        identity["foreigner_number"],
        identity["passport_number"],
        booking.token,
        booking.token[:-2],
        booking.verification_token[:-2],
        code,
    ]
    written = written_at_info_or_above(caplog.records)
    assert any("Not Found" in line for line in written)  # the mistyped links were logged, masked
    for line in written:
        for secret in secrets:
            assert secret.lower() not in line.lower(), line


def written_at_info_or_above(records) -> list[str]:
    """What the configured handlers write of these records: INFO and above, tokens masked, tracebacks included."""
    lines = []
    for entry in records:
        if entry.levelno < logging.INFO:
            continue
        entry = copy.copy(entry)
        MaskTokensFilter().filter(entry)
        lines.append(f"{entry.name}: {entry.getMessage()} {entry.exc_text or ''}")
    return lines


@pytest.mark.django_db
def test_a_refused_recipient_is_not_written_to_the_logs(caplog, monkeypatch, django_capture_on_commit_callbacks):
    """An SMTP error quotes the address it refused: it is kept on the outbox row, not logged by the task."""
    from smtplib import SMTPRecipientsRefused

    from booking.models import OutboundEmail
    from tests.factories import book_confirmed, person

    def refuse(self, messages):
        raise SMTPRecipientsRefused({message.to[0]: (550, b"5.1.1 User unknown") for message in messages})

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    slot = SlotFactory(capacity=1)
    caplog.set_level(logging.DEBUG)
    with django_capture_on_commit_callbacks(execute=True):
        booking = book_confirmed(counter_type=slot.counter_type, starts_at=slot.starts_at, person=person(7))

    assert booking.email in OutboundEmail.objects.get(booking=booking, kind="confirmation").last_error
    written = written_at_info_or_above(caplog.records)
    assert written  # the failure is logged…
    assert not [line for line in written if booking.email in line]  # …without the address
