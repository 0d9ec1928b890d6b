"""Confirming a hold: the page where the e-mail's 6-digit code is typed, and the page the e-mail's link opens.

The pages themselves are shared with lottery registrations and waiting lists
(views/codes.py): here is what a hold confirms and where it leads.
"""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import selectors
from ..draft import PendingHold
from ..emails.attachments import local_start
from ..exceptions import HoldExpired
from ..services import confirm_hold, resend_verification
from .codes import PendingCodeView, PendingLinkView, PendingResendView


def expired_page(request, *, status: int = 410):
    return render(request, "booking/hold_expired.html", {"message": HoldExpired.default_message}, status=status)


class HoldPagesMixin:
    pending_class = PendingHold
    expired_errors = (HoldExpired,)

    def done(self, booking):
        return redirect("booking:confirmation", token=booking.token)

    def expired(self):
        return expired_page(self.request)


class CodeView(HoldPagesMixin, PendingCodeView):
    template_name = "booking/hold_code.html"
    no_pending_template = "booking/hold_no_pending.html"

    def confirm_subject(self, subject_id: int, code: str):
        return confirm_hold(booking_id=subject_id, code=code)


class ResendView(PendingResendView):
    pending_class = PendingHold
    start_url = "booking:procedures"
    code_url = "booking:verify"

    def resend(self, subject_id: int) -> None:
        resend_verification(booking_id=subject_id)


class LinkView(HoldPagesMixin, PendingLinkView):
    """The e-mail's link: GET shows the appointment and a button; POST confirms."""

    template_name = "booking/hold_link.html"
    not_found_message = _("Ce lien ne correspond à aucune réservation. Vérifiez qu'il est complet.")

    def get_subject(self, token: str):
        return selectors.get_booking_by_verification_token(token=token)

    def is_confirmed(self, booking) -> bool:
        return booking.confirmed_at is not None

    def is_expired(self, booking) -> bool:
        return not booking.is_held or booking.hold_expires_at <= timezone.now()

    def confirm_token(self, token: str):
        return confirm_hold(token=token)

    def get_context_data(self, **kwargs):
        return super().get_context_data(booking=self.subject, starts_at=local_start(self.subject), **kwargs)
