"""What the information service's e-mails say (rendered by booking.emails.messages from templates/emails/)."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from booking.address_check import code_for
from booking.emails.attachments import booking_language
from booking.emails.messages import Letter
from booking.models import OutboundEmail

from .models import Question

Kind = OutboundEmail.Kind

SUBJECTS = {
    Kind.QUESTION_CODE: _("Code de confirmation de votre question : %(code)s"),
    Kind.QUESTION_RECEIVED: _("Votre question est bien reçue — %(reference)s"),
    Kind.QUESTION_ANSWER: _("Réponse à votre question — %(reference)s"),
}


def thread_url(question: Question) -> str:
    return settings.SITE_URL + reverse("questions:thread", kwargs={"token": question.token})


def question_letter(email: OutboundEmail) -> Letter:
    question = Question.objects.select_related("site", "topic").get(pk=email.question_id)
    site = question.site
    context = {
        "question": question,
        "site": site,
        "email": email,
        "thread_url": thread_url(question),
        "answer_days": settings.QUESTION_ANSWER_DAYS,
        "SITE_URL": settings.SITE_URL,
    }
    code = ""
    if email.kind == Kind.QUESTION_CODE:
        code = code_for(question.verification_token)
        context.update(
            code=code,
            verify_url=settings.SITE_URL
            + reverse("questions:verify-link", kwargs={"token": question.verification_token}),
            verify_before=question.verify_before.astimezone(site.zone),
        )
    elif email.kind == Kind.QUESTION_ANSWER:
        # The answer this e-mail carries (its number), and whether the resident may still reply to it.
        context["message"] = question.messages.get(number=email.sequence)
    return Letter(
        to=question.email,
        language=booking_language(question),  # the same rule as a booking's: reads `language`
        zone=site.zone,
        subject=SUBJECTS[email.kind],
        context=context,
        subject_values={"code": code, "reference": question.reference},
    )
