"""The e-mail outbox: rows written with the change they tell about, sent once by a task."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from prefecture.dispatch import dispatch_after_commit

from .models import Booking, OutboundEmail

logger = logging.getLogger(__name__)

SUBJECTS = {
    OutboundEmail.Kind.CONFIRMATION: "Confirmation de votre rendez-vous — %(reference)s",
}


def queue_email(*, booking: Booking, kind: str) -> OutboundEmail:
    """Write the outbox row in the caller's transaction; wake a sender once it commits."""
    from .tasks import send_email_task

    email, _ = OutboundEmail.objects.get_or_create(booking=booking, kind=kind)
    dispatch_after_commit(send_email_task, email.pk)
    return email


def booking_context(booking: Booking) -> dict:
    slot = booking.slot
    site = booking.counter_type.site
    return {
        "booking": booking,
        "slot": slot,
        "site": site,
        "counter_type": booking.counter_type,
        "starts_at": timezone.localtime(slot.starts_at),
        "manage_url": settings.SITE_URL + reverse("booking:manage", kwargs={"token": booking.token}),
    }


def build_message(email: OutboundEmail) -> EmailMultiAlternatives:
    booking = Booking.objects.select_related("slot", "counter_type__site").get(pk=email.booking_id)
    with translation.override(booking.language):
        context = booking_context(booking)
        subject = translation.gettext(SUBJECTS[email.kind]) % {"reference": booking.display_reference}
        text = render_to_string(f"emails/{email.kind}.txt", context)
        html = render_to_string(f"emails/{email.kind}.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[booking.email],
        headers={"Message-ID": email.message_id},
    )
    message.attach_alternative(html, "text/html")
    return message


def send_outbound_email(*, email_id: int) -> bool:
    """Send one outbox row. Returns False, sending nothing, when it was already sent.

    The row is locked while it is sent, so two deliveries of the same task
    cannot both send it.
    """
    with transaction.atomic():
        email = OutboundEmail.objects.select_for_update().filter(pk=email_id).first()
        if email is None or email.status == OutboundEmail.Status.SENT:
            return False
        email.attempts += 1
        try:
            build_message(email).send()
        except Exception as error:
            email.status = OutboundEmail.Status.QUEUED
            email.last_error = f"{type(error).__name__}: {error}"[:2000]
            email.save(update_fields=["status", "attempts", "last_error"])
            raise
        email.status = OutboundEmail.Status.SENT
        email.sent_at = timezone.now()
        email.last_error = ""
        email.save(update_fields=["status", "attempts", "last_error", "sent_at"])
        return True


def list_stale_email_ids(*, older_than: dt.timedelta = dt.timedelta(minutes=2)) -> list[int]:
    return list(
        OutboundEmail.objects.filter(
            status=OutboundEmail.Status.QUEUED, created_at__lt=timezone.now() - older_than
        ).values_list("pk", flat=True)[:500]
    )
