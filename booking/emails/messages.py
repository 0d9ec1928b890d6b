"""The e-mails themselves: subject, text and HTML bodies, attachments, in the resident's language."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from email.header import Header
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from prefecture.dates import short_date

from .. import selectors
from ..models import Booking, OutboundEmail
from .attachments import (
    booking_language,
    build_convocation_pdf,
    build_ics,
    ics_filename,
    local_start,
    pdf_filename,
)

Kind = OutboundEmail.Kind

# The e-mails about a registration or a waiting-list entry: the function that writes each (its Letter).
LETTERS = {
    Kind.LOTTERY_CODE: "booking.lottery.emails.registration_letter",
    Kind.LOTTERY_REGISTERED: "booking.lottery.emails.registration_letter",
    Kind.LOTTERY_NOT_DRAWN: "booking.lottery.emails.registration_letter",
    Kind.WAITLIST_CODE: "booking.waitlist.emails.entry_letter",
    Kind.WAITLIST_JOINED: "booking.waitlist.emails.entry_letter",
    Kind.QUESTION_CODE: "booking.questions.emails.question_letter",
    Kind.QUESTION_RECEIVED: "booking.questions.emails.question_letter",
    Kind.QUESTION_ANSWER: "booking.questions.emails.question_letter",
}
# The first e-mail of a place given by the draw or offered from the waiting list: what it adds to a booking's.
HOLD_CONTEXTS = {
    Kind.LOTTERY_DRAWN: "booking.lottery.emails.drawn_context",
    Kind.WAITLIST_OFFER: "booking.waitlist.emails.offer_context",
}

SUBJECTS = {
    OutboundEmail.Kind.CONFIRMATION: _("Confirmation de votre rendez-vous — %(reference)s"),
    OutboundEmail.Kind.REMINDER: _("Rappel : votre rendez-vous du %(date)s — %(reference)s"),
    OutboundEmail.Kind.CANCELLATION: _("Annulation de votre rendez-vous — %(reference)s"),
    OutboundEmail.Kind.MOVED: _("Votre rendez-vous a été déplacé — %(reference)s"),
    OutboundEmail.Kind.ACCESS_LINK: _("Le lien vers votre rendez-vous — %(reference)s"),
    OutboundEmail.Kind.VERIFICATION: _("Code de confirmation de votre rendez-vous : %(code)s"),
    OutboundEmail.Kind.LOTTERY_DRAWN: _("Tirage au sort : un rendez-vous le %(date)s à confirmer — %(reference)s"),
    OutboundEmail.Kind.WAITLIST_OFFER: _("Liste d'attente : une place le %(date)s vous est proposée"),
}

WITH_CONVOCATION = {OutboundEmail.Kind.CONFIRMATION, OutboundEmail.Kind.MOVED}


class Message(EmailMultiAlternatives):
    """Django's message, with a long non-ASCII Subject folded as RFC 5322 expects.

    Django 5.2 encodes such a subject into RFC 2047 words as if it began the
    line, without counting "Subject: "; the first word is then too long to
    follow the header name, and the generator folds before it, leaving the
    header's first line empty ("Subject: " then the text on the next lines),
    which some clients show as an empty subject. Encoding it knowing the
    header's name starts the text on the first line.
    """

    def message(self):
        message = super().message()  # also refuses a subject with a line break (header injection)
        if not self.subject.isascii():
            message.replace_header("Subject", Header(self.subject, self.encoding or "utf-8", header_name="Subject"))
        return message


def manage_url(booking: Booking) -> str:
    return settings.SITE_URL + reverse("booking:manage", kwargs={"token": booking.token})


def booking_context(booking: Booking) -> dict:
    return {
        "booking": booking,
        "slot": booking.slot,
        "site": booking.counter_type.site,
        "counter_type": booking.counter_type,
        "starts_at": local_start(booking),
        "manage_url": manage_url(booking),
        "SITE_URL": settings.SITE_URL,
    }


def verification_context(booking: Booking) -> dict:
    """The first e-mail of a hold: its code and link only; the manage link comes with the confirmation."""
    from ..services.holds import verification_code

    return {
        "code": verification_code(booking),
        "verify_url": settings.SITE_URL + reverse("booking:verify-link", kwargs={"token": booking.verification_token}),
        "hold_expires_at": booking.hold_expires_at.astimezone(booking.counter_type.site.zone),
        "manage_url": "",
    }


@dataclass
class Letter:
    """What an e-mail says, before it is rendered: to whom, in which language and time zone, with what."""

    to: str
    language: str
    zone: ZoneInfo
    subject: str  # a translatable text, formatted with `subject_values` (dates too) in the letter's language
    context: dict
    subject_values: dict = field(default_factory=dict)


def booking_letter(email: OutboundEmail, booking: Booking) -> Letter:
    context = {**booking_context(booking), "email": email}
    if email.kind == OutboundEmail.Kind.VERIFICATION:
        context.update(verification_context(booking))
    elif email.kind in HOLD_CONTEXTS:
        context.update(import_string(HOLD_CONTEXTS[email.kind])(booking))
    return Letter(
        to=booking.email,
        language=booking_language(booking),
        zone=booking.counter_type.site.zone,
        subject=SUBJECTS[email.kind],
        context=context,
        subject_values={
            "reference": booking.display_reference,
            "date": context["starts_at"],
            "code": context.get("code", ""),
        },
    )


def build_message(email: OutboundEmail) -> EmailMultiAlternatives:
    booking = None
    if email.booking_id is not None:
        booking = selectors.list_bookings_with_details().get(pk=email.booking_id)
        letter = booking_letter(email, booking)
    else:
        letter = import_string(LETTERS[email.kind])(email)
    # The resident's language, and the site's time zone for every date and hour the templates show.
    with translation.override(letter.language), timezone.override(letter.zone):
        subject = str(letter.subject) % {key: _subject_value(value) for key, value in letter.subject_values.items()}
        text = render_to_string(f"emails/{email.kind}.txt", letter.context)
        html = render_to_string(f"emails/{email.kind}.html", letter.context)
        message = Message(
            subject=subject,
            body=text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[letter.to],
            headers={"Message-ID": email.message_id},
        )
        message.attach_alternative(html, "text/html")
        if booking is not None:
            attach_documents(message, email, booking)
    return message


def _subject_value(value) -> str:
    """A date in the letter's language (it is active here), anything else as text."""
    return short_date(value) if isinstance(value, dt.date) else str(value)


def attach_documents(message: Message, email: OutboundEmail, booking: Booking) -> None:
    """The convocation (.ics, PDF) once confirmed; never with a hold's first e-mail."""
    if email.kind in WITH_CONVOCATION:
        message.attach(ics_filename(booking), build_ics(booking), "text/calendar")
        message.attach(pdf_filename(booking), build_convocation_pdf(booking), "application/pdf")
    elif email.kind == OutboundEmail.Kind.CANCELLATION:
        message.attach(ics_filename(booking), build_ics(booking, cancelled=True), "text/calendar")
