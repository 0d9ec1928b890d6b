"""What a lottery registration and a waiting-list entry keep about a person until a place is booked for them.

Both are requests for a place made before any place is taken: the identity,
the eligibility answers and an e-mail address proved by a code or a link
(booking.address_check). When a place comes, the booking service books it
with exactly these (`person`, `answers`), checking the rules against the
slot's day as for any booking.

They are personal data: `anonymise` blanks them (see each app's retention
functions for when), keeping what the figures and the lottery's published
draw need.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from .address_check import AddressCheck
from .eligibility import Answers
from .identity import normalise_foreigner_number, normalise_passport_number
from .models import ApplicationKind
from .services.booking import PersonData

PERSONAL_FIELDS = (
    "last_name",
    "first_names",
    "birth_date",
    "nationality",
    "foreigner_number",
    "passport_number",
    "foreigner_key",
    "passport_key",
    "email",
    "phone",
    "permit_expires_on",
)


class Applicant(AddressCheck):
    """A person asking for a place, with a proved address (abstract: registrations and entries)."""

    # The person's own link (their page: status, result, leaving); never shown to anyone else.
    token = models.CharField(max_length=64, unique=True, editable=False)
    last_name = models.CharField(_("nom"), max_length=150)
    first_names = models.CharField(_("prénoms"), max_length=150)
    birth_date = models.DateField(_("date de naissance"), null=True)
    nationality = CountryField(_("nationalité"), blank=True)
    foreigner_number = models.CharField(_("numéro étranger"), max_length=10, blank=True)
    passport_number = models.CharField(_("numéro de passeport"), max_length=20, blank=True)
    # The same keyed hashes as a booking's: one request per person, whichever number they give.
    foreigner_key = models.CharField(max_length=64, null=True, blank=True, editable=False)
    passport_key = models.CharField(max_length=64, null=True, blank=True, editable=False)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    language = models.CharField(_("langue"), max_length=10, default="fr")
    application_kind = models.CharField(
        _("type de demande"), max_length=20, choices=ApplicationKind.choices, blank=True, default=""
    )
    permit_expires_on = models.DateField(_("expiration du titre"), null=True, blank=True)
    card_ready = models.BooleanField(_("avis de mise à disposition reçu"), default=False)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    anonymised_at = models.DateTimeField(_("anonymisé le"), null=True, blank=True, editable=False)

    class Meta:
        abstract = True

    @property
    def person(self) -> PersonData:
        return PersonData(
            last_name=self.last_name,
            first_names=self.first_names,
            birth_date=self.birth_date,
            nationality=str(self.nationality),
            email=self.email,
            foreigner_number=self.foreigner_number,
            passport_number=self.passport_number,
            phone=self.phone,
        )

    @property
    def answers(self) -> Answers:
        return Answers(self.application_kind, self.permit_expires_on, self.card_ready)

    @property
    def keys(self) -> tuple[str | None, str | None]:
        return self.foreigner_key, self.passport_key

    @property
    def identity_key(self) -> str:
        """The key a registration's hash is made of: the foreigner number's, else the passport's."""
        return self.foreigner_key or self.passport_key or ""

    def fill(self, *, person: PersonData, answers: Answers, language: str) -> None:
        """Copy what the person typed, normalised as a booking's."""
        self.last_name = person.last_name.strip()
        self.first_names = person.first_names.strip()
        self.birth_date = person.birth_date
        self.nationality = person.nationality
        self.foreigner_number = normalise_foreigner_number(person.foreigner_number)
        self.passport_number = normalise_passport_number(person.passport_number)
        self.foreigner_key, self.passport_key = person.keys
        self.email = person.email.strip()
        self.phone = person.phone.strip()
        self.language = language
        self.application_kind = answers.application_kind
        self.permit_expires_on = answers.permit_expires_on
        self.card_ready = answers.card_ready


def anonymise_applicants(queryset: models.QuerySet, *, now: dt.datetime) -> int:
    """Blank the personal data of these registrations or entries (once); returns how many."""
    blank = {name: "" for name in PERSONAL_FIELDS}
    blank.update(birth_date=None, foreigner_key=None, passport_key=None, permit_expires_on=None)
    return queryset.filter(anonymised_at__isnull=True).update(**blank, anonymised_at=now)
