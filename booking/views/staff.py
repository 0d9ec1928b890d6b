"""Pages for prefecture staff: day agenda, check-in, bookings for callers, export, statistics.

Thin: forms validate, services write, selectors read. Every page needs the
staff login with its second factor and its own permission, and shows only the
user's sites (counters.staff_sites): another site's booking is "not found". A
bad input gets a translated message and a 4xx status, never a 500.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib import messages
from django.http import Http404, HttpResponseNotAllowed, StreamingHttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from counters import selectors as counter_selectors
from counters.models import Handover
from counters.staff_sites.selectors import filter_for_staff

from .. import selectors
from ..chart import bar_chart
from ..emails.attachments import local_start
from ..exceptions import AlreadyBooked, AlreadyCheckedIn, BookingError, NotEligible, ServiceBusy, SlotFull
from ..exports import iter_bookings_csv
from ..models import Booking
from ..questions.figures import get_question_figures
from ..services import (
    DeskAction,
    PersonData,
    allowed_desk_actions,
    book_for_caller,
    check_in_booking,
    mark_booking_done,
    mark_booking_no_show,
    undo_check_in,
    undo_no_show,
)
from ..staff_forms import AgendaFilterForm, CallerBookingForm, CallerProcedureForm, CheckInForm, PeriodForm
from ..statistics import get_statistics
from .staff_scope import StaffMixin, chosen_site, default_site, site_today

PERSON_FIELDS = [
    "last_name",
    "first_names",
    "birth_date",
    "nationality",
    "email",
    "foreigner_number",
    "passport_number",
    "phone",
]


@dataclass(frozen=True)
class DeskButton:
    action: str
    label: str
    handed_over: bool = False
    primary: bool = True


def desk_buttons(booking: Booking, *, now: dt.datetime) -> list[DeskButton]:
    """Buttons for what the desk rules (services.desk) allow now; only their wording is decided here."""
    buttons = []
    for action in allowed_desk_actions(booking, now=now):
        if action == DeskAction.DONE:
            buttons.extend(_done_buttons(booking))
        else:
            buttons.append(DeskButton(action.value, str(action.label), primary=action == DeskAction.CHECK_IN))
    return buttons


def _done_buttons(booking: Booking) -> list[DeskButton]:
    handover = booking.counter_type.handover
    if handover == Handover.NOTHING:
        return [DeskButton(DeskAction.DONE.value, _("Reçu : terminé"))]
    return [
        DeskButton(DeskAction.DONE.value, _("Terminé — %(what)s") % {"what": Handover(handover).label.lower()}, True),
        DeskButton(DeskAction.DONE.value, _("Terminé, rien remis"), primary=False),
    ]


class StaffHomeView(StaffMixin, TemplateView):
    template_name = "staff/home.html"
    permission_required = "booking.view_agenda"

    def get_context_data(self, **kwargs):
        return super().get_context_data(sites=list(self.sites), **kwargs)


class AgendaView(StaffMixin, TemplateView):
    """A site's appointments on one day (today unless asked), by time, with what to do next."""

    template_name = "staff/agenda.html"
    permission_required = "booking.view_agenda"
    needs_site = True

    def get(self, request, *args, **kwargs):
        data = request.GET.copy()
        site = chosen_site(data.get("site"), self.sites)
        if not data.get("site") and site:
            data["site"] = str(site.pk)
        data.setdefault("date", site_today(site).isoformat())
        form = AgendaFilterForm(data, sites=self.sites)
        context = self.get_context_data(form=form, check_in_form=CheckInForm(), bookings=[])
        if not form.is_valid():
            return self.render_to_response(context, status=400)
        now = timezone.now()
        bookings = list(
            selectors.list_agenda(
                site=form.cleaned_data["site"],
                day=form.cleaned_data["date"],
                counter_type=form.cleaned_data["counter_type"],
                counter=form.cleaned_data["counter"],
                search=form.cleaned_data["search"],
            )
        )
        day = form.cleaned_data["date"]
        context.update(
            day=day,
            site=form.cleaned_data["site"],
            search=form.cleaned_data["search"].strip(),
            is_today=day == site_today(form.cleaned_data["site"]),
            rows=[(booking, desk_buttons(booking, now=now)) for booking in bookings],
            counts={status.label: sum(b.status == status for b in bookings) for status in Booking.Status},
            previous_day=self._other_day(data, day - dt.timedelta(days=1)),
            next_day=self._other_day(data, day + dt.timedelta(days=1)),
            back_url=request.get_full_path(),
        )
        return self.render_to_response(context)

    @staticmethod
    def _other_day(data, day: dt.date) -> str:
        query = data.copy()
        query["date"] = day.isoformat()
        return "?" + query.urlencode()


class CheckInView(StaffMixin, TemplateView):
    """Typing the reference, or scanning the convocation's QR code into the field, records the arrival."""

    template_name = "staff/check_in.html"
    permission_required = "booking.check_in"

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=CheckInForm()))

    def post(self, request, *args, **kwargs):
        form = CheckInForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        booking = selectors.get_booking_by_reference(reference=form.cleaned_data["reference"], user=request.user)
        if booking is None:
            form.add_error(
                "reference",
                _("Aucun rendez-vous ne correspond à la référence « %(reference)s ». Vérifiez-la.")
                % {"reference": form.cleaned_data["reference"].strip()[:40]},
            )
            return self.render_to_response(self.get_context_data(form=form), status=404)
        try:
            check_in_booking(booking=booking, agent=request.user)
        except AlreadyCheckedIn as notice:  # scanned twice: say so, nothing went wrong
            messages.info(request, notice.message)
            return redirect("staff:booking", reference=booking.reference)
        except BookingError as error:
            return self.render_to_response(self.get_context_data(form=form, refusal=error.message), status=409)
        messages.success(
            request,
            _("Arrivée enregistrée : %(name)s, %(reference)s.")
            % {"name": f"{booking.last_name.upper()} {booking.first_names}", "reference": booking.display_reference},
        )
        return redirect("staff:booking", reference=booking.reference)


class BookingMixin:
    def get_booking(self) -> Booking:
        booking = selectors.get_booking_by_reference(reference=self.kwargs["reference"], user=self.request.user)
        if booking is None:
            raise Http404(_("Aucun rendez-vous ne correspond à cette référence."))
        return booking


class BookingDeskView(StaffMixin, BookingMixin, TemplateView):
    template_name = "staff/booking.html"
    permission_required = "booking.view_agenda"

    def get_context_data(self, **kwargs):
        booking = kwargs.pop("booking", None) or self.get_booking()
        return super().get_context_data(
            booking=booking,
            starts_at=local_start(booking),
            actions=desk_buttons(booking, now=timezone.now()),
            can_act=self.request.user.has_perm("booking.check_in"),
            **kwargs,
        )


class BookingActionView(StaffMixin, BookingMixin, View):
    """Arrival, done (with what was handed over), absent, or undoing a mistaken arrival or absence.

    The view decides nothing: each service checks its own rule and says why it refuses.
    """

    permission_required = "booking.check_in"
    ACTIONS = {
        DeskAction.CHECK_IN: lambda booking, user, post: check_in_booking(booking=booking, agent=user),
        DeskAction.DONE: lambda booking, user, post: mark_booking_done(
            booking=booking, agent=user, handed_over=post.get("handed_over") == "1"
        ),
        DeskAction.NO_SHOW: lambda booking, user, post: mark_booking_no_show(booking=booking, agent=user),
        DeskAction.UNDO_CHECK_IN: lambda booking, user, post: undo_check_in(booking=booking, agent=user),
        DeskAction.UNDO_NO_SHOW: lambda booking, user, post: undo_no_show(booking=booking, agent=user),
    }
    DONE_MESSAGES = {
        DeskAction.CHECK_IN: gettext_lazy("Arrivée enregistrée : %(reference)s."),
        DeskAction.DONE: gettext_lazy("Rendez-vous %(reference)s terminé."),
        DeskAction.NO_SHOW: gettext_lazy("Rendez-vous %(reference)s marqué absent."),
        DeskAction.UNDO_CHECK_IN: gettext_lazy("Arrivée annulée : %(reference)s est de nouveau « Confirmé »."),
        DeskAction.UNDO_NO_SHOW: gettext_lazy("Absence annulée : %(reference)s est de nouveau « Confirmé »."),
    }

    def get(self, request, *args, **kwargs):
        return HttpResponseNotAllowed(["POST"])

    def post(self, request, reference: str, action: str):
        booking = self.get_booking()
        if action not in self.ACTIONS:
            return self._refuse(booking, _("Cette action n'existe pas."), status=400)
        try:
            self.ACTIONS[action](booking, request.user, request.POST)
        except AlreadyCheckedIn as notice:  # a second click or scan: say so, nothing went wrong
            messages.info(request, notice.message)
        except BookingError as error:
            return self._refuse(booking, error.message, status=409)
        else:
            messages.success(request, self.DONE_MESSAGES[action] % {"reference": booking.display_reference})
        back = request.POST.get("next", "")
        if back and url_has_allowed_host_and_scheme(back, {request.get_host()}, require_https=request.is_secure()):
            return redirect(back)
        return redirect("staff:booking", reference=booking.reference)

    def _refuse(self, booking: Booking, message: str, *, status: int):
        view = BookingDeskView(request=self.request, kwargs=self.kwargs)
        booking = self.get_booking()  # as it is now
        context = view.get_context_data(booking=booking, refusal=message)
        return view.render_to_response(context, status=status)


class CallerBookingView(StaffMixin, TemplateView):
    """An agent books for a person on the phone or at the desk: procedure and day, then time and details."""

    template_name = "staff/book.html"
    permission_required = "booking.book_for_caller"
    needs_site = True

    def dispatch(self, request, *args, **kwargs):
        # Only the procedures of the agent's sites: another site's is "not in the list".
        self.counter_types = filter_for_staff(counter_selectors.list_staff_counter_types(), request.user)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        if not request.GET:
            return self.render_to_response(
                self.get_context_data(choice_form=CallerProcedureForm(counter_types=self.counter_types))
            )
        return self._render(CallerProcedureForm(request.GET, counter_types=self.counter_types))

    def post(self, request, *args, **kwargs):
        choice_form = CallerProcedureForm(request.POST, counter_types=self.counter_types)
        if not choice_form.is_valid():
            return self._render(choice_form)
        counter_type, day = choice_form.cleaned_data["counter_type"], choice_form.cleaned_data["date"]
        times = counter_selectors.list_staff_times(counter_type, day=day)
        form = CallerBookingForm(request.POST, counter_type=counter_type, times=times)
        if not form.is_valid():
            return self._render(choice_form, form=form, status=400)
        data = form.cleaned_data
        try:
            booking = book_for_caller(
                counter_type=counter_type,
                starts_at=data["starts_at"],
                person=PersonData(**{name: data[name] for name in PERSON_FIELDS}),
                channel=data["channel"],
                agent=request.user,
                answers=form.answers,
                language=get_language() or "fr",
            )
        except NotEligible as error:  # the procedure's rule, for the chosen day: said next to the answer
            form.add_error(error.field if error.field in form.fields else None, error.message)
            return self._render(choice_form, form=form, status=409)
        except AlreadyBooked as error:
            # The booking in the way, for the agent to open: if the identity was used by someone else, it is
            # released there (staff_release), then this person booked.
            person = PersonData(**{name: data[name] for name in PERSON_FIELDS})
            existing = selectors.get_active_booking_for_person(
                counter_type=counter_type, foreigner_key=person.keys[0], passport_key=person.keys[1]
            )
            return self._render(choice_form, form=form, refusal=error.message, existing=existing, status=409)
        except SlotFull as error:
            return self._render(choice_form, form=form, refusal=error.message, status=409)
        except ServiceBusy as error:
            return self._render(choice_form, form=form, refusal=error.message, status=503)
        messages.success(
            request,
            _("Rendez-vous enregistré. Référence à communiquer à la personne : %(reference)s.")
            % {"reference": booking.display_reference},
        )
        return redirect("staff:booking", reference=booking.reference)

    def _render(self, choice_form, *, form=None, refusal="", existing=None, status=None):
        if not choice_form.is_valid():
            return self.render_to_response(self.get_context_data(choice_form=choice_form), status=400)
        counter_type, day = choice_form.cleaned_data["counter_type"], choice_form.cleaned_data["date"]
        times = counter_selectors.list_staff_times(counter_type, day=day)
        if form is None or refusal:
            # After a refusal, a fresh form with the details kept and the times as they are now.
            kept = {name: value for name, value in form.cleaned_data.items() if name != "starts_at"} if form else None
            form = CallerBookingForm(counter_type=counter_type, times=times, initial=kept)
        context = self.get_context_data(
            choice_form=choice_form,
            form=form,
            counter_type=counter_type,
            day=day,
            times=times,
            refusal=refusal,
            existing=existing,
        )
        return self.render_to_response(context, status=status or 200)


class ExportView(StaffMixin, TemplateView):
    """CSV of the bookings of a day or a period."""

    template_name = "staff/export.html"
    permission_required = "booking.export_bookings"
    needs_site = True

    def get(self, request, *args, **kwargs):
        label = _("Télécharger le fichier CSV")
        if not request.GET:
            site = default_site(self.sites)
            today = site_today(site).isoformat()
            form = PeriodForm(
                initial={"site": site, "start": today, "end": today}, sites=self.sites, submit_label=label
            )
            return self.render_to_response(self.get_context_data(form=form))
        form = PeriodForm(request.GET, sites=self.sites, submit_label=label)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        site, start, end = form.cleaned_data["site"], form.cleaned_data["start"], form.cleaned_data["end"]
        bookings = selectors.list_bookings_for_period(start=start, end=end, site=site)
        response = StreamingHttpResponse(
            iter_bookings_csv(bookings.iterator(chunk_size=500)), content_type="text/csv; charset=utf-8"
        )
        filename = f"rendez-vous_{site.slug}_{start:%Y-%m-%d}_{end:%Y-%m-%d}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


class StatisticsView(StaffMixin, TemplateView):
    """Per day and procedure: places offered, booked, checked in, absent, cancelled, fill rate."""

    template_name = "staff/statistics.html"
    permission_required = "booking.view_statistics"
    needs_site = True

    def get(self, request, *args, **kwargs):
        data = request.GET.copy()
        site = chosen_site(data.get("site"), self.sites)
        today = site_today(site)
        if not data.get("site") and site:
            data["site"] = str(site.pk)
        # The week behind and the week ahead: what was done, and how full the coming days are.
        data.setdefault("start", (today - dt.timedelta(days=6)).isoformat())
        data.setdefault("end", (today + dt.timedelta(days=7)).isoformat())
        form = PeriodForm(data, sites=self.sites)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        site, start, end = form.cleaned_data["site"], form.cleaned_data["start"], form.cleaned_data["end"]
        statistics = get_statistics(site=site, start=start, end=end)
        context = self.get_context_data(
            form=form,
            site=site,
            statistics=statistics,
            chart=bar_chart(statistics.days) if statistics.days else None,
            export_url=reverse("staff:export") + "?" + form.data.urlencode(),
            # The information service's figures beside the appointments' (booking.questions).
            questions=get_question_figures(site=site, start=start, end=end),
            questions_csv_url=reverse("staff:questions:figures-csv") + "?" + form.data.urlencode(),
        )
        return self.render_to_response(context)
