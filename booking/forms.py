"""Forms of the public booking flow: they validate input, nothing more."""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_countries import countries

from counters.models import CounterType
from counters.selectors import AvailableTime
from prefecture.forms import LongSelect, submit_helper

from .antibot.forms import HumanCheckForm
from .dates import BoundedDateField, DateParts
from .eligibility import Answers, assess_eligibility
from .exceptions import NotEligible
from .identity import (
    FOREIGNER_NUMBER_RE,
    clean_visible_text,
    normalise_foreigner_number,
    normalise_passport_number,
)
from .models import ApplicationKind

PASSPORT_RE = re.compile(r"^[0-9A-Z]{6,20}$")
PHONE_RE = re.compile(r"^\+?[0-9 .\-()]{6,25}$")


class EligibilityForm(forms.Form):
    """The questions of the procedure's eligibility rule; the rule itself decides (booking.eligibility)."""

    application_kind = forms.ChoiceField(
        label=_("Votre demande"),
        widget=forms.RadioSelect,
        choices=ApplicationKind.choices,
        required=False,
        error_messages={"invalid_choice": _("Choisissez une des réponses proposées.")},
    )
    permit_expires_on = BoundedDateField(
        label=_("Date d'expiration de votre titre de séjour"),
        help_text=_("Telle qu'elle figure sur votre titre."),
        required=False,
        error_messages={"invalid": _("Saisissez une date valide, par exemple 31/12/2026.")},
    )
    card_ready = forms.BooleanField(
        label=_("J'ai reçu l'avis (SMS ou e-mail) m'informant que mon titre est disponible"),
        required=False,
    )

    def __init__(self, *args, counter_type: CounterType, now: dt.datetime | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.counter_type = counter_type
        self.now = now
        self.outcome = None
        keep_eligibility_fields(self, counter_type)
        word_renewal_expiry(self, counter_type)
        self.helper = submit_helper(_("Continuer"))

    @property
    def asks_nothing(self) -> bool:
        return not self.fields

    @property
    def answers(self) -> Answers:
        return answers_from(self.cleaned_data)

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            self.outcome = assess_eligibility(counter_type=self.counter_type, answers=self.answers, now=self.now)
        except NotEligible as refusal:
            self.add_error(refusal.field if refusal.field in self.fields else None, refusal.message)
        return data


def keep_eligibility_fields(form: forms.Form, counter_type: CounterType) -> None:
    """Keep the questions the procedure's rule asks (of residents and of agents), drop the others."""
    rule = counter_type.eligibility
    Rule = CounterType.Eligibility
    if rule != Rule.RENEWAL:
        del form.fields["application_kind"]
    if rule not in (Rule.RENEWAL, Rule.EXPIRED_PERMIT):
        del form.fields["permit_expires_on"]
    else:
        form.fields["permit_expires_on"].hide_optional_mark = True  # the rule says when it is needed
    if rule != Rule.CARD_READY:
        del form.fields["card_ready"]


def word_renewal_expiry(form: forms.Form, counter_type: CounterType) -> None:
    """A residents' form of a renewal procedure asks the expiry date only of those who renew."""
    if counter_type.eligibility == CounterType.Eligibility.RENEWAL:
        expiry = form.fields["permit_expires_on"]
        expiry.label = _("Pour un renouvellement : date d'expiration du titre ou du récépissé")
        expiry.help_text = _(
            "Telle qu'elle figure sur le document à renouveler. Rien à indiquer pour une première demande."
        )


def answers_from(cleaned_data: dict) -> Answers:
    kind = cleaned_data.get("application_kind") or ""
    return Answers(
        application_kind=kind,
        # A first application has no document to renew: a date typed anyway is not kept.
        permit_expires_on=None if kind == ApplicationKind.FIRST else cleaned_data.get("permit_expires_on"),
        card_ready=bool(cleaned_data.get("card_ready")),
    )


class TimeRadioSelect(forms.RadioSelect):
    """Radio buttons for times; some shown but not selectable (the appointment being moved)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.disabled_values: set[str] = set()

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex=subindex, attrs=attrs)
        if str(value) in self.disabled_values:
            option["attrs"]["disabled"] = True
        return option


def time_choice_field() -> forms.ChoiceField:
    """The radio list of times with places left, as residents and agents choose them."""
    return forms.ChoiceField(
        label=_("Horaire"),
        widget=TimeRadioSelect,
        error_messages={
            "required": _("Choisissez un horaire."),
            "invalid_choice": _("Cet horaire n'est plus disponible : choisissez-en un autre."),
        },
    )


class SlotForm(forms.Form):
    starts_at = time_choice_field()

    def __init__(self, *args, times: list[AvailableTime], current: AvailableTime | None = None, **kwargs) -> None:
        """`current`: the appointment being moved, on the day shown: listed among the times, not selectable."""
        super().__init__(*args, **kwargs)
        choices = {t.key: self.label_for(t) for t in times}
        if current is not None:
            choices[current.key] = format_html("{} · {}", self.hours(current), _("votre rendez-vous actuel"))
            choices = dict(sorted(choices.items()))  # ISO keys of one day, one offset: sorted by time
            self.fields["starts_at"].widget.disabled_values = {current.key}
        self.fields["starts_at"].choices = list(choices.items())
        self.helper = submit_helper(_("Choisir cet horaire"))

    @staticmethod
    def hours(time: AvailableTime) -> str:
        """ "09:00 – 09:20", kept in that order in a right-to-left page (Arabic would otherwise show it reversed)."""
        return format_html(
            '<bdi dir="ltr">{} – {}</bdi>',
            formats.time_format(time.starts_at, "H:i"),
            formats.time_format(time.ends_at, "H:i"),
        )

    @classmethod
    def label_for(cls, time: AvailableTime) -> str:
        places = ngettext("%(count)s place disponible", "%(count)s places disponibles", time.places_left) % {
            "count": time.places_left
        }
        return format_html("{} · {}", cls.hours(time), places)

    def clean_starts_at(self) -> dt.datetime:
        return dt.datetime.fromisoformat(self.cleaned_data["starts_at"])


class IdentityForm(forms.Form):
    last_name = forms.CharField(
        label=_("Nom de famille"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "family-name"})
    )
    first_names = forms.CharField(
        label=_("Prénom(s)"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    birth_date = BoundedDateField(
        label=_("Date de naissance"),
        widget=DateParts(autocomplete="bday"),
        error_messages={
            "invalid": _("Saisissez une date valide, par exemple 31/12/1990."),
            "out_of_bounds": _("Vérifiez votre date de naissance."),
        },
    )
    nationality = forms.ChoiceField(label=_("Nationalité"), widget=LongSelect)
    foreigner_number = forms.CharField(
        label=_("Numéro étranger"),
        help_text=_(
            "10 chiffres, inscrits sur votre titre de séjour ou votre récépissé. "
            "Sinon, indiquez votre numéro de passeport."
        ),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    passport_number = forms.CharField(
        label=_("Numéro de passeport"),
        help_text=_("Obligatoire si vous n'avez pas de numéro étranger."),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    email = forms.EmailField(
        label=_("Adresse e-mail"),
        help_text=_("Votre convocation y sera envoyée. Exemple : nom@exemple.fr"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": _("Saisissez une adresse e-mail valide, par exemple nom@exemple.fr.")},
    )
    email_confirmation = forms.EmailField(
        label=_("Confirmez votre adresse e-mail"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": _("Saisissez une adresse e-mail valide, par exemple nom@exemple.fr.")},
    )
    phone = forms.CharField(
        label=_("Téléphone portable"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nationality"].choices = [("", _("Choisissez un pays"))] + list(countries)
        for name in ("foreigner_number", "passport_number"):  # one of the two is required
            self.fields[name].hide_optional_mark = True
        for name in ("last_name", "first_names", "birth_date", "nationality", "email", "email_confirmation"):
            self.fields[name].error_messages["required"] = _("Ce champ est obligatoire.")
        self.helper = submit_helper(_("Continuer"))

    def clean_last_name(self) -> str:
        return clean_visible_text(self.cleaned_data["last_name"])

    def clean_first_names(self) -> str:
        return clean_visible_text(self.cleaned_data["first_names"])

    def clean_email(self) -> str:
        return clean_visible_text(self.cleaned_data["email"])

    def clean_birth_date(self) -> dt.date:
        value = self.cleaned_data["birth_date"]
        today = timezone.localdate()
        if value >= today or value.year < today.year - 120:
            raise forms.ValidationError(_("Vérifiez votre date de naissance."))
        return value

    def clean_foreigner_number(self) -> str:
        value = normalise_foreigner_number(self.cleaned_data["foreigner_number"])
        if value and not FOREIGNER_NUMBER_RE.match(value):
            raise forms.ValidationError(_("Le numéro étranger comporte exactement 10 chiffres."))
        return value

    def clean_passport_number(self) -> str:
        value = normalise_passport_number(self.cleaned_data["passport_number"])
        if value and not PASSPORT_RE.match(value):
            raise forms.ValidationError(_("Le numéro de passeport comporte de 6 à 20 lettres et chiffres."))
        return value

    def clean_phone(self) -> str:
        value = self.cleaned_data["phone"].strip()
        if value and not PHONE_RE.match(value):
            raise forms.ValidationError(_("Saisissez un numéro de téléphone valide, par exemple 06 12 34 56 78."))
        return value

    def clean(self):
        data = super().clean()
        if not self.has_error("foreigner_number") and not self.has_error("passport_number"):
            if not data.get("foreigner_number") and not data.get("passport_number"):
                self.add_error(
                    "foreigner_number", _("Indiquez votre numéro étranger ou, à défaut, votre numéro de passeport.")
                )
        email, confirmation = data.get("email"), data.get("email_confirmation")
        if email and confirmation and email.strip().lower() != confirmation.strip().lower():
            self.add_error("email_confirmation", _("Les deux adresses e-mail ne sont pas identiques."))
        return data


class ConfirmForm(HumanCheckForm):
    """The review step: holds the place, after the anti-robot check (human_check, purpose "hold")."""

    certify = forms.BooleanField(
        label=_("J'atteste que les informations saisies sont exactes."),
        error_messages={"required": _("Cochez cette case pour confirmer votre rendez-vous.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(_("Réserver et recevoir le code"))


class CancelForm(forms.Form):
    """Nothing to fill in: the button is the confirmation."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(_("Oui, annuler mon rendez-vous"))


class EraseForm(forms.Form):
    """Nothing to fill in: the button is the confirmation."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(_("Oui, supprimer mes données"))


class LostLinkForm(HumanCheckForm):
    reference = forms.CharField(
        label=_("Référence du rendez-vous"),
        help_text=_("8 lettres et chiffres, par exemple ABCD-3467."),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    email = forms.EmailField(
        label=_("Adresse e-mail donnée lors de la réservation"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": _("Saisissez une adresse e-mail valide, par exemple nom@exemple.fr.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.error_messages["required"] = _("Ce champ est obligatoire.")
        self.helper = submit_helper(_("Recevoir le lien"))
