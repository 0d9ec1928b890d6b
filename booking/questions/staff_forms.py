"""Forms of the team's pages: inbox filters, an answer, a note, an assignment, a call, an appointment offered."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from booking.staff_forms import CallerBookingForm, row_helper
from prefecture.forms import submit_helper

from .forms import QuestionField, clean_message_text
from .models import PhoneCall, Topic
from .selectors import Box

BOX_LABELS = {
    Box.UNASSIGNED: _("Non affectées"),
    Box.MINE: _("Mes questions"),
    Box.WAITING: _("En attente de la personne"),
    Box.CLOSED: _("Closes"),
}


class InboxFilterForm(forms.Form):
    site = forms.ModelChoiceField(label=_("Site"), queryset=None, required=False, empty_label=_("Tous mes sites"))
    topic = forms.ModelChoiceField(label=_("Thème"), queryset=None, required=False, empty_label=_("Tous les thèmes"))

    def __init__(self, *args, sites, topics, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites
        self.fields["topic"].queryset = topics
        for name in ("site", "topic"):
            self.fields[name].error_messages["invalid_choice"] = _("Choisissez dans la liste.")
        self.helper = row_helper(["site", "topic"], _("Filtrer"))


class MessageForm(forms.Form):
    body = QuestionField(label=_("Réponse"), error_messages={"required": _("Écrivez la réponse.")})
    # How many messages the agent read: an answer to a thread that changed since is refused.
    seen_messages = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(_("Envoyer la réponse"))

    def clean_body(self) -> str:
        return clean_message_text(self.cleaned_data["body"])


class NoteForm(forms.Form):
    body = forms.CharField(
        label=_("Note pour l'équipe"),
        help_text=_("Jamais envoyée à la personne."),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Écrivez la note.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(_("Ajouter la note"))
        self.helper.inputs[0].field_classes = "fr-btn--secondary"

    def clean_body(self) -> str:
        return clean_message_text(self.cleaned_data["body"])


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(
        label=_("Affecter à"), queryset=None, required=False, empty_label=_("Personne (non affectée)")
    )
    seen_assignee = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, agents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = agents
        self.fields["assignee"].label_from_instance = lambda user: user.get_full_name() or user.get_username()
        self.fields["assignee"].error_messages["invalid_choice"] = _("Choisissez un agent du site.")
        self.helper = submit_helper(_("Affecter"))
        self.helper.inputs[0].field_classes = "fr-btn--secondary"


def site_agents(site):
    """The accounts that may take a site's questions."""
    return (
        get_user_model()
        .objects.filter(is_active=True, staff_profile__sites=site)
        .filter(groups__permissions__codename="answer_question")
        .distinct()
        .order_by("last_name", "username")
    )


class PhoneCallForm(forms.Form):
    """Two clicks: the topic, then the button saying how the call ended (the site is the agent's own)."""

    site = forms.ModelChoiceField(label=_("Site"), queryset=None, empty_label=None)
    topic = forms.ModelChoiceField(
        label=_("Thème de l'appel"),
        queryset=Topic.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": _("Choisissez le thème de l'appel.")},
    )
    outcome = forms.ChoiceField(
        choices=PhoneCall.Outcome.choices, error_messages={"required": _("Indiquez comment l'appel s'est terminé.")}
    )
    booking_reference = forms.CharField(
        label=_("Rendez-vous pris pour la personne (facultatif)"),
        help_text=_("Sa référence, si vous en avez pris un pendant l'appel."),
        required=False,
        max_length=20,
    )

    def __init__(self, *args, sites, topics, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites
        self.fields["site"].widget.attrs["class"] = "fr-select"
        self.fields["site"].error_messages["invalid_choice"] = _("Ce site n'existe pas : choisissez dans la liste.")
        self.fields["topic"].queryset = topics
        self.fields["topic"].error_messages["invalid_choice"] = _("Choisissez un thème de la liste.")


class OfferAppointmentForm(CallerBookingForm):
    """The person's details and the time chosen at the information counter, with the answer sent with it."""

    body = QuestionField(
        label=_("Réponse envoyée avec le rendez-vous"), error_messages={"required": _("Écrivez la réponse.")}
    )
    seen_messages = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["channel"]
        self.fields["email"].required = True
        self.fields["email"].help_text = _("L'adresse de la question : la convocation y est envoyée.")
        self.helper = submit_helper(_("Réserver et envoyer la réponse"))

    def clean_body(self) -> str:
        return clean_message_text(self.cleaned_data["body"])
