"""Public pages of certificates: asking for one, verifying one, downloading its PDF.

Thin: the form validates, `issue_certificate` establishes the fact and writes,
`verify_certificate` reads. Verification is a GET (a link, a QR code, a
bookmark); an unknown or altered certificate gets the same "not genuine"
answer with a 404, and a malformed code a 400.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.generic import FormView, TemplateView, View

from booking.antibot.forms import HumanCheck
from booking.antibot.views import CheckedFormPostMixin
from booking.limits import enforce
from counters import selectors as counter_selectors
from prefecture.ratelimit import client_ip

from .exceptions import PlacesAvailable
from .forms import CertificateRequestForm, VerifyForm
from .pdf import build_certificate_pdf, certificate_rows, certified_statement, pdf_filename, verification_url
from .selectors import verify_certificate
from .services import check_no_place, issue_certificate, searched_period


class RequestCertificateView(CheckedFormPostMixin, FormView):
    """Offered where a resident finds no place: the slot step, the eligibility step."""

    template_name = "attestations/request.html"
    form_class = CertificateRequestForm

    def dispatch(self, request, *args, **kwargs):
        self.counter_type = counter_selectors.get_bookable_counter_type(pk=kwargs["pk"])
        if self.counter_type is None:
            raise Http404(_("Cette démarche n'existe pas ou ne se réserve pas en ligne."))
        self.now = timezone.now()
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        start, end = searched_period(self.counter_type, now=self.now)
        try:
            check_no_place(counter_type=self.counter_type, now=self.now)
            places_available = False
        except PlacesAvailable:
            places_available = True
        return super().get_context_data(
            counter_type=self.counter_type,
            period_start=start,
            period_end=end,
            places_available=places_available,
            **kwargs,
        )

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "human_check": HumanCheck("certificate")}

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def form_valid(self, form):
        enforce(("certificate:ip", client_ip(self.request)))
        names = {name: form.cleaned_data[name] for name in ("last_name", "first_names")}
        try:
            certificate = issue_certificate(counter_type=self.counter_type, now=self.now, **names)
        except PlacesAvailable as refusal:
            context = self.get_context_data(form=form, refusal=refusal.message)
            return self.render_to_response(context, status=409)
        messages.success(self.request, _("Votre attestation est prête : téléchargez-la et gardez son code."))
        return redirect("attestations:verify-code", code=certificate.display_code)


@method_decorator(never_cache, name="dispatch")
class VerifyView(TemplateView):
    """The code typed in the form (`?code=`), or in the link the QR code holds."""

    template_name = "attestations/verify.html"

    def get(self, request, *args, **kwargs):
        raw = kwargs.get("code") or request.GET.get("code")
        form = VerifyForm({"code": raw} if raw is not None else None)
        if raw is None:
            return self.render_to_response(self.get_context_data(form=form))
        if not form.is_valid():
            # A link with a mangled code is a page that does not exist; a mistyped code is a form error.
            status = 404 if "code" in kwargs else 400
            return self.render_to_response(self.get_context_data(form=form), status=status)
        verification = verify_certificate(code=form.cleaned_data["code"])
        context = self.get_context_data(form=VerifyForm(), verification=verification)
        if verification.is_genuine:
            certificate = verification.certificate
            context.update(
                certificate=certificate,
                statement=certified_statement(certificate),
                rows=certificate_rows(certificate),
                url=verification_url(certificate),
            )
        return self.render_to_response(context, status=200 if verification.is_genuine else 404)


@method_decorator(never_cache, name="dispatch")
class CertificatePdfView(View):
    def get(self, request, code: str):
        verification = verify_certificate(code=code)
        if not verification.is_genuine:
            raise Http404(_("Aucune attestation authentique ne correspond à ce code."))
        certificate = verification.certificate
        response = HttpResponse(build_certificate_pdf(certificate), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{pdf_filename(certificate)}"'
        return response
