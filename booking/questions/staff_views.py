"""The team's pages under /agents/questions/: the inbox, a thread (answer, template, note, assignment, closing,
an appointment offered), the phone log, and the figures' CSV.

Every page needs the staff login with its second factor and the permission to answer questions; an agent sees
their sites' questions only (another site's reference is "not found").
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from booking import selectors as booking_selectors
from booking.exceptions import AlreadyBooked, BookingError, NotEligible, ServiceBusy, SlotFull
from booking.references import normalise_reference
from booking.services import PersonData
from booking.staff_forms import CallerProcedureForm, PeriodForm
from booking.views.staff import PERSON_FIELDS
from booking.views.staff_scope import StaffMixin, chosen_site, site_today
from counters import selectors as counter_selectors
from counters.staff_sites.selectors import filter_for_staff

from . import figures, selectors
from .selectors import Box
from .services import (
    add_note,
    assign_question,
    close_question,
    fill_template,
    log_phone_call,
    offer_appointment,
    reply_to_question,
)
from .staff_forms import (
    BOX_LABELS,
    AssignForm,
    InboxFilterForm,
    MessageForm,
    NoteForm,
    OfferAppointmentForm,
    PhoneCallForm,
    site_agents,
)

PERMISSION = "questions.answer_question"


class InboxView(StaffMixin, TemplateView):
    """A box of questions (unassigned, mine, waiting for the resident, closed), oldest first, by site and topic."""

    template_name = "staff/questions/inbox.html"
    permission_required = PERMISSION
    needs_site = True

    def get(self, request, *args, **kwargs):
        box = request.GET.get("box") if request.GET.get("box") in Box.ALL else Box.UNASSIGNED
        topics = selectors.list_topics_for_staff(request.user)
        form = InboxFilterForm(request.GET or None, sites=self.sites, topics=topics)
        if form.is_bound and not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form, box=box), status=400)
        data = form.cleaned_data if form.is_bound else {}
        raw_page = request.GET.get("page", "1")
        page = int(raw_page) if raw_page.isdigit() and 0 < len(raw_page) < 6 and int(raw_page) > 0 else 1
        inbox = selectors.list_inbox(
            user=request.user, box=box, site=data.get("site"), topic=data.get("topic"), page=page
        )
        query = request.GET.copy()
        query.pop("page", None)
        boxes = []
        for name in Box.ALL:
            query["box"] = name
            boxes.append(
                {"name": name, "label": BOX_LABELS[name], "count": inbox.counts[name], "query": query.urlencode()}
            )
        query["box"] = box
        return self.render_to_response(
            self.get_context_data(form=form, box=box, boxes=boxes, inbox=inbox, query=query.urlencode())
        )


class QuestionMixin(StaffMixin):
    permission_required = PERMISSION
    needs_site = True

    def get_question(self):
        question = selectors.get_thread(user=self.request.user, reference=self.kwargs["reference"])
        if question is None:
            raise Http404(_("Aucune question de vos sites ne porte cette référence."))
        return question

    def thread_url(self, question) -> str:
        return reverse("staff:questions:thread", kwargs={"reference": question.reference})


class ThreadView(QuestionMixin, TemplateView):
    template_name = "staff/questions/thread.html"

    def get(self, request, *args, **kwargs):
        question = self.get_question()
        initial = {"seen_messages": question.message_count}
        template = self._chosen_template(question)
        if template is not None:
            initial["body"] = fill_template(template, question)
        return self.render_thread(question, answer_form=MessageForm(initial=initial))

    def _chosen_template(self, question):
        raw = self.request.GET.get("template", "")
        if not raw.isdigit() or len(raw) > 9:
            return None
        return selectors.list_reply_templates(question).filter(pk=int(raw)).first()

    def render_thread(self, question, *, answer_form=None, note_form=None, refusal: str = "", status: int = 200):
        context = self.get_context_data(
            question=question,
            thread=list(question.messages.all()),
            notes=list(question.notes.all()),
            templates=list(selectors.list_reply_templates(question)),
            answer_form=answer_form or MessageForm(initial={"seen_messages": question.message_count}),
            note_form=note_form or NoteForm(),
            assign_form=AssignForm(
                initial={"assignee": question.assigned_to_id, "seen_assignee": question.assigned_to_id},
                agents=site_agents(question.site),
            ),
            refusal=refusal,
        )
        return self.render_to_response(context, status=status)


class ThreadActionView(QuestionMixin, View):
    """The thread's forms post here: each action one service call; a refusal shows the thread again."""

    def post(self, request, reference: str, action: str):
        question = self.get_question()
        handler = {
            "repondre": self.answer,
            "note": self.note,
            "affecter": self.assign,
            "prendre": self.take,
            "clore": self.close,
        }.get(action)
        if handler is None:
            raise Http404()
        try:
            return handler(question)
        except BookingError as error:
            view = ThreadView(request=request, kwargs=self.kwargs)
            view.sites = self.sites
            form = MessageForm(request.POST) if action == "repondre" else None
            if form is not None and form.is_valid():
                # Keep the text; the agent answers the thread as it now is.
                form = MessageForm(initial={"body": form.cleaned_data["body"], "seen_messages": question.message_count})
            return view.render_thread(self.get_question(), answer_form=form, refusal=error.message, status=409)

    def _invalid(self, question, **forms):
        view = ThreadView(request=self.request, kwargs=self.kwargs)
        view.sites = self.sites
        return view.render_thread(question, status=400, **forms)

    def answer(self, question):
        form = MessageForm(self.request.POST)
        if not form.is_valid():
            return self._invalid(question, answer_form=form)
        reply_to_question(
            question_id=question.pk,
            agent=self.request.user,
            body=form.cleaned_data["body"],
            seen_messages=form.cleaned_data["seen_messages"],
        )
        messages.success(self.request, _("Réponse envoyée à la personne."))
        return redirect(self.thread_url(question))

    def note(self, question):
        form = NoteForm(self.request.POST)
        if not form.is_valid():
            return self._invalid(question, note_form=form)
        add_note(question_id=question.pk, agent=self.request.user, body=form.cleaned_data["body"])
        return redirect(self.thread_url(question) + "#notes")

    def assign(self, question):
        form = AssignForm(self.request.POST, agents=site_agents(question.site))
        if not form.is_valid():
            return self._invalid(question)
        assign_question(
            question_id=question.pk,
            assignee=form.cleaned_data["assignee"],
            by=self.request.user,
            seen_assignee_id=form.cleaned_data["seen_assignee"],
        )
        return redirect(self.thread_url(question))

    def take(self, question):
        assign_question(
            question_id=question.pk, assignee=self.request.user, by=self.request.user, seen_assignee_id=None
        )
        return redirect(self.thread_url(question))

    def close(self, question):
        close_question(question_id=question.pk, agent=self.request.user)
        messages.success(self.request, _("Question close."))
        return redirect(reverse("staff:questions:inbox"))


def information_counter_types(question):
    """Where an appointment is offered: the site's information procedure (QUESTION_COUNTER_TYPE_CODE), or
    any of its procedures when it has none by that code."""
    types = counter_selectors.list_staff_counter_types().filter(site=question.site)
    information = types.filter(code=settings.QUESTION_COUNTER_TYPE_CODE)
    return information if information.exists() else types


class OfferAppointmentView(QuestionMixin, TemplateView):
    """Answer by booking the resident an appointment: a day, then a time and their details, and the answer."""

    template_name = "staff/questions/offer.html"
    permission_required = (PERMISSION, "booking.book_for_caller")

    def get(self, request, *args, **kwargs):
        question = self.get_question()
        counter_types = information_counter_types(question)
        data = request.GET.copy()
        if not data.get("counter_type") and counter_types.exists():
            data["counter_type"] = str(counter_types.first().pk)
        if not data.get("date"):
            data["date"] = site_today(question.site).isoformat()
        return self._render(question, CallerProcedureForm(data, counter_types=counter_types))

    def post(self, request, *args, **kwargs):
        question = self.get_question()
        choice_form = CallerProcedureForm(request.POST, counter_types=information_counter_types(question))
        if not choice_form.is_valid():
            return self._render(question, choice_form)
        counter_type, day = choice_form.cleaned_data["counter_type"], choice_form.cleaned_data["date"]
        times = counter_selectors.list_staff_times(counter_type, day=day)
        form = OfferAppointmentForm(request.POST, counter_type=counter_type, times=times)
        if not form.is_valid():
            return self._render(question, choice_form, form=form, status=400)
        data = form.cleaned_data
        try:
            booking = offer_appointment(
                question_id=question.pk,
                agent=request.user,
                counter_type=counter_type,
                starts_at=data["starts_at"],
                person=PersonData(**{name: data[name] for name in PERSON_FIELDS}),
                body=data["body"],
                seen_messages=data["seen_messages"],
                answers=form.answers,
            )
        except NotEligible as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
            return self._render(question, choice_form, form=form, status=409)
        except (AlreadyBooked, SlotFull, BookingError) as error:
            status = 503 if isinstance(error, ServiceBusy) else 409
            return self._render(question, choice_form, form=form, refusal=error.message, status=status)
        messages.success(
            request,
            _("Rendez-vous %(reference)s réservé ; la convocation et la réponse partent par e-mail.")
            % {"reference": booking.display_reference},
        )
        return redirect(self.thread_url(question))

    def _render(self, question, choice_form, *, form=None, refusal="", status=200):
        context = {"question": question, "choice_form": choice_form, "refusal": refusal}
        if choice_form.is_valid():
            counter_type, day = choice_form.cleaned_data["counter_type"], choice_form.cleaned_data["date"]
            times = counter_selectors.list_staff_times(counter_type, day=day)
            if form is None or refusal:
                kept = {k: v for k, v in form.cleaned_data.items() if k != "starts_at"} if form else {}
                initial = {
                    "email": question.email,
                    "body": _(
                        "Un rendez-vous au guichet de renseignements vous a été réservé : la convocation "
                        "vous est envoyée dans un autre e-mail."
                    ),
                    **kept,
                    "seen_messages": question.message_count,
                }
                form = OfferAppointmentForm(counter_type=counter_type, times=times, initial=initial)
            context.update(form=form, counter_type=counter_type, day=day, times=times)
        elif status == 200:
            status = 400
        return self.render_to_response(self.get_context_data(**context), status=status)


class PhoneLogView(StaffMixin, TemplateView):
    """The phone service's log: a call in two clicks (its topic, then how it ended)."""

    template_name = "staff/questions/phone.html"
    permission_required = PERMISSION
    needs_site = True

    def forms_args(self):
        return {"sites": self.sites, "topics": selectors.list_topics_for_staff(self.request.user)}

    def get(self, request, *args, **kwargs):
        site = chosen_site(request.GET.get("site"), self.sites)
        form = PhoneCallForm(initial={"site": site}, **self.forms_args())
        return self._render(form, site)

    def post(self, request, *args, **kwargs):
        form = PhoneCallForm(request.POST, **self.forms_args())
        site = chosen_site(request.POST.get("site"), self.sites)
        if not form.is_valid():
            return self._render(form, site, status=400)
        data = form.cleaned_data
        booking = None
        if data["booking_reference"]:
            booking = (
                filter_for_staff(booking_selectors.list_bookings_with_details(), request.user, via="counter_type__site")
                .filter(reference=normalise_reference(data["booking_reference"]))
                .first()
            )
            if booking is None:
                form.add_error("booking_reference", _("Aucun rendez-vous de vos sites ne porte cette référence."))
                return self._render(form, site, status=400)
        try:
            log_phone_call(
                site=data["site"], topic=data["topic"], outcome=data["outcome"], agent=request.user, booking=booking
            )
        except BookingError as error:
            form.add_error(None, error.message)
            return self._render(form, site, status=409)
        messages.success(request, _("Appel enregistré."))
        return redirect(reverse("staff:questions:phone") + f"?site={data['site'].pk}")

    def _render(self, form, site, *, status=200):
        today = site_today(site)
        calls = figures.count_calls_on(site=site, day=today) if site else 0
        return self.render_to_response(self.get_context_data(form=form, site=site, calls_today=calls), status=status)


class FiguresCsvView(StaffMixin, View):
    """The information service's figures of a site and a period, as CSV (the statistics page links here)."""

    permission_required = "booking.view_statistics"
    needs_site = True

    def get(self, request, *args, **kwargs):
        form = PeriodForm(request.GET, sites=self.sites)
        if not form.is_valid():
            return HttpResponse(
                _("Période ou site invalide : revenez à la page des statistiques."),
                status=400,
                content_type="text/plain",
            )
        site, start, end = form.cleaned_data["site"], form.cleaned_data["start"], form.cleaned_data["end"]
        data = figures.get_question_figures(site=site, start=start, end=end)
        response = HttpResponse(figures.figures_csv(data), content_type="text/csv; charset=utf-8")
        filename = f"renseignements_{site.slug}_{start:%Y-%m-%d}_{end:%Y-%m-%d}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
