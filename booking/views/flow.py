"""The public booking flow: procedure, eligibility, slot, identity, review (holds the place), confirmation.

The review step holds the place after an anti-robot check and within the
rate limits (booking.limits); the resident then confirms from the e-mail
(views/verify.py).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.generic import FormView, TemplateView

from counters import selectors as counter_selectors
from prefecture.middleware import survives_session_failure
from prefecture.ratelimit import client_ip

from .. import selectors
from ..antibot.forms import HumanCheck
from ..antibot.views import CheckedFormPostMixin
from ..dates import parse_day
from ..draft import BookingDraft, PendingHold
from ..eligibility import Answers, DayRange, bookable_days
from ..emails.attachments import local_start
from ..exceptions import NotEligible, ServiceBusy, SlotFull, TooManyCancellations
from ..forms import ConfirmForm, EligibilityForm, IdentityForm, SlotForm
from ..limits import enforce_request_limits, hold_level
from ..models import Booking
from ..services import PersonData, hold_appointment

STEPS = [
    gettext_lazy("Démarche"),
    gettext_lazy("Conditions"),
    gettext_lazy("Date et horaire"),
    gettext_lazy("Vos coordonnées"),
    gettext_lazy("Vérification"),
]


def stepper(current: int) -> dict:
    return {
        "current_step_id": current,
        "current_step_title": STEPS[current - 1],
        "next_step_title": STEPS[current] if current < len(STEPS) else "",
        "total_steps": len(STEPS),
        "heading_tag": "h1",
    }


class ProcedureListView(TemplateView):
    template_name = "booking/procedure_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(stepper=stepper(1), sites=counter_selectors.list_sites(), **kwargs)


class StartView(TemplateView):
    """Following a procedure's link starts (or restarts) a booking for it.

    When no place is left, for the procedure nor for the urgent one its questions may lead to, this first
    page says so at once, with the waiting list and the certificate, in one request that writes nothing:
    in a rush, those who come after the last place learn it here, not four steps further. Whoever wants to
    answer the questions all the same follows its link (`?questions=1`), which starts the booking.
    """

    template_name = "booking/no_place.html"

    def get(self, request, pk: int):
        counter_type = counter_selectors.get_bookable_counter_type(pk=pk)
        if counter_type is None:
            raise Http404(_("Cette démarche n'existe pas ou ne se réserve pas en ligne."))
        asks_questions = not EligibilityForm(counter_type=counter_type).asks_nothing
        if not request.GET.get("questions") and not _has_place(counter_type):
            return self.render_to_response(
                self.get_context_data(stepper=stepper(1), counter_type=counter_type, asks_questions=asks_questions)
            )
        draft = BookingDraft(request.session)
        draft.start(counter_type.pk)
        if not asks_questions:  # straight to the times, as the questions' step would send them (one request less)
            draft.set_counter_type(counter_type.pk, answers=Answers())
            return redirect("booking:slot")
        return redirect("booking:eligibility")


def _has_place(counter_type) -> bool:
    """A place left for the procedure, or for the urgent counter its questions send expired permits to."""
    if counter_selectors.has_available_place(counter_type):
        return True
    urgent = counter_type.urgent_counter_type
    return urgent is not None and urgent.is_active and counter_selectors.has_available_place(urgent)


class DraftStepMixin:
    """Loads the booking in progress; sends the visitor back to the start when a step is missing."""

    step: int
    requires: tuple[str, ...] = ()
    invalid_status = 400

    def dispatch(self, request, *args, **kwargs):
        self.draft = BookingDraft(request.session)
        type_id = self.draft.counter_type_id if "counter_type_id" in self.requires else self.draft.requested_type_id
        self.counter_type = counter_selectors.get_bookable_counter_type(pk=type_id) if type_id else None
        missing = self.counter_type is None or any(getattr(self.draft, name) is None for name in self.requires)
        if missing:
            messages.info(request, _("Choisissez d'abord votre démarche : votre demande a été reprise au début."))
            return redirect("booking:procedures")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            stepper=stepper(self.step), counter_type=self.counter_type, draft=self.draft, **kwargs
        )

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=self.invalid_status)


class EligibilityView(DraftStepMixin, FormView):
    step = 2
    template_name = "booking/eligibility.html"
    form_class = EligibilityForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "counter_type": self.counter_type}

    def get_context_data(self, **kwargs):
        # Said before the questions, with the certificate that proves it (attestations).
        no_place = not counter_selectors.list_available_days(self.counter_type)
        return super().get_context_data(no_place=no_place, **kwargs)

    def get(self, request, *args, **kwargs):
        form = self.get_form()
        if form.asks_nothing:
            self.draft.set_counter_type(self.counter_type.pk, answers=Answers())
            return redirect("booking:slot")
        return self.render_to_response(self.get_context_data(form=form))

    def form_valid(self, form):
        outcome = form.outcome
        self.draft.set_counter_type(outcome.counter_type.pk, answers=form.answers, notice=outcome.message)
        if outcome.message:
            messages.warning(self.request, outcome.message)
        return redirect("booking:slot")


class SlotView(DraftStepMixin, FormView):
    step = 3
    requires = ("counter_type_id",)
    template_name = "booking/slot.html"
    form_class = SlotForm

    def dispatch(self, request, *args, **kwargs):
        self.day_error = ""
        return super().dispatch(request, *args, **kwargs)

    def chosen_day(self, days) -> dt.date | None:
        raw = self.request.POST.get("jour") or self.request.GET.get("jour")
        if not raw:
            return days[0].day if days else None
        day = parse_day(raw)
        if day is None or not self.first_day <= day <= self.last_day:
            self.day_error = _("La date demandée n'est pas valide : choisissez un jour dans la liste.")
            return None
        return day

    def get_form_kwargs(self):
        self.first_day, self.last_day = counter_selectors.booking_days(self.counter_type)
        # A renewal is offered only the days before the permit expires: those the service will accept.
        self.day_range = bookable_days(self.counter_type, answers=self.draft.answers)
        if self.day_range:
            self.first_day = max(self.first_day, self.day_range.first)
            self.last_day = min(self.last_day, self.day_range.last)
        self.days = counter_selectors.list_available_days(self.counter_type, within=(self.first_day, self.last_day))
        self.day = self.chosen_day(self.days)
        self.times = counter_selectors.list_available_times(self.counter_type, day=self.day) if self.day else []
        return {**super().get_form_kwargs(), "times": self.times}

    def get(self, request, *args, **kwargs):
        form = self.get_form()
        status = 400 if self.day_error else 200
        return self.render_to_response(self.get_context_data(form=form), status=status)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            days=self.days,
            day=self.day,
            times=self.times,
            day_error=self.day_error,
            day_range=DayRange(self.first_day, self.last_day) if self.day_range else None,
            # Said on the eligibility step, which a procedure without questions skips.
            about_procedure=EligibilityForm(counter_type=self.counter_type).asks_nothing,
            **kwargs,
        )

    def form_valid(self, form):
        self.draft.starts_at = form.cleaned_data["starts_at"]
        return redirect("booking:review" if self.draft.person else "booking:identity")


class IdentityView(DraftStepMixin, FormView):
    step = 4
    requires = ("counter_type_id", "starts_at")
    template_name = "booking/identity.html"
    form_class = IdentityForm

    def get_initial(self):
        return self.draft.person_initial()

    def form_valid(self, form):
        self.draft.person = form.cleaned_data
        return redirect("booking:review")


class ReviewView(CheckedFormPostMixin, DraftStepMixin, FormView):
    """The last step: holds the place and sends the code, or, if the person already has a booking, e-mails
    its holder instead. Both end on the same "enter the code" page: nothing tells which happened."""

    step = 5
    requires = ("counter_type_id", "starts_at", "person")
    template_name = "booking/review.html"
    form_class = ConfirmForm

    def human_check(self) -> HumanCheck:
        return HumanCheck("hold", level=hold_level(client_ip(self.request)))

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "human_check": self.human_check()}

    def get_context_data(self, **kwargs):
        person = self.draft.person
        return super().get_context_data(
            person=person,
            birth_date=dt.date.fromisoformat(person["birth_date"]),
            starts_at=self.draft.starts_at.astimezone(self.counter_type.site.zone),
            hold_minutes=settings.HOLD_MINUTES,
            **kwargs,
        )

    def back_to_slots(self, message: str) -> HttpResponseRedirect:
        messages.error(self.request, message)
        self.draft.starts_at = None
        return redirect("booking:slot")

    def form_valid(self, form):
        starts_at = self.draft.starts_at
        if not counter_selectors.is_time_bookable(self.counter_type, starts_at=starts_at):
            return self.back_to_slots(SlotFull.default_message)
        person = PersonData(**_person_fields(self.draft.person))
        enforce_request_limits("hold", ip=client_ip(self.request), person=person, proof_kind=form.proof.kind)
        try:
            result = hold_appointment(
                counter_type=self.counter_type,
                starts_at=starts_at,
                person=person,
                language=get_language() or "fr",
                answers=self.draft.answers,
            )
        except SlotFull as error:
            return self.back_to_slots(error.message)
        except (NotEligible, TooManyCancellations) as error:
            # A day that no longer suits the answers (a renewal after expiry), or too many cancellations.
            return self.refuse(error.message, status=409)
        except ServiceBusy as error:
            return self.refuse(error.message, status=503)
        self.draft.clear()
        PendingHold(self.request.session).start(
            subject_id=result.booking.pk if result.booking else None,
            email=person.email,
            expires_at=result.expires_at,
            time_zone=self.counter_type.site.time_zone,
        )
        # The hold is committed: the resident reaches the code page even if the session cannot be saved now.
        return survives_session_failure(redirect("booking:verify"))

    def refuse(self, message: str, *, status: int):
        # The proof was used: a new form, with a new one to make, and the box still ticked.
        form = self.get_form_class()(human_check=self.human_check(), initial={"certify": True})
        return self.render_to_response(self.get_context_data(form=form, refusal=message), status=status)


def _person_fields(person: dict) -> dict:
    return {
        "last_name": person["last_name"],
        "first_names": person["first_names"],
        "birth_date": dt.date.fromisoformat(person["birth_date"]),
        "nationality": person["nationality"],
        "email": person["email"],
        "foreigner_number": person.get("foreigner_number", ""),
        "passport_number": person.get("passport_number", ""),
        "phone": person.get("phone", ""),
    }


class BookingByTokenMixin:
    def get_context_data(self, **kwargs):
        booking = selectors.get_booking_by_token(token=self.kwargs["token"])
        if booking is None:
            raise Http404(_("Ce lien ne correspond à aucun rendez-vous. Vérifiez qu'il est complet."))
        return super().get_context_data(booking=booking, starts_at=local_start(booking), **kwargs)


@method_decorator(never_cache, name="dispatch")
class ConfirmationView(BookingByTokenMixin, TemplateView):
    """Where the last step leads: the booking as it is now (cancelled since, say), never cached."""

    template_name = "booking/confirmation.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        booking = context["booking"]
        context.update(
            manage_url=reverse("booking:manage", kwargs={"token": booking.token}),
            is_confirmed=booking.status == Booking.Status.CONFIRMED,
            is_cancelled=booking.status == Booking.Status.CANCELLED,
        )
        return context
