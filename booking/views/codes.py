"""Pages that prove an e-mail address: where the e-mailed 6-digit code is typed, sending it again, and the
page the e-mail's link opens. Shared by holds (views/verify.py), lottery registrations and waiting lists.

The code page knows what waits from the session (draft.PendingCode). When
nothing was made because the person already had one, the page behaves the
same (a code never matches, with the same count of tries), so that it tells
nobody whether a person has an appointment or asked for one. The link's page
changes nothing on GET (mail scanners open links): its button confirms.

Each subclass says what it confirms (`confirm_subject`, `confirm_token`),
where a success leads (`done`) and what an expired one shows (`expired`).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.generic import FormView, View

from prefecture.middleware import survives_session_failure
from prefecture.ratelimit import client_ip

from ..draft import PendingCode
from ..exceptions import BookingError, ServiceBusy, TooManyCodeAttempts, WrongCode
from ..hold_forms import CodeForm, ConfirmLinkForm, ResendForm
from ..limits import enforce


@method_decorator(never_cache, name="dispatch")
class PendingCodeView(FormView):
    form_class = CodeForm
    pending_class: type[PendingCode]
    no_pending_template: str
    ip_limit = "code:ip"
    subject_limit = "code:booking"
    submit_label = None
    expired_errors: tuple[type[Exception], ...] = ()

    def confirm_subject(self, subject_id: int, code: str):
        raise NotImplementedError

    def done(self, subject) -> HttpResponse:
        raise NotImplementedError

    def expired(self) -> HttpResponse:
        raise NotImplementedError

    def dispatch(self, request, *args, **kwargs):
        self.pending = self.pending_class(request.session)
        if not self.pending.exists:
            # A session lost after the subject was committed (or another browser): the e-mail's link still works.
            return render(request, self.no_pending_template)
        if self.pending.expires_at <= timezone.now():
            self.pending.clear()
            return self.expired()
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "submit_label": self.submit_label}

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
        enforce((self.ip_limit, client_ip(self.request)), (self.subject_limit, self.pending.limit_key))
        try:
            subject = self.confirm(form.cleaned_data["code"])
        except (WrongCode, TooManyCodeAttempts) as error:
            form.add_error("code", error.message)
            return self.form_invalid(form)
        except self.expired_errors:
            self.pending.clear()
            return self.expired()
        except ServiceBusy as error:
            form.add_error(None, error.message)
            return self.render_to_response(self.get_context_data(form=form), status=503)
        self.pending.clear()
        # Committed: the resident reaches the next page even if the session cannot be saved now.
        return survives_session_failure(self.done(subject))

    def confirm(self, code: str):
        subject_id = self.pending.subject_id
        try:
            if subject_id is not None:
                return self.confirm_subject(subject_id, code)
        except (WrongCode, TooManyCodeAttempts):
            self.pending.count_wrong_code()  # also here: the session looks the same with or without a subject
            raise
        # Nothing behind this page: answer as a real one would to a wrong code.
        wrong = self.pending.count_wrong_code()
        remaining = settings.HOLD_MAX_CODE_ATTEMPTS - wrong
        raise WrongCode(remaining) if remaining > 0 else TooManyCodeAttempts()


class PendingResendView(View):
    """The "send the e-mail again" button of a code page."""

    pending_class: type[PendingCode]
    ip_limit = "resend:ip"
    subject_limit = "resend:booking"
    start_url: str  # where someone without anything pending is sent
    code_url: str

    def resend(self, subject_id: int) -> None:
        raise NotImplementedError

    def post(self, request):
        pending = self.pending_class(request.session)
        if not pending.exists:
            return redirect(self.start_url)
        enforce((self.ip_limit, client_ip(request)), (self.subject_limit, pending.limit_key))
        if pending.subject_id is not None:
            self.resend(pending.subject_id)
        messages.info(
            request,
            _(
                "Si l'envoi est encore possible, l'e-mail vient de repartir vers %(email)s. Il peut mettre quelques "
                "minutes à arriver : regardez aussi dans les courriers indésirables."
            )
            % {"email": pending.email},
        )
        return redirect(self.code_url)


@method_decorator(never_cache, name="dispatch")
class PendingLinkView(FormView):
    """The e-mail's link: GET shows what is to confirm and a button; POST confirms."""

    form_class = ConfirmLinkForm
    pending_class: type[PendingCode]
    submit_label = None
    not_found_message = ""
    expired_errors: tuple[type[Exception], ...] = ()

    def get_subject(self, token: str):
        raise NotImplementedError

    def is_confirmed(self, subject) -> bool:
        """For an AddressCheck (a registration, an entry): its address proved. A hold says otherwise."""
        return subject.verified_at is not None

    def is_expired(self, subject) -> bool:
        return subject.code_expired(timezone.now())

    def confirm_token(self, token: str):
        raise NotImplementedError

    def done(self, subject) -> HttpResponse:
        raise NotImplementedError

    def expired(self) -> HttpResponse:
        raise NotImplementedError

    def dispatch(self, request, *args, **kwargs):
        self.subject = self.get_subject(kwargs["token"])
        if self.subject is None:
            raise Http404(self.not_found_message)
        if self.is_confirmed(self.subject):
            return self.done(self.subject)
        if self.is_expired(self.subject):
            return self.expired()
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "submit_label": self.submit_label}

    def form_valid(self, form):
        try:
            subject = self.confirm_token(self.kwargs["token"])
        except self.expired_errors:
            return self.expired()
        except BookingError as error:
            form.add_error(None, error.message)
            return self.render_to_response(self.get_context_data(form=form), status=503)
        self.pending_class(self.request.session).clear()
        return survives_session_failure(self.done(subject))
