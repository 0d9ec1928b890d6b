"""The lottery's pages: the opening's page (registration, then the published draw), registering, proving the
address, the person's registration and its result, joining the waiting list from it."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.generic import FormView, TemplateView, View

from booking.antibot.forms import HumanCheck
from booking.draft import PendingCode
from booking.exceptions import AddressCheckExpired, BookingError, NotEligible, RegistrationClosed, ServiceBusy
from booking.limits import enforce, enforce_request_limits, proof_level
from booking.views.codes import PendingCodeView, PendingLinkView, PendingResendView
from booking.views.requests import PlaceRequestPageMixin
from booking.waitlist.forms import DaysForm
from prefecture.middleware import survives_session_failure
from prefecture.ratelimit import client_ip

from . import draw, selectors
from .forms import FindHashForm, RegistrationForm
from .services import (
    confirm_registration,
    ensure_lottery,
    is_registration_open,
    join_waiting_list_from,
    register,
    resend_registration_code,
)


class PendingRegistration(PendingCode):
    """The registration waiting for its code, in the session of whoever registered."""

    session_key = "pending_lottery"
    limit_prefix = "registration"


class OpeningMixin:
    def dispatch(self, request, *args, **kwargs):
        self.opening = selectors.get_lottery_opening(pk=kwargs["pk"])
        if self.opening is None:
            raise Http404(_("Ce tirage au sort n'existe pas ou n'est pas encore annoncé."))
        self.lottery = ensure_lottery(self.opening)
        return super().dispatch(request, *args, **kwargs)


@method_decorator(never_cache, name="dispatch")
class OpeningView(OpeningMixin, TemplateView):
    """Before the draw: how it works, the window, the seed's commitment, the procedures to register for.
    After: the seed, the algorithm and the ordered registration hashes, and a search for one's own."""

    template_name = "booking/lottery/opening.html"

    def get_context_data(self, **kwargs):
        find = FindHashForm(self.request.GET or None)
        wanted = selectors.normalise_hash(find.data.get("empreinte", "")) if find.is_bound else ""
        found = selectors.find_in_draw(self.lottery, registration_hash=wanted)
        return super().get_context_data(
            opening=self.opening,
            lottery=self.lottery,
            zone=self.opening.site.time_zone,
            is_open=is_registration_open(self.opening, now=timezone.now()),
            rows=selectors.list_draw(self.lottery),
            algorithm=draw.ALGORITHM,
            find_form=find,
            searched=find.is_bound,
            found=found,
            **kwargs,
        )


class DrawTextView(OpeningMixin, View):
    """The published draw as plain text, for whoever re-computes it: the seed, then one line per rank."""

    def get(self, request, pk: int):
        if not self.lottery.is_drawn:
            raise Http404(_("Ce tirage n'a pas encore eu lieu."))
        lines = [
            f"# {self.opening}",
            f"# {draw.ALGORITHM}: sort by (priority, HMAC-SHA256(key=seed, message=registration hash))",
            f"seed {self.lottery.seed}",
            f"commitment {self.lottery.seed_commitment}",
            *(f"{row.rank} {row.registration_hash} {row.priority}" for row in selectors.list_draw(self.lottery)),
        ]
        return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@method_decorator(never_cache, name="dispatch")
class RegisterView(PlaceRequestPageMixin, OpeningMixin, FormView):
    template_name = "booking/lottery/register.html"
    form_class = RegistrationForm

    def get(self, request, *args, **kwargs):
        self.load_procedure()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.load_procedure()
        return super().post(request, *args, **kwargs)

    def load_procedure(self) -> None:
        self.counter_type = next(
            (ct for ct in self.opening.counter_types.all() if ct.pk == self.kwargs["type_pk"] and ct.is_active), None
        )
        if self.counter_type is None:
            raise Http404(_("Cette démarche ne fait pas partie de ce tirage au sort."))

    def human_check(self) -> HumanCheck:
        return HumanCheck("lottery", level=proof_level("lottery", client_ip(self.request)))

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "human_check": self.human_check(), "counter_type": self.counter_type}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            opening=self.opening,
            counter_type=self.counter_type,
            is_open=is_registration_open(self.opening, now=timezone.now()),
            **kwargs,
        )

    def form_valid(self, form):
        person = form.person_data()
        enforce_request_limits("lottery", ip=client_ip(self.request), person=person, proof_kind=form.proof.kind)
        try:
            result = register(
                opening=self.opening,
                counter_type=self.counter_type,
                person=person,
                answers=form.answers,
                language=get_language() or "fr",
            )
        except (NotEligible, RegistrationClosed) as error:
            return self.refuse(form, error, status=409)
        except ServiceBusy as error:
            return self.refuse(form, error, status=503)
        PendingRegistration(self.request.session).start(
            subject_id=result.registration.pk if result.registration else None,
            email=person.email,
            expires_at=result.verify_before,
            time_zone=self.opening.site.time_zone,
        )
        return survives_session_failure(redirect("lottery:verify"))


def expired_page(request):
    return render(request, "booking/lottery/expired.html", {"message": AddressCheckExpired.default_message}, status=410)


class RegistrationPagesMixin:
    pending_class = PendingRegistration
    expired_errors = (AddressCheckExpired,)
    submit_label = _("Confirmer mon inscription")

    def done(self, registration):
        return redirect("lottery:registration", token=registration.token)

    def expired(self):
        return expired_page(self.request)


class CodeView(RegistrationPagesMixin, PendingCodeView):
    template_name = "booking/lottery/code.html"
    no_pending_template = "booking/lottery/no_pending.html"

    def confirm_subject(self, subject_id: int, code: str):
        return confirm_registration(registration_id=subject_id, code=code)

    def get_context_data(self, **kwargs):
        return super().get_context_data(resend_url=reverse("lottery:verify-resend"), **kwargs)


class ResendView(PendingResendView):
    pending_class = PendingRegistration
    start_url = "home"
    code_url = "lottery:verify"

    def resend(self, subject_id: int) -> None:
        resend_registration_code(registration_id=subject_id)


class LinkView(RegistrationPagesMixin, PendingLinkView):
    template_name = "booking/lottery/link.html"
    not_found_message = _("Ce lien ne correspond à aucune inscription. Vérifiez qu'il est complet.")

    def get_subject(self, token: str):
        return selectors.get_registration_by_verification_token(token=token)

    def confirm_token(self, token: str):
        return confirm_registration(token=token)

    def get_context_data(self, **kwargs):
        return super().get_context_data(registration=self.subject, **kwargs)


class RegistrationMixin:
    def dispatch(self, request, *args, **kwargs):
        self.registration = selectors.get_registration_by_token(token=kwargs["token"])
        if self.registration is None:
            raise Http404(_("Ce lien ne correspond à aucune inscription. Vérifiez qu'il est complet."))
        return super().dispatch(request, *args, **kwargs)


@method_decorator(never_cache, name="dispatch")
class RegistrationView(RegistrationMixin, TemplateView):
    """The person's registration: "registered, the draw is on …", then its result."""

    template_name = "booking/lottery/registration.html"

    def get_context_data(self, **kwargs):
        registration = self.registration
        booking = registration.booking
        return super().get_context_data(
            registration=registration,
            opening=registration.lottery.opening,
            lottery=registration.lottery,
            booking=booking,
            confirm_url=reverse("booking:verify-link", kwargs={"token": booking.verification_token})
            if booking is not None and booking.is_held
            else "",
            **kwargs,
        )


@method_decorator(never_cache, name="dispatch")
class JoinWaitlistView(RegistrationMixin, FormView):
    """From a registration's link, someone not drawn joins the procedure's waiting list in one step."""

    template_name = "booking/lottery/join_waitlist.html"
    form_class = DaysForm

    def get_initial(self):
        return {"weekdays": [str(day) for day in range(6)]}

    def get_context_data(self, **kwargs):
        return super().get_context_data(registration=self.registration, **kwargs)

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def form_valid(self, form):
        enforce(("waitlist:ip", client_ip(self.request)), ("waitlist:registration", f"r:{self.registration.pk}"))
        try:
            result = join_waiting_list_from(registration=self.registration, days=form.days)
        except BookingError as error:
            form.add_error(None, error.message)
            return self.render_to_response(self.get_context_data(form=form), status=409)
        if result.entry is None:  # on the list already: their entry's link was e-mailed again
            return render(self.request, "booking/lottery/already_waiting.html", {"registration": self.registration})
        return redirect("waitlist:entry", token=result.entry.token)
