"""A lottery opening's draw and the people registered for it."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from booking.applicants import Applicant
from booking.models import Booking
from counters.models import CounterType, ExceptionalOpening


class Lottery(models.Model):
    """The draw of an opening in lottery mode: its seed, committed to before anyone registers.

    `seed` stays secret until `drawn_at` (only `seed_commitment` is shown);
    the draw then publishes it (booking.lottery.draw says how to check).
    """

    opening = models.OneToOneField(
        ExceptionalOpening, on_delete=models.PROTECT, related_name="lottery", verbose_name=_("ouverture")
    )
    seed = models.CharField(_("graine"), max_length=64, editable=False)
    seed_commitment = models.CharField(_("empreinte de la graine"), max_length=64, editable=False)
    created_at = models.DateTimeField(_("préparé le"), auto_now_add=True)
    drawn_at = models.DateTimeField(_("tiré le"), null=True, blank=True, editable=False)
    # The rule as it was when drawn: the published classes follow it, whatever the opening says later.
    priority_rule = models.CharField(_("priorité appliquée"), max_length=30, blank=True, editable=False)

    class Meta:
        verbose_name = _("tirage au sort")
        verbose_name_plural = _("tirages au sort")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return str(self.opening)

    @property
    def is_drawn(self) -> bool:
        return self.drawn_at is not None


class Registration(Applicant):
    """A person registered for a lottery, for one of its procedures, their address proved."""

    OUTBOX_FIELD = "registration"  # its e-mails' field in the outbox

    class Status(models.TextChoices):
        PENDING = "pending", _("Adresse à confirmer")
        REGISTERED = "registered", _("Inscrit, en attente du tirage")
        DRAWN = "drawn", _("Tiré au sort : place attribuée")
        RESERVE = "reserve", _("Non tiré, en réserve")
        # Drawn, but no place could be given: an appointment for the procedure already, or not eligible that day.
        SKIPPED = "skipped", _("Tiré, sans place possible")

    lottery = models.ForeignKey(Lottery, on_delete=models.PROTECT, related_name="registrations")
    counter_type = models.ForeignKey(
        CounterType, on_delete=models.PROTECT, related_name="lottery_registrations", verbose_name=_("démarche")
    )
    status = models.CharField(_("statut"), max_length=12, choices=Status.choices, default=Status.PENDING)
    # What the published draw shows of this registration (booking.lottery.draw): no personal data.
    registration_hash = models.CharField(_("empreinte d'inscription"), max_length=64, editable=False)
    priority = models.PositiveSmallIntegerField(_("classe de priorité"), null=True, blank=True, editable=False)
    rank = models.PositiveIntegerField(_("rang au tirage"), null=True, blank=True, editable=False)
    booking = models.OneToOneField(
        Booking,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="lottery_registration",
        verbose_name=_("rendez-vous attribué"),
    )

    class Meta:
        verbose_name = _("inscription au tirage")
        verbose_name_plural = _("inscriptions au tirage")
        ordering = ["rank", "pk"]
        constraints = [
            # One registration per person and lottery, whichever number they give.
            models.UniqueConstraint(fields=["lottery", "registration_hash"], name="lottery_one_registration_per_hash"),
            models.UniqueConstraint(
                fields=["lottery", "foreigner_key"],
                condition=Q(foreigner_key__isnull=False),
                name="lottery_one_registration_per_foreigner_number",
            ),
            models.UniqueConstraint(
                fields=["lottery", "passport_key"],
                condition=Q(passport_key__isnull=False),
                name="lottery_one_registration_per_passport",
            ),
            models.UniqueConstraint(
                fields=["lottery", "rank"], condition=Q(rank__isnull=False), name="lottery_one_registration_per_rank"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.lottery} · {self.registration_hash[:12]}"
