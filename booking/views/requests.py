"""What the one-page request forms (booking.request_forms: a lottery registration, joining a waiting list) share
as pages: an invalid form is shown again with a 400; a refusal by the service comes with a fresh form, since the
proof of work was spent, keeping what was typed."""

from __future__ import annotations

from booking.antibot.views import CheckedFormPostMixin
from booking.exceptions import BookingError


class PlaceRequestPageMixin(CheckedFormPostMixin):
    """For a FormView of a PlaceRequestForm with `counter_type` and `human_check()`."""

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def refuse(self, form, error: BookingError, *, status: int):
        fresh = self.get_form_class()(
            initial=form.retyped(), human_check=self.human_check(), counter_type=self.counter_type
        )
        return self.render_to_response(self.get_context_data(form=fresh, refusal=error.message), status=status)
