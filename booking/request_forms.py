"""The one-page form of a request for a place made before any day is chosen: a lottery registration, joining
a waiting list. The procedure's eligibility questions, the identity (the booking flow's IdentityForm, its
checks included), a certification and the anti-robot check, last. The answers are checked by the service
(against the lottery's day, or without a day for a waiting list), never here."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from counters.models import CounterType

from .antibot.forms import HumanCheckForm
from .eligibility import Answers
from .forms import (
    EligibilityForm,
    IdentityForm,
    answers_from,
    keep_eligibility_fields,
    submit_helper,
    word_renewal_expiry,
)
from .services.booking import PersonData

ELIGIBILITY_FIELDS = ("application_kind", "permit_expires_on", "card_ready")
PERSON_FIELDS = (
    "last_name",
    "first_names",
    "nationality",
    "email",
    "foreigner_number",
    "passport_number",
    "phone",
)


class PlaceRequestForm(IdentityForm, HumanCheckForm):
    application_kind = EligibilityForm.base_fields["application_kind"]
    permit_expires_on = EligibilityForm.base_fields["permit_expires_on"]
    card_ready = EligibilityForm.base_fields["card_ready"]
    certify = forms.BooleanField(
        label=_("J'atteste que les informations saisies sont exactes."),
        error_messages={"required": _("Cochez cette case pour envoyer votre demande.")},
    )
    submit_label = _("Envoyer et recevoir le code")

    def __init__(self, *args, counter_type: CounterType, **kwargs):
        super().__init__(*args, **kwargs)
        self.counter_type = counter_type
        keep_eligibility_fields(self, counter_type)
        word_renewal_expiry(self, counter_type)
        self.order_fields([*ELIGIBILITY_FIELDS, *IdentityForm.base_fields, *self.own_fields(), "certify"])
        self.helper = submit_helper(self.submit_label)

    def own_fields(self) -> list[str]:
        """The subclass's fields, between the identity and the certification."""
        return []

    @property
    def answers(self) -> Answers:
        return answers_from(self.cleaned_data)

    def person_data(self) -> PersonData:
        data = self.cleaned_data
        return PersonData(**{name: data.get(name) or "" for name in PERSON_FIELDS}, birth_date=data["birth_date"])

    def retyped(self) -> dict:
        """What was typed, to fill a new form after a refusal (the proof of work is to be made again)."""
        return {name: value for name, value in self.cleaned_data.items() if name not in ("altcha", "antibot_ticket")}
