"""Forms of the waiting list: joining it (the days one can come, with the request's identity and answers),
answering an offer, leaving."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from booking.dates import BoundedDateField
from booking.forms import submit_helper
from booking.request_forms import PlaceRequestForm
from counters.models import Weekday

from .services import Days, weekdays_mask

# Sunday is left out: no site receives then.
WEEKDAY_CHOICES = [(str(day.value), day.label) for day in Weekday if day != Weekday.SUNDAY]


class DaysMixin(forms.Form):
    weekdays = forms.MultipleChoiceField(
        label=_("Les jours où vous pouvez venir"),
        choices=WEEKDAY_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Cochez au moins un jour.")},
    )
    available_from = BoundedDateField(
        label=_("À partir du (facultatif)"),
        help_text=_("Vide : dès maintenant."),
        required=False,
        error_messages={"invalid": _("Saisissez une date valide, par exemple 31/12/2026.")},
    )
    available_until = BoundedDateField(
        label=_("Jusqu'au (facultatif)"),
        help_text=_("Vide : sans limite."),
        required=False,
        error_messages={"invalid": _("Saisissez une date valide, par exemple 31/12/2026.")},
    )
    # Their labels say "(facultatif)" already: not said twice.
    available_from.hide_optional_mark = available_until.hide_optional_mark = True

    def clean(self):
        data = super().clean()
        first, last = data.get("available_from"), data.get("available_until")
        if first and last and first > last:
            self.add_error("available_until", _("Cette date doit suivre la première."))
        return data

    @property
    def days(self) -> Days:
        data = self.cleaned_data
        return Days(weekdays_mask(data["weekdays"]), data.get("available_from"), data.get("available_until"))


class JoinForm(DaysMixin, PlaceRequestForm):
    """Joining a procedure's list: the person's request and the days they can come (human_check "waiting-list")."""

    submit_label = _("M'inscrire et recevoir le code")

    def own_fields(self) -> list[str]:
        return ["weekdays", "available_from", "available_until"]


class DaysForm(DaysMixin):
    """Joining from a lottery registration's link: the rest is known already."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(_("Rejoindre la liste d'attente"))


class AnswerOfferForm(forms.Form):
    """Two buttons: accept or decline; the button pressed is the answer."""

    answer = forms.ChoiceField(choices=[("accept", "accept"), ("decline", "decline")])


class LeaveForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(_("Quitter la liste d'attente"))
        self.helper.inputs[0].field_classes = "fr-btn--secondary"
