"""The residents' pages: asking a question (written, previewed with the FAQ entries that may answer it, then
sent), proving the address, the thread with its one reply and the opinion on the answer. No account."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.generic import FormView, TemplateView, View

from booking.antibot.forms import HumanCheck
from booking.antibot.views import CheckedFormPostMixin
from booking.draft import PendingCode
from booking.exceptions import AddressCheckExpired, BookingError, ReplyNotAllowed
from booking.limits import email_key, enforce, proof_level
from booking.views.codes import PendingCodeView, PendingLinkView, PendingResendView
from prefecture.middleware import survives_session_failure
from prefecture.ratelimit import client_ip

from . import selectors
from .forms import AskForm, HelpfulForm, ReplyForm, SendForm
from .services import ask_question, confirm_question, rate_answer, reply_as_resident, resend_question_code


class PendingQuestion(PendingCode):
    """The question waiting for its code, in the session of whoever asked."""

    session_key = "pending_question"
    limit_prefix = "question"


def human_check(request) -> HumanCheck:
    return HumanCheck("question", level=proof_level("question", client_ip(request)))


@method_decorator(never_cache, name="dispatch")
class AskView(CheckedFormPostMixin, FormView):
    """GET: the form. POST: the preview (the FAQ entries that may answer, and the button that sends)."""

    template_name = "booking/questions/ask.html"
    form_class = AskForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(answer_days=settings.QUESTION_ANSWER_DAYS, **kwargs)

    def post(self, request, *args, **kwargs):
        form = AskForm(request.POST)
        if request.POST.get("edit"):  # back from the preview: the form, as typed
            return self.render_to_response(self.get_context_data(form=AskForm(initial=request.POST.dict())))
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        return self.preview(form.cleaned_data)

    def preview(self, data: dict, *, send_form=None, refusal: str = "", status: int = 200):
        suggestions = selectors.suggest_faq_entries(site=data["site"], topic=data["topic"], text=data["body"])
        send_form = send_form or SendForm(
            initial={**data, "site": data["site"].pk, "topic": data["topic"].pk}, human_check=human_check(self.request)
        )
        context = {"data": data, "suggestions": suggestions, "send_form": send_form, "refusal": refusal}
        return render(self.request, "booking/questions/preview.html", context, status=status)


@method_decorator(never_cache, name="dispatch")
class SendView(CheckedFormPostMixin, View):
    """The preview's button: the question is recorded and its code e-mailed."""

    def post(self, request, *args, **kwargs):
        form = SendForm(request.POST, human_check=human_check(request))
        if not form.is_valid():
            ask = AskForm(request.POST)
            if not ask.is_valid():  # edited by hand: back to the form, with what was typed
                return render(request, "booking/questions/ask.html", {"form": ask}, status=400)
            fresh = SendForm(initial=request.POST.dict(), human_check=human_check(request))
            refusal = " ".join(str(error) for error in form.non_field_errors())
            return AskView(request=request).preview(ask.cleaned_data, send_form=fresh, refusal=refusal, status=400)
        data = form.cleaned_data
        ip = client_ip(request)
        enforce(
            ("question:ip", ip),
            ("question:slow-ip", ip if form.proof.kind == "ticket" else None),
            ("question:email", email_key(data["email"])),
        )
        try:
            question = ask_question(
                site=data["site"],
                topic=data["topic"],
                body=data["body"],
                email=data["email"],
                file_number=data["file_number"],
                language=get_language() or "fr",
            )
        except BookingError as error:
            return AskView(request=request).preview(data, refusal=error.message, status=409)
        PendingQuestion(request.session).start(
            subject_id=question.pk,
            email=question.email,
            expires_at=question.verify_before,
            time_zone=question.site.time_zone,
        )
        return survives_session_failure(redirect("questions:verify"))


def expired_page(request):
    return render(
        request, "booking/questions/expired.html", {"message": AddressCheckExpired.default_message}, status=410
    )


class QuestionPagesMixin:
    pending_class = PendingQuestion
    expired_errors = (AddressCheckExpired,)
    submit_label = _("Envoyer ma question")

    def done(self, question):
        return redirect("questions:thread", token=question.token)

    def expired(self):
        return expired_page(self.request)


class CodeView(QuestionPagesMixin, PendingCodeView):
    template_name = "booking/questions/code.html"
    no_pending_template = "booking/questions/no_pending.html"

    def confirm_subject(self, subject_id: int, code: str):
        return confirm_question(question_id=subject_id, code=code)

    def get_context_data(self, **kwargs):
        return super().get_context_data(resend_url=reverse("questions:verify-resend"), **kwargs)


class ResendView(PendingResendView):
    pending_class = PendingQuestion
    start_url = "questions:ask"
    code_url = "questions:verify"

    def resend(self, subject_id: int) -> None:
        resend_question_code(question_id=subject_id)


class LinkView(QuestionPagesMixin, PendingLinkView):
    template_name = "booking/questions/link.html"
    not_found_message = _("Ce lien ne correspond à aucune question. Vérifiez qu'il est complet.")

    def get_subject(self, token: str):
        return selectors.get_pending_by_verification_token(token=token)

    def confirm_token(self, token: str):
        return confirm_question(token=token)

    def get_context_data(self, **kwargs):
        return super().get_context_data(question=self.subject, **kwargs)


class ThreadMixin:
    def dispatch(self, request, *args, **kwargs):
        self.question = selectors.get_question_by_token(token=kwargs["token"])
        if self.question is None:
            raise Http404(_("Ce lien ne correspond à aucune question. Vérifiez qu'il est complet."))
        return super().dispatch(request, *args, **kwargs)

    def render_thread(self, *, reply_form=None, refusal: str = "", status: int = 200):
        question = self.question
        context = {
            "question": question,
            "thread": list(question.messages.all()),
            "reply_form": (reply_form or ReplyForm()) if question.may_reply else None,
            "may_rate": question.first_answered_at is not None and question.anonymised_at is None,
            "refusal": refusal,
            "answer_days": settings.QUESTION_ANSWER_DAYS,
        }
        return render(self.request, "booking/questions/thread.html", context, status=status)


@method_decorator(never_cache, name="dispatch")
class ThreadView(ThreadMixin, TemplateView):
    """The resident's question and its answers, from the e-mails' link. Opening it changes nothing."""

    def get(self, request, *args, **kwargs):
        return self.render_thread()


class ReplyView(ThreadMixin, View):
    def post(self, request, token: str):
        enforce(("question-reply:ip", client_ip(request)), ("question-reply:question", f"q:{self.question.pk}"))
        form = ReplyForm(request.POST)
        if not form.is_valid():
            return self.render_thread(reply_form=form, status=400)
        try:
            reply_as_resident(token=token, body=form.cleaned_data["body"])
        except ReplyNotAllowed as error:
            self.question = selectors.get_question_by_token(token=token)
            return self.render_thread(refusal=error.message, status=409)
        return redirect(reverse("questions:thread", kwargs={"token": token}) + "#thread")


class HelpfulView(ThreadMixin, View):
    def post(self, request, token: str):
        enforce(("question-reply:ip", client_ip(request)), ("question-reply:question", f"q:{self.question.pk}"))
        form = HelpfulForm(request.POST)
        if not form.is_valid():
            return self.render_thread(refusal=_("Dites si la réponse vous a aidé."), status=400)
        try:
            rate_answer(token=token, helpful=form.cleaned_data["helpful"])
        except ReplyNotAllowed as error:
            return self.render_thread(refusal=error.message, status=409)
        return redirect(reverse("questions:thread", kwargs={"token": token}) + "#opinion")
