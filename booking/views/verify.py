"""Confirming a hold: the page where the e-mail's 6-digit code is typed, and the page the e-mail's link opens.

The code page knows the hold from the session (PendingHold). When the person
already had a booking, no hold was made and the page behaves the same (a
code never matches, with the same count of tries), so that it tells nobody
whether a person has an appointment. The link's page changes nothing on GET
(mail scanners open links): its button confirms.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.generic import FormView, View

from prefecture.middleware import survives_session_failure
from prefecture.ratelimit import client_ip

from .. import selectors
from ..draft import PendingHold
from ..emails.attachments import local_start
from ..exceptions import BookingError, HoldExpired, ServiceBusy, TooManyCodeAttempts, WrongCode
from ..hold_forms import CodeForm, ConfirmLinkForm, ResendForm
from ..limits import enforce
from ..services import confirm_hold, resend_verification


def expired_page(request, *, status: int = 410):
    return render(request, "booking/hold_expired.html", {"message": HoldExpired.default_message}, status=status)


@method_decorator(never_cache, name="dispatch")
class CodeView(FormView):
    template_name = "booking/hold_code.html"
    form_class = CodeForm

    def dispatch(self, request, *args, **kwargs):
        self.pending = PendingHold(request.session)
        if not self.pending.exists:
            # A session lost after the hold was committed (or another browser): the e-mail's link still works.
            return render(request, "booking/hold_no_pending.html")
        if self.pending.expires_at <= timezone.now():
            self.pending.clear()
            return expired_page(request)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            email=self.pending.email,
            expires_at=self.pending.expires_at,
            time_zone=self.pending.time_zone,
            resend_form=ResendForm(),
            **kwargs,
        )

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def form_valid(self, form):
        enforce(("code:ip", client_ip(self.request)), ("code:booking", self.pending.limit_key))
        try:
            booking = self.confirm(form.cleaned_data["code"])
        except (WrongCode, TooManyCodeAttempts) as error:
            form.add_error("code", error.message)
            return self.form_invalid(form)
        except HoldExpired:
            self.pending.clear()
            return expired_page(self.request)
        except ServiceBusy as error:
            form.add_error(None, error.message)
            return self.render_to_response(self.get_context_data(form=form), status=503)
        self.pending.clear()
        return survives_session_failure(redirect("booking:confirmation", token=booking.token))

    def confirm(self, code: str):
        booking_id = self.pending.booking_id
        try:
            if booking_id is not None:
                return confirm_hold(booking_id=booking_id, code=code)
        except (WrongCode, TooManyCodeAttempts):
            self.pending.count_wrong_code()  # also here: the session looks the same with or without a hold
            raise
        # No hold behind this page: answer as a hold would to a wrong code.
        wrong = self.pending.count_wrong_code()
        remaining = settings.HOLD_MAX_CODE_ATTEMPTS - wrong
        raise WrongCode(remaining) if remaining > 0 else TooManyCodeAttempts()


class ResendView(View):
    def post(self, request):
        pending = PendingHold(request.session)
        if not pending.exists:
            return redirect("booking:procedures")
        enforce(("resend:ip", client_ip(request)), ("resend:booking", pending.limit_key))
        if pending.booking_id is not None:
            resend_verification(booking_id=pending.booking_id)
        messages.info(
            request,
            _(
                "Si l'envoi est encore possible, l'e-mail vient de repartir vers %(email)s. Il peut mettre quelques "
                "minutes à arriver : regardez aussi dans les courriers indésirables."
            )
            % {"email": pending.email},
        )
        return redirect("booking:verify")


@method_decorator(never_cache, name="dispatch")
class LinkView(FormView):
    """The e-mail's link: GET shows the appointment and a button; POST confirms."""

    template_name = "booking/hold_link.html"
    form_class = ConfirmLinkForm

    def dispatch(self, request, *args, **kwargs):
        self.booking = selectors.get_booking_by_verification_token(token=kwargs["token"])
        if self.booking is None:
            raise Http404(_("Ce lien ne correspond à aucune réservation. Vérifiez qu'il est complet."))
        if self.booking.confirmed_at is not None:
            return redirect("booking:confirmation", token=self.booking.token)
        if not self.booking.is_held or self.booking.hold_expires_at <= timezone.now():
            return expired_page(request)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(booking=self.booking, starts_at=local_start(self.booking), **kwargs)

    def form_valid(self, form):
        try:
            booking = confirm_hold(token=self.kwargs["token"])
        except HoldExpired:
            return expired_page(self.request)
        except BookingError as error:
            form.add_error(None, error.message)
            return self.render_to_response(self.get_context_data(form=form), status=503)
        PendingHold(self.request.session).clear()
        return survives_session_failure(redirect("booking:confirmation", token=booking.token))
