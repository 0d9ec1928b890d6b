"""The staff login: a DSFR page for the password, then the second factor (or its first set-up).

Every failure, password or code, counts towards the same lockout (django-axes, per login name
and address); a locked-out attempt is answered at once, before any password is hashed.
"""

from __future__ import annotations

import segno
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView, View
from django_otp.plugins.otp_static.models import StaticDevice

from . import services
from .access import SecondFactorRequiredMixin, is_verified
from .forms import CodeForm, CodesSavedForm, EnrolmentForm, StaffLoginForm
from .pending import (
    begin_second_step,
    finish_login,
    forget_new_codes,
    keep_new_codes,
    new_codes,
    pending_user,
    safe_next,
)

# Below this many recovery codes left, the user is told to make new ones.
FEW_CODES_LEFT = 3


def lockout(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """What a locked-out attempt gets (django-axes calls it): the same page whatever the login name."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    response = render(request, "staff/auth/locked_out.html", {"minutes": minutes}, status=429)
    response["Retry-After"] = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    return response


def _second_step(user) -> str:
    return "staff_auth:verify" if services.has_second_factor(user) else "staff_auth:enrol"


@method_decorator(never_cache, name="dispatch")
class LoginView(View):
    template_name = "staff/auth/login.html"

    def get(self, request):
        if is_verified(request.user):
            return redirect(safe_next(request, request.GET.get("next")))
        user = pending_user(request)
        if user is not None:
            return redirect(_second_step(user))
        return self._render(StaffLoginForm(request))

    def post(self, request):
        form = StaffLoginForm(request, data=request.POST)
        if not form.is_valid():
            return self._render(form, status=400)
        user = form.get_user()
        if request.user.is_authenticated:
            auth.logout(request)  # someone else's session: start afresh
        next_url = safe_next(request, request.POST.get("next") or request.GET.get("next"))
        begin_second_step(request, user=user, backend=user.backend, next_url=next_url)
        return redirect(_second_step(user))

    def _render(self, form, status=200):
        context = {"form": form, "next": request_next(self.request)}
        return render(self.request, self.template_name, context, status=status)


def request_next(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next")
    return safe_next(request, candidate) if candidate else ""


class SecondStepMixin:
    """For the code and enrolment pages: only after the password, and not while locked out."""

    def dispatch(self, request, *args, **kwargs):
        self.user = pending_user(request)
        if self.user is None:
            messages.info(
                request, _("Votre session a expiré : saisissez de nouveau votre identifiant et votre mot de passe.")
            )
            return redirect("staff_auth:login")
        if not AxesProxyHandler.is_allowed(request, self._credentials()):
            return lockout(request)
        return super().dispatch(request, *args, **kwargs)

    def _credentials(self) -> dict:
        return {settings.AXES_USERNAME_FORM_FIELD: self.user.get_username()}

    def count_failure(self, error: services.SecondFactorError) -> None:
        """A wrong code counts like a wrong password; waiting out the device's throttle does not."""
        if isinstance(error, services.CodeRefused):
            user_login_failed.send(sender=__name__, credentials=self._credentials(), request=self.request)


@method_decorator(never_cache, name="dispatch")
class CodeView(SecondStepMixin, TemplateView):
    template_name = "staff/auth/code.html"

    def get(self, request, *args, **kwargs):
        if not services.has_second_factor(self.user):
            return redirect("staff_auth:enrol")
        return self.render_to_response(self.get_context_data(form=CodeForm()))

    def post(self, request, *args, **kwargs):
        form = CodeForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        try:
            device = services.verify_second_factor(user=self.user, code=form.cleaned_data["code"])
        except services.SecondFactorError as error:
            self.count_failure(error)
            form.add_error("code", error.message)
            status = 429 if isinstance(error, services.CodeThrottled) else 400
            return self.render_to_response(self.get_context_data(form=form), status=status)
        next_url = finish_login(request, user=self.user, device=device)
        if isinstance(device, StaticDevice):
            self._recovery_code_used(request)
        return redirect(next_url)

    def _recovery_code_used(self, request) -> None:
        left = services.count_recovery_codes(self.user)
        text = ngettext(
            "Vous vous êtes connecté avec un code de secours : il ne servira plus. Il vous en reste %(count)d.",
            "Vous vous êtes connecté avec un code de secours : il ne servira plus. Il vous en reste %(count)d.",
            left,
        ) % {"count": left}
        if left <= FEW_CODES_LEFT:
            text += " " + _("Générez-en de nouveaux depuis la page « Mon compte ».")
        messages.warning(request, text)


@method_decorator(never_cache, name="dispatch")
class EnrolmentView(SecondStepMixin, TemplateView):
    """First login: add the key to an authenticator app (QR code, or typed), then give its first code."""

    template_name = "staff/auth/enrol.html"

    def get(self, request, *args, **kwargs):
        if services.has_second_factor(self.user):
            return redirect("staff_auth:verify")
        return self.render_to_response(self.get_context_data(form=EnrolmentForm()))

    def post(self, request, *args, **kwargs):
        form = EnrolmentForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        try:
            device, codes = services.confirm_enrolment(user=self.user, code=form.cleaned_data["code"])
        except services.SecondFactorError as error:
            self.count_failure(error)
            form.add_error("code", error.message)
            status = 429 if isinstance(error, services.CodeThrottled) else 400
            return self.render_to_response(self.get_context_data(form=form), status=status)
        next_url = finish_login(request, user=self.user, device=device)
        keep_new_codes(request, codes, next_url=next_url)
        return redirect("staff_auth:recovery-codes")

    def get_context_data(self, **kwargs):
        device = services.get_enrolment_device(user=self.user)
        return super().get_context_data(
            qr_code=segno.make(device.config_url, micro=False).svg_data_uri(scale=5, border=4),
            secret=services.secret_for_manual_entry(device),
            username=self.user.get_username(),
            **kwargs,
        )


@method_decorator(never_cache, name="dispatch")
class RecoveryCodesView(TemplateView):
    """New recovery codes, shown once: the page stays until the user says they are saved."""

    template_name = "staff/auth/recovery_codes.html"

    def dispatch(self, request, *args, **kwargs):
        if not is_verified(request.user):
            return redirect("staff_auth:login")
        if new_codes(request) is None:
            return redirect("staff_auth:account")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=CodesSavedForm()))

    def post(self, request, *args, **kwargs):
        form = CodesSavedForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        next_url = forget_new_codes(request)
        messages.success(
            request, _("Double authentification prête. Gardez vos codes de secours hors de cet ordinateur.")
        )
        return redirect(next_url)

    def get_context_data(self, **kwargs):
        codes = [services.format_recovery_code(code) for code in new_codes(self.request)["codes"]]
        return super().get_context_data(codes=codes, **kwargs)


@method_decorator(never_cache, name="dispatch")
class AccountView(SecondFactorRequiredMixin, TemplateView):
    template_name = "staff/auth/account.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            device=services.get_app_device(self.request.user),
            codes_left=services.count_recovery_codes(self.request.user),
            **kwargs,
        )


class NewRecoveryCodesView(SecondFactorRequiredMixin, View):
    def get(self, request, *args, **kwargs):
        return HttpResponseNotAllowed(["POST"])

    def post(self, request, *args, **kwargs):
        codes = services.replace_recovery_codes(user=request.user)
        keep_new_codes(request, codes, next_url=reverse("staff_auth:account"))
        return redirect("staff_auth:recovery-codes")


class LogoutView(View):
    def get(self, request, *args, **kwargs):
        return HttpResponseNotAllowed(["POST"])

    def post(self, request, *args, **kwargs):
        auth.logout(request)
        messages.info(request, _("Vous êtes déconnecté."))
        return redirect("staff_auth:login")
