"""Manage my appointment: the page the link in every e-mail opens, and what it offers.

The link carries the booking's token (256 random bits). An unknown or altered
token gets a 404 page, a cancelled, long-past or deleted (anonymised) booking
a 410 page: never a 500.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.generic import FormView, TemplateView, View

from counters import selectors as counter_selectors
from counters.selectors import AvailableDay, AvailableTime
from prefecture.ratelimit import client_ip

from .. import selectors
from ..antibot.forms import HumanCheck
from ..antibot.views import CheckedFormPostMixin
from ..dates import parse_day
from ..eligibility import answers_of, bookable_days
from ..emails.attachments import build_convocation_pdf, build_ics, ics_filename, local_start, pdf_filename
from ..exceptions import BookingError, NotEligible, SameTime, ServiceBusy, SlotFull
from ..forms import CancelForm, EraseForm, LostLinkForm, SlotForm
from ..limits import email_key, enforce
from ..models import Booking
from ..services import (
    cancel_booking,
    change_deadline,
    check_changeable,
    check_erasable,
    check_movable,
    erase_booking,
    move_booking,
    send_access_link,
)

# A link stops working this long after the appointment.
LINK_LIFETIME_AFTER_APPOINTMENT = dt.timedelta(days=30)


def unavailable(request, *, reason: str, booking: Booking | None = None, status: int):
    return render(request, "booking/manage_unavailable.html", {"reason": reason, "booking": booking}, status=status)


def use_booking_language(request, booking: Booking) -> None:
    """The link comes from an e-mail written in the language the resident booked in: the page follows it,
    unless the visitor has since chosen a language with the switch (the language cookie)."""
    if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES and booking.language in dict(settings.LANGUAGES):
        translation.activate(booking.language)
        request.LANGUAGE_CODE = booking.language


def refusal_status(error: BookingError) -> int:
    return 503 if isinstance(error, ServiceBusy) else 409


class BookingLinkMixin:
    """Loads the booking from the token in the link, or answers with a clear page.

    Never cached: the pages show a person's appointment, and the link is theirs alone.
    """

    changes_booking = False

    @method_decorator(never_cache)
    def dispatch(self, request, *args, **kwargs):
        self.booking = selectors.get_booking_by_token(token=kwargs["token"])
        if self.booking is None:
            return unavailable(request, reason="unknown", status=404)
        use_booking_language(request, self.booking)
        if self.booking.anonymised_at is not None:
            return unavailable(request, reason="deleted", status=410)
        if self.booking.status in (Booking.Status.CANCELLED, Booking.Status.RELEASED, Booking.Status.EXPIRED):
            return unavailable(request, reason="cancelled", booking=self.booking, status=410)
        if self.booking.is_held:
            # The manage link is only ever sent once the hold is confirmed: nothing to see before.
            return unavailable(request, reason="unknown", status=404)
        if self.booking.slot.starts_at < timezone.now() - LINK_LIFETIME_AFTER_APPOINTMENT:
            return unavailable(request, reason="expired", booking=self.booking, status=410)
        if self.changes_booking and self.change_refusal():
            return self.refuse(self.change_refusal(), status=409)
        return super().dispatch(request, *args, **kwargs)

    def change_refusal(self) -> str:
        """Why the booking cannot be changed online any more, or '' when it can."""
        return self._refusal(check_changeable)

    def move_refusal(self) -> str:
        """Why the booking cannot be moved online (its moves used up, say), or '' when it can."""
        return self._refusal(check_movable)

    def erase_refusal(self) -> str:
        """Why the resident cannot have the booking's data deleted (the appointment is to come), or ''."""
        return self._refusal(check_erasable)

    def _refusal(self, check) -> str:
        try:
            check(self.booking, now=timezone.now())
        except BookingError as refusal:
            return str(refusal.message)
        return ""

    def booking_context(self) -> dict:
        return {
            "booking": self.booking,
            "starts_at": local_start(self.booking),
            "change_refusal": self.change_refusal(),
            "move_refusal": self.move_refusal(),
            "erase_refusal": self.erase_refusal(),
            "change_deadline": change_deadline(self.booking).astimezone(self.booking.counter_type.site.zone),
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(**self.booking_context(), **kwargs)

    def refuse(self, message: str, *, status: int):
        """The manage page, with why the change did not happen."""
        context = {**self.booking_context(), "refusal": message}
        return render(self.request, "booking/manage.html", context, status=status)

    def done(self, message: str):
        messages.success(self.request, message)
        return redirect("booking:manage", token=self.booking.token)


class ManageView(BookingLinkMixin, TemplateView):
    template_name = "booking/manage.html"


class CancelView(BookingLinkMixin, FormView):
    changes_booking = True
    template_name = "booking/manage_cancel.html"
    form_class = CancelForm

    def form_valid(self, form):
        enforce(("cancel:booking", str(self.booking.pk)), ("cancel:ip", client_ip(self.request)))
        try:
            cancel_booking(booking_id=self.booking.pk)
        except BookingError as error:
            return self.refuse(error.message, status=refusal_status(error))
        return self.done(_("Votre rendez-vous est annulé. Un e-mail vous le confirme."))


class EraseView(BookingLinkMixin, FormView):
    """Once the appointment is past: delete my data, after a confirmation step."""

    template_name = "booking/manage_erase.html"
    form_class = EraseForm

    def get(self, request, *args, **kwargs):
        if self.erase_refusal():
            return self.refuse(self.erase_refusal(), status=409)
        return super().get(request, *args, **kwargs)

    def form_valid(self, form):
        enforce(("erase:ip", client_ip(self.request)))
        try:
            erase_booking(booking_id=self.booking.pk)
        except BookingError as error:
            return self.refuse(error.message, status=refusal_status(error))
        return unavailable(self.request, reason="deleted", status=200)


class MoveView(BookingLinkMixin, FormView):
    """Choose a day, then a time: the same steps as booking, for the same procedure."""

    changes_booking = True
    template_name = "booking/manage_move.html"
    form_class = SlotForm

    def change_refusal(self) -> str:
        return self.move_refusal()

    def get_form_kwargs(self):
        counter_type = self.booking.counter_type
        self.day_error = ""
        # The days the service will accept: a renewal stays before the permit's expiry.
        day_range = bookable_days(counter_type, answers=answers_of(self.booking))
        within = (day_range.first, day_range.last) if day_range else None
        self.days = self.with_current_day(counter_selectors.list_available_days(counter_type, within=within))
        raw = self.request.POST.get("jour") or self.request.GET.get("jour")
        self.day = self.days[0].day if self.days and not raw else None
        if raw:
            self.day = parse_day(raw)
            if self.day is None:
                self.day_error = _("La date demandée n'est pas valide : choisissez un jour dans la liste.")
        self.times = counter_selectors.list_available_times(counter_type, day=self.day) if self.day else []
        return {**super().get_form_kwargs(), "times": self.times, "current": self.current_time()}

    def with_current_day(self, days: list[AvailableDay]) -> list[AvailableDay]:
        """The appointment's own day is listed even when it has no other place: the resident finds it there."""
        current_day = local_start(self.booking).date()
        if any(available.day == current_day for available in days):
            return days
        return sorted([*days, AvailableDay(current_day, places_left=0)], key=lambda available: available.day)

    def current_time(self) -> AvailableTime | None:
        """The appointment being moved, when the day shown is its day: marked among the times."""
        starts_at = local_start(self.booking)
        if self.day != starts_at.date():
            return None
        ends_at = self.booking.slot.ends_at.astimezone(starts_at.tzinfo)
        return AvailableTime(starts_at, ends_at, places_left=0)

    def get(self, request, *args, **kwargs):
        form = self.get_form()
        return self.render_to_response(self.get_context_data(form=form), status=400 if self.day_error else 200)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            days=self.days,
            day=self.day,
            times=self.times,
            current=self.current_time(),
            current_day=local_start(self.booking).date(),
            day_error=self.day_error,
            **kwargs,
        )

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def form_valid(self, form):
        enforce(("move:booking", str(self.booking.pk)), ("move:ip", client_ip(self.request)))
        try:
            move_booking(booking_id=self.booking.pk, starts_at=form.cleaned_data["starts_at"])
        except (SlotFull, NotEligible, SameTime) as error:
            # Nothing changed; offer the times as they are now (without one just taken).
            self.times = counter_selectors.list_available_times(self.booking.counter_type, day=self.day)
            form = self.get_form_class()(times=self.times, current=self.current_time())
            context = self.get_context_data(form=form, refusal=error.message)
            return self.render_to_response(context, status=409)
        except BookingError as error:
            return self.refuse(error.message, status=refusal_status(error))
        return self.done(_("Votre rendez-vous est déplacé. Un e-mail avec votre nouvelle convocation vous est envoyé."))


class ConvocationView(BookingLinkMixin, View):
    def get(self, request, *args, **kwargs):
        response = HttpResponse(build_convocation_pdf(self.booking), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{pdf_filename(self.booking)}"'
        return response


class CalendarView(BookingLinkMixin, View):
    def get(self, request, *args, **kwargs):
        response = HttpResponse(build_ics(self.booking), content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{ics_filename(self.booking)}"'
        return response


class LostLinkView(CheckedFormPostMixin, FormView):
    """Sends the link again; answers the same whether or not the details match a booking.

    After an anti-robot check, within limits per address and per IP.
    """

    template_name = "booking/manage_lost_link.html"
    form_class = LostLinkForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "human_check": HumanCheck("lost-link")}

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def form_valid(self, form):
        enforce(("lost-link:ip", client_ip(self.request)), ("lost-link:email", email_key(form.cleaned_data["email"])))
        booking = selectors.find_booking_by_reference(
            reference=form.cleaned_data["reference"], email=form.cleaned_data["email"]
        )
        if booking is not None:
            send_access_link(booking_id=booking.pk)
        return render(self.request, "booking/manage_lost_link_sent.html", {"email": form.cleaned_data["email"]})
