"""Forms of the staff pages: they validate input, nothing more."""

from __future__ import annotations

import datetime as dt

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Div, Layout, Submit
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from counters.models import Counter, CounterType, Site
from counters.selectors import AvailableTime, site_today

from .dates import BoundedDateField
from .eligibility import Answers
from .forms import (
    IdentityForm,
    SlotForm,
    answers_from,
    keep_eligibility_fields,
    submit_helper,
    time_choice_field,
)
from .models import ApplicationKind, Channel
from .services.desk import STAFF_CHANNELS

MAX_PERIOD_DAYS = 366


def row_helper(field_names: list[str], label) -> FormHelper:
    """Filter fields side by side on a wide screen, one under the other on a phone.

    For GET forms only: no CSRF token, which would otherwise end up in the URL.
    """
    helper = FormHelper()
    helper.form_tag = False
    helper.form_method = "get"
    helper.template_pack = "dsfr_crispy"
    helper.layout = Layout(
        Div(
            *[Div(name, css_class="fr-col-12 fr-col-md") for name in field_names],
            css_class="fr-grid-row fr-grid-row--gutters",
        )
    )
    helper.add_input(Submit("submit", label))
    return helper


DATE_ERRORS = {"invalid": _("Saisissez une date valide, par exemple 31/12/2026.")}


class AgendaFilterForm(forms.Form):
    site = forms.ModelChoiceField(label=_("Site"), queryset=Site.objects.none(), empty_label=None)
    date = BoundedDateField(label=_("Jour"), error_messages=DATE_ERRORS)
    counter_type = forms.ModelChoiceField(
        label=_("Démarche"), queryset=CounterType.objects.none(), required=False, empty_label=_("Toutes")
    )
    counter = forms.ModelChoiceField(
        label=_("Guichet"), queryset=Counter.objects.none(), required=False, empty_label=_("Tous")
    )
    search = forms.CharField(
        label=_("Rechercher"),
        help_text=_("Nom, prénoms, référence, numéro étranger ou de passeport"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
        error_messages={"max_length": _("Saisissez au plus %(limit_value)d caractères.")},
    )

    def __init__(self, *args, sites: QuerySet[Site], **kwargs):
        """`sites`: those the user works at; another site's, or its procedures and counters, are invalid choices."""
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites
        self.fields["counter_type"].queryset = CounterType.objects.filter(
            is_active=True, site__in=sites
        ).select_related("site")
        # In natural order ("Dépôt 2" before "Dépôt 10"), as the model orders them.
        self.fields["counter"].queryset = Counter.objects.filter(is_active=True, site__in=sites).select_related("site")
        for name in ("site", "counter_type", "counter"):
            self.fields[name].error_messages["invalid_choice"] = _("Ce choix n'existe pas : choisissez dans la liste.")
        self.fields["date"].error_messages["required"] = _("Indiquez un jour.")
        self.helper = row_helper(["site", "date", "counter_type", "counter", "search"], _("Afficher"))

    def clean(self):
        data = super().clean()
        site = data.get("site")
        for name in ("counter_type", "counter"):
            chosen = data.get(name)
            if site and chosen and chosen.site_id != site.pk:
                self.add_error(name, _("Ce choix ne correspond pas au site choisi."))
        return data


class CheckInForm(forms.Form):
    reference = forms.CharField(
        label=_("Référence du rendez-vous"),
        help_text=_("Saisissez-la (par exemple ABCD-EFGH) ou scannez le QR code de la convocation."),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autofocus": True, "autocapitalize": "characters"}),
        error_messages={"required": _("Saisissez ou scannez la référence.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(_("Enregistrer l'arrivée"))


class PeriodForm(forms.Form):
    site = forms.ModelChoiceField(label=_("Site"), queryset=Site.objects.none(), empty_label=None)
    start = BoundedDateField(label=_("Du"), error_messages=DATE_ERRORS)
    end = BoundedDateField(label=_("Au"), error_messages=DATE_ERRORS)

    def __init__(self, *args, sites: QuerySet[Site], submit_label=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites
        self.fields["site"].error_messages["invalid_choice"] = _("Ce site n'existe pas : choisissez dans la liste.")
        for name in ("start", "end"):
            self.fields[name].error_messages["required"] = _("Indiquez une date.")
        self.helper = row_helper(["site", "start", "end"], submit_label or _("Afficher"))

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                self.add_error("end", _("La date de fin doit suivre la date de début."))
            elif (end - start).days >= MAX_PERIOD_DAYS:
                self.add_error("end", _("Choisissez une période d'un an au plus."))
        return data


class CallerProcedureForm(forms.Form):
    """First step of a booking for a caller: which procedure, which day."""

    counter_type = forms.ModelChoiceField(
        label=_("Démarche"), queryset=CounterType.objects.none(), empty_label=_("Choisissez une démarche")
    )
    date = BoundedDateField(label=_("Jour"), error_messages=DATE_ERRORS)

    def __init__(self, *args, counter_types, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["counter_type"].queryset = counter_types
        self.fields["counter_type"].label_from_instance = lambda t: f"{t.site.name} — {t.name}"
        self.fields["counter_type"].error_messages.update(
            required=_("Choisissez une démarche."),
            invalid_choice=_("Cette démarche n'existe pas : choisissez dans la liste."),
        )
        self.fields["date"].error_messages["required"] = _("Indiquez un jour.")
        self.helper = row_helper(["counter_type", "date"], _("Voir les horaires"))

    def clean(self):
        data = super().clean()
        counter_type, day = data.get("counter_type"), data.get("date")
        if counter_type and day and day < site_today(counter_type.site):  # the site's today, not Paris's
            self.add_error("date", _("Ce jour est passé : choisissez aujourd'hui ou un jour à venir."))
        return data


class CallerBookingForm(IdentityForm):
    """The person's details, taken down by the agent, and the time chosen with them."""

    starts_at = time_choice_field()
    channel = forms.ChoiceField(
        label=_("La personne est"),
        widget=forms.RadioSelect,
        choices=[(Channel.PHONE.value, _("au téléphone")), (Channel.DESK.value, _("à l'accueil"))],
        initial=Channel.PHONE.value,
        error_messages={"required": _("Indiquez si la personne est au téléphone ou à l'accueil.")},
    )
    application_kind = forms.ChoiceField(
        label=_("Sa demande"),
        widget=forms.RadioSelect,
        choices=ApplicationKind.choices,
        required=False,
        error_messages={"invalid_choice": _("Choisissez une des réponses proposées.")},
    )
    permit_expires_on = BoundedDateField(
        label=_("Date d'expiration de son titre de séjour (ou du récépissé à renouveler)"),
        required=False,
        error_messages=DATE_ERRORS,
    )
    card_ready = forms.BooleanField(
        label=_("La personne a reçu l'avis de mise à disposition de son titre"), required=False
    )

    field_order = ["starts_at", "channel", "application_kind", "permit_expires_on", "card_ready"]

    def __init__(self, *args, counter_type: CounterType, times: list[AvailableTime], **kwargs):
        super().__init__(*args, **kwargs)
        self.counter_type = counter_type
        del self.fields["email_confirmation"]
        self.fields["email"].required = False
        self.fields["email"].help_text = _("Facultatif : la convocation y est envoyée. Sinon, dictez la référence.")
        self.fields["starts_at"].choices = [(t.key, SlotForm.label_for(t)) for t in times]
        # The questions of the procedure's rule; the booking service applies the rule to the chosen day.
        keep_eligibility_fields(self, counter_type)
        self.order_fields(self.field_order)
        self.helper = submit_helper(_("Enregistrer le rendez-vous"))

    @property
    def answers(self) -> Answers:
        return answers_from(self.cleaned_data)

    def clean_starts_at(self) -> dt.datetime:
        return dt.datetime.fromisoformat(self.cleaned_data["starts_at"])

    def clean_channel(self) -> str:
        channel = self.cleaned_data["channel"]
        if channel not in STAFF_CHANNELS:
            raise forms.ValidationError(_("Indiquez si la personne est au téléphone ou à l'accueil."))
        return channel


class OutcomeForm(forms.Form):
    handed_over = forms.BooleanField(required=False)


class ReleaseUsurpedForm(forms.Form):
    """Releasing a booking taken under someone else's identity: the agent says why, having seen the papers."""

    reason = forms.CharField(
        label=_("Motif"),
        help_text=_(
            "Par exemple : identité usurpée, titre de séjour de la personne vérifié à l'accueil. 100 caractères."
        ),
        max_length=100,
        error_messages={"required": _("Indiquez le motif : il est conservé dans l'historique du rendez-vous.")},
    )
    papers_checked = forms.BooleanField(
        label=_("J'ai vérifié les papiers d'identité de la personne concernée."),
        error_messages={"required": _("Vérifiez d'abord les papiers de la personne, puis cochez cette case.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(_("Libérer ce rendez-vous"))
