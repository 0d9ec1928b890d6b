"""What the lottery's e-mails say (rendered by booking.emails.messages from templates/emails/)."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from booking.address_check import code_for
from booking.emails.attachments import booking_language
from booking.emails.messages import Letter
from booking.models import Booking, OutboundEmail

from .models import Registration

Kind = OutboundEmail.Kind

SUBJECTS = {
    Kind.LOTTERY_CODE: _("Code de confirmation de votre inscription au tirage au sort : %(code)s"),
    Kind.LOTTERY_REGISTERED: _("Vous êtes inscrit au tirage au sort du %(date)s"),
    Kind.LOTTERY_NOT_DRAWN: _("Tirage au sort du %(date)s : résultat"),
}


def registration_url(registration: Registration) -> str:
    return settings.SITE_URL + reverse("lottery:registration", kwargs={"token": registration.token})


def draw_url(opening_id: int) -> str:
    return settings.SITE_URL + reverse("lottery:opening", kwargs={"pk": opening_id})


def registration_letter(email: OutboundEmail) -> Letter:
    registration = Registration.objects.select_related("lottery__opening__site", "counter_type").get(
        pk=email.registration_id
    )
    opening = registration.lottery.opening
    zone = opening.site.zone
    context = {
        "registration": registration,
        "opening": opening,
        "site": opening.site,
        "counter_type": registration.counter_type,
        "email": email,
        "registration_url": registration_url(registration),
        "draw_url": draw_url(opening.pk),
        "draw_at": opening.registration_closes_at.astimezone(zone),
        "SITE_URL": settings.SITE_URL,
    }
    code = ""
    if email.kind == Kind.LOTTERY_CODE:
        code = code_for(registration.verification_token)
        context.update(
            code=code,
            verify_url=settings.SITE_URL
            + reverse("lottery:verify-link", kwargs={"token": registration.verification_token}),
            verify_before=registration.verify_before.astimezone(zone),
        )
    return Letter(
        to=registration.email,
        language=booking_language(registration),  # the same rule as a booking's: reads `language`
        zone=zone,
        subject=SUBJECTS[email.kind],
        context=context,
        subject_values={"code": code, "date": opening.date},
    )


def drawn_context(booking: Booking) -> dict:
    """What the e-mail of a place given by the draw adds to a booking's: the link to confirm, until when,
    the registration's hash and rank, the published draw."""
    registration = booking.lottery_registration
    return {
        "registration": registration,
        "confirm_url": settings.SITE_URL + reverse("booking:verify-link", kwargs={"token": booking.verification_token}),
        "deadline": booking.hold_expires_at.astimezone(booking.counter_type.site.zone),
        "registration_url": registration_url(registration),
        "draw_url": draw_url(registration.lottery.opening_id),
        "manage_url": "",
    }
