"""The desk's answer to a squatted identity: releasing the booking someone else made in a person's name.

Thin: the form asks for a reason and the agent's word that the papers were
checked; release_usurped_booking checks, writes, audits and frees the place.
Then the agent books for the real person (the caller booking page).
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import FormView

from ..emails.attachments import local_start
from ..exceptions import BookingError
from ..services import check_release_usurped, release_usurped_booking
from ..staff_forms import ReleaseUsurpedForm
from .staff import BookingMixin, StaffMixin


class ReleaseUsurpedView(StaffMixin, BookingMixin, FormView):
    template_name = "staff/release_booking.html"
    permission_required = "booking.release_usurped"
    form_class = ReleaseUsurpedForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.has_perm(self.permission_required):
            self.booking = self.get_booking()
        return super().dispatch(request, *args, **kwargs)

    def refusal(self) -> str:
        try:
            check_release_usurped(booking=self.booking, now=timezone.now())
        except BookingError as error:
            return str(error.message)
        return ""

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            booking=self.booking, starts_at=local_start(self.booking), refusal=self.refusal(), **kwargs
        )

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def form_valid(self, form):
        try:
            release_usurped_booking(booking=self.booking, agent=self.request.user, reason=form.cleaned_data["reason"])
        except BookingError as error:
            return self.render_to_response(self.get_context_data(form=form, refusal=error.message), status=409)
        messages.success(
            self.request,
            _(
                "Rendez-vous %(reference)s libéré. Aucun e-mail n'a été envoyé. Vous pouvez maintenant prendre "
                "rendez-vous pour la personne."
            )
            % {"reference": self.booking.display_reference},
        )
        return redirect("staff:booking", reference=self.booking.reference)
