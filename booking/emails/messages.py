"""The e-mails themselves: subject, text and HTML bodies, attachments, in the resident's language."""

from __future__ import annotations

from email.header import Header

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
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

SUBJECTS = {
    OutboundEmail.Kind.CONFIRMATION: _("Confirmation de votre rendez-vous — %(reference)s"),
    OutboundEmail.Kind.REMINDER: _("Rappel : votre rendez-vous du %(date)s — %(reference)s"),
    OutboundEmail.Kind.CANCELLATION: _("Annulation de votre rendez-vous — %(reference)s"),
    OutboundEmail.Kind.MOVED: _("Votre rendez-vous a été déplacé — %(reference)s"),
    OutboundEmail.Kind.ACCESS_LINK: _("Le lien vers votre rendez-vous — %(reference)s"),
    OutboundEmail.Kind.VERIFICATION: _("Code de confirmation de votre rendez-vous : %(code)s"),
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


def build_message(email: OutboundEmail) -> EmailMultiAlternatives:
    booking = selectors.list_bookings_with_details().get(pk=email.booking_id)
    # The resident's language, and the site's time zone for every date and hour the templates show.
    with translation.override(booking_language(booking)), timezone.override(booking.counter_type.site.zone):
        context = {**booking_context(booking), "email": email}
        if email.kind == OutboundEmail.Kind.VERIFICATION:
            context.update(verification_context(booking))
        subject = str(SUBJECTS[email.kind]) % {
            "reference": booking.display_reference,
            "date": short_date(context["starts_at"]),
            "code": context.get("code", ""),
        }
        text = render_to_string(f"emails/{email.kind}.txt", context)
        html = render_to_string(f"emails/{email.kind}.html", context)
        message = Message(
            subject=subject,
            body=text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[booking.email],
            headers={"Message-ID": email.message_id},
        )
        message.attach_alternative(html, "text/html")
        if email.kind in WITH_CONVOCATION:
            message.attach(ics_filename(booking), build_ics(booking), "text/calendar")
            message.attach(pdf_filename(booking), build_convocation_pdf(booking), "application/pdf")
        elif email.kind == OutboundEmail.Kind.CANCELLATION:
            message.attach(ics_filename(booking), build_ics(booking, cancelled=True), "text/calendar")
    return message
