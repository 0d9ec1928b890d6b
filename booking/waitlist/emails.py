"""What the waiting list's e-mails say (rendered by booking.emails.messages from templates/emails/)."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from booking.address_check import code_for
from booking.emails.attachments import booking_language
from booking.emails.messages import Letter
from booking.models import Booking, OutboundEmail

from .models import WaitlistEntry

Kind = OutboundEmail.Kind

SUBJECTS = {
    Kind.WAITLIST_CODE: _("Code de confirmation de votre inscription en liste d'attente : %(code)s"),
    Kind.WAITLIST_JOINED: _("Vous êtes inscrit en liste d'attente — %(procedure)s"),
}


def entry_url(entry: WaitlistEntry) -> str:
    return settings.SITE_URL + reverse("waitlist:entry", kwargs={"token": entry.token})


def entry_letter(email: OutboundEmail) -> Letter:
    entry = WaitlistEntry.objects.select_related("counter_type__site").get(pk=email.waitlist_entry_id)
    site = entry.counter_type.site
    context = {
        "entry": entry,
        "counter_type": entry.counter_type,
        "site": site,
        "email": email,
        "entry_url": entry_url(entry),
        "SITE_URL": settings.SITE_URL,
    }
    code = ""
    if email.kind == Kind.WAITLIST_CODE:
        code = code_for(entry.verification_token)
        context.update(
            code=code,
            verify_url=settings.SITE_URL + reverse("waitlist:verify-link", kwargs={"token": entry.verification_token}),
            verify_before=entry.verify_before.astimezone(site.zone),
        )
    return Letter(
        to=entry.email,
        language=booking_language(entry),  # the same rule as a booking's: reads `language`
        zone=site.zone,
        subject=SUBJECTS[email.kind],
        context=context,
        subject_values={"code": code, "procedure": entry.counter_type.name},
    )


def offer_context(booking: Booking) -> dict:
    """What an offer's e-mail adds to a booking's context: its link, its deadline, the person's entry."""
    offer = booking.waitlist_offer
    return {
        "offer_url": settings.SITE_URL + reverse("waitlist:offer", kwargs={"token": booking.verification_token}),
        "deadline": offer.expires_at.astimezone(booking.counter_type.site.zone),
        "entry_url": entry_url(offer.entry),
        "manage_url": "",
    }
