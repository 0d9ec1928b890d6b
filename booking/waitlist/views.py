"""The waiting list's pages: joining, proving the address, the person's entry, answering an offer."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404
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
from booking.emails.attachments import local_start
from booking.exceptions import AddressCheckExpired, BookingError, HoldExpired, NotEligible, OfferGone, ServiceBusy
from booking.limits import enforce, enforce_request_limits, proof_level
from booking.services import confirm_hold
from booking.services.holds import give_up_hold
from booking.views.codes import PendingCodeView, PendingLinkView, PendingResendView
from booking.views.requests import PlaceRequestPageMixin
from counters import selectors as counter_selectors
from prefecture.middleware import survives_session_failure
from prefecture.ratelimit import client_ip

from . import selectors
from .emails import entry_url
from .forms import JoinForm, LeaveForm
from .services import confirm_entry, join_waiting_list, leave_waiting_list, resend_entry_code


class PendingEntry(PendingCode):
    """The entry waiting for its code, in the session of whoever asked."""

    session_key = "pending_waitlist"
    limit_prefix = "entry"


def expired_page(request, *, message=AddressCheckExpired.default_message):
    return render(request, "booking/waitlist/expired.html", {"message": message}, status=410)


@method_decorator(never_cache, name="dispatch")
class JoinView(PlaceRequestPageMixin, FormView):
    template_name = "booking/waitlist/join.html"
    form_class = JoinForm

    def dispatch(self, request, *args, **kwargs):
        self.counter_type = counter_selectors.get_bookable_counter_type(pk=kwargs["pk"])
        if self.counter_type is None:
            raise Http404(_("Cette démarche n'existe pas ou ne se réserve pas en ligne."))
        self.places_available = bool(counter_selectors.list_available_days(self.counter_type))
        return super().dispatch(request, *args, **kwargs)

    def human_check(self) -> HumanCheck:
        return HumanCheck("waiting-list", level=proof_level("waiting-list", client_ip(self.request)))

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "human_check": self.human_check(), "counter_type": self.counter_type}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            counter_type=self.counter_type,
            places_available=self.places_available,
            offer_hours=max(settings.WAITLIST_OFFER_MINUTES // 60, 1),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        if self.places_available:
            return self.render_to_response(self.get_context_data(form=self.get_form()), status=409)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        person = form.person_data()
        enforce_request_limits("waitlist", ip=client_ip(self.request), person=person, proof_kind=form.proof.kind)
        try:
            result = join_waiting_list(
                counter_type=self.counter_type,
                person=person,
                answers=form.answers,
                days=form.days,
                language=get_language() or "fr",
            )
        except NotEligible as error:
            return self.refuse(form, error, status=409)
        except ServiceBusy as error:
            return self.refuse(form, error, status=503)
        PendingEntry(self.request.session).start(
            subject_id=result.entry.pk if result.entry else None,
            email=person.email,
            expires_at=result.verify_before,
            time_zone=self.counter_type.site.time_zone,
        )
        return survives_session_failure(redirect("waitlist:verify"))


class EntryPagesMixin:
    pending_class = PendingEntry
    expired_errors = (AddressCheckExpired,)
    submit_label = _("Confirmer mon inscription")

    def done(self, entry):
        return redirect("waitlist:entry", token=entry.token)

    def expired(self):
        return expired_page(self.request)


class CodeView(EntryPagesMixin, PendingCodeView):
    template_name = "booking/waitlist/code.html"
    no_pending_template = "booking/waitlist/no_pending.html"

    def confirm_subject(self, subject_id: int, code: str):
        return confirm_entry(entry_id=subject_id, code=code)

    def get_context_data(self, **kwargs):
        return super().get_context_data(resend_url=reverse("waitlist:verify-resend"), **kwargs)


class ResendView(PendingResendView):
    pending_class = PendingEntry
    start_url = "booking:procedures"
    code_url = "waitlist:verify"

    def resend(self, subject_id: int) -> None:
        resend_entry_code(entry_id=subject_id)


class LinkView(EntryPagesMixin, PendingLinkView):
    template_name = "booking/waitlist/link.html"
    not_found_message = _("Ce lien ne correspond à aucune inscription. Vérifiez qu'il est complet.")

    def get_subject(self, token: str):
        return selectors.get_entry_by_verification_token(token=token)

    def confirm_token(self, token: str):
        return confirm_entry(token=token)

    def get_context_data(self, **kwargs):
        return super().get_context_data(subject=self.subject, **kwargs)


class EntryByTokenMixin:
    def dispatch(self, request, *args, **kwargs):
        self.entry = selectors.get_entry_by_token(token=kwargs["token"])
        if self.entry is None:
            raise Http404(_("Ce lien ne correspond à aucune inscription. Vérifiez qu'il est complet."))
        return super().dispatch(request, *args, **kwargs)


@method_decorator(never_cache, name="dispatch")
class EntryView(EntryByTokenMixin, TemplateView):
    """The person's entry: where they stand, and leaving the list."""

    template_name = "booking/waitlist/entry.html"

    def get_context_data(self, **kwargs):
        offer = selectors.get_pending_offer(self.entry)
        waiting = self.entry.status in (self.entry.Status.PENDING, self.entry.Status.WAITING)
        return super().get_context_data(
            entry=self.entry,
            offer_url=reverse("waitlist:offer", kwargs={"token": offer.booking.verification_token}) if offer else "",
            leave_form=LeaveForm() if waiting or offer else None,
            **kwargs,
        )


class LeaveView(EntryByTokenMixin, View):
    def post(self, request, token: str):
        enforce(("leave:ip", client_ip(request)), ("leave:entry", f"entry:{self.entry.pk}"))
        try:
            leave_waiting_list(token=token)
        except BookingError as error:
            return render(request, "booking/waitlist/offer_gone.html", {"message": error.message}, status=503)
        return redirect("waitlist:entry", token=token)


@method_decorator(never_cache, name="dispatch")
class OfferView(View):
    """An offer's link: the place, until when, and two buttons. Opening it changes nothing."""

    template_name = "booking/waitlist/offer.html"

    def dispatch(self, request, *args, **kwargs):
        self.offer = selectors.get_offer_by_token(token=kwargs["token"])
        if self.offer is None:
            raise Http404(_("Ce lien ne correspond à aucune proposition. Vérifiez qu'il est complet."))
        booking = self.offer.booking
        if booking.confirmed_at is not None:
            return redirect("booking:confirmation", token=booking.token)
        if not booking.is_held or booking.hold_expires_at <= timezone.now():
            return self.gone()
        return super().dispatch(request, *args, **kwargs)

    def gone(self, message=OfferGone.default_message):
        context = {"message": message, "entry_url": entry_url(self.offer.entry)}
        return render(self.request, "booking/waitlist/offer_gone.html", context, status=410)

    def render_page(self, *, error: str = "", status: int = 200):
        booking = self.offer.booking
        context = {
            "booking": booking,
            "starts_at": local_start(booking),
            "deadline": self.offer.expires_at,
            "error": error,
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, token: str):
        return self.render_page()

    def post(self, request, token: str):
        enforce(("offer:ip", client_ip(request)), ("offer:booking", f"booking:{self.offer.booking_id}"))
        answer = request.POST.get("answer")
        try:
            if answer == "accept":
                booking = confirm_hold(token=token)
                return survives_session_failure(redirect("booking:confirmation", token=booking.token))
            if answer == "decline":
                give_up_hold(token=token)
                context = {"entry_url": entry_url(self.offer.entry)}
                return render(request, "booking/waitlist/offer_declined.html", context)
        except HoldExpired:
            return self.gone()
        except BookingError as error:
            return self.render_page(error=error.message, status=503)
        return self.render_page(error=_("Choisissez d'accepter ou de décliner la place."), status=400)
