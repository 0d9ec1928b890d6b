"""A waiting list per procedure: who waits, for which days, and the places offered to them."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from booking.applicants import Applicant
from booking.models import Booking
from counters.models import CounterType, Weekday

ALL_WEEKDAYS = 0b1111111  # bit i: weekday i (0 Monday … 6 Sunday) suits the person


class WaitlistEntry(Applicant):
    """A person waiting for a place of a procedure (hence of its site), on the days they can come."""

    OUTBOX_FIELD = "waitlist_entry"  # its e-mails' field in the outbox

    class Status(models.TextChoices):
        PENDING = "pending", _("Adresse à confirmer")
        WAITING = "waiting", _("En attente")
        OFFERED = "offered", _("Place proposée")
        BOOKED = "booked", _("Rendez-vous pris")
        LEFT = "left", _("Sortie de la liste")
        LAPSED = "lapsed", _("Proposition restée sans réponse")
        # Nothing more to offer: the person had an appointment already, or their days have passed.
        ENDED = "ended", _("Close")

    # Count for "one entry per person and procedure" (the unique indexes).
    ACTIVE_STATUSES = (Status.PENDING, Status.WAITING, Status.OFFERED)

    counter_type = models.ForeignKey(
        CounterType, on_delete=models.PROTECT, related_name="waitlist_entries", verbose_name=_("démarche")
    )
    status = models.CharField(_("statut"), max_length=10, choices=Status.choices, default=Status.PENDING)
    weekdays = models.PositiveSmallIntegerField(
        _("jours possibles"), default=ALL_WEEKDAYS, help_text=_("Un bit par jour de la semaine, lundi d'abord.")
    )
    available_from = models.DateField(_("disponible à partir du"), null=True, blank=True)
    available_until = models.DateField(_("disponible jusqu'au"), null=True, blank=True)
    # When the address was proved: the list's order (first come, first served).
    queued_at = models.DateTimeField(_("dans la liste depuis le"), null=True, blank=True, editable=False)
    ended_at = models.DateTimeField(_("sorti de la liste le"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("inscription en liste d'attente")
        verbose_name_plural = _("inscriptions en liste d'attente")
        ordering = ["queued_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["counter_type", "foreigner_key"],
                condition=Q(status__in=["pending", "waiting", "offered"]) & Q(foreigner_key__isnull=False),
                name="waitlist_one_active_per_foreigner_number",
            ),
            models.UniqueConstraint(
                fields=["counter_type", "passport_key"],
                condition=Q(status__in=["pending", "waiting", "offered"]) & Q(passport_key__isnull=False),
                name="waitlist_one_active_per_passport",
            ),
            models.CheckConstraint(
                condition=Q(weekdays__gte=1) & Q(weekdays__lte=ALL_WEEKDAYS), name="waitlist_some_weekday"
            ),
            models.CheckConstraint(
                condition=Q(available_from__isnull=True)
                | Q(available_until__isnull=True)
                | Q(available_from__lte=F("available_until")),
                name="waitlist_days_in_order",
            ),
            models.CheckConstraint(
                condition=~Q(status="waiting") | Q(queued_at__isnull=False), name="waitlist_waiting_has_queued_at"
            ),
        ]
        indexes = [
            # Who is next for a place: the waiting entries of a procedure, in order.
            models.Index(fields=["counter_type", "queued_at"], condition=Q(status="waiting"), name="waitlist_next_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.counter_type} · {self.get_status_display()}"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES

    @property
    def weekday_numbers(self) -> list[int]:
        return [day for day in range(7) if self.weekdays & (1 << day)]

    @property
    def weekday_labels(self) -> list[str]:
        return [Weekday(day).label for day in self.weekday_numbers]


class Offer(models.Model):
    """A place offered to an entry: a hold made for them (`booking`), until they accept it or its deadline.

    The booking is HELD meanwhile (not "booked" in the figures); accepting
    confirms it; declining or letting it expire frees the place, which goes to
    the next entry (booking.services.places).
    """

    class Outcome(models.TextChoices):
        PENDING = "", _("En attente de réponse")
        ACCEPTED = "accepted", _("Acceptée")
        DECLINED = "declined", _("Déclinée")
        EXPIRED = "expired", _("Sans réponse")

    entry = models.ForeignKey(WaitlistEntry, on_delete=models.CASCADE, related_name="offers")
    booking = models.OneToOneField(Booking, on_delete=models.CASCADE, related_name="waitlist_offer")
    offered_at = models.DateTimeField(_("proposée le"))
    expires_at = models.DateTimeField(_("à accepter avant le"))
    outcome = models.CharField(_("réponse"), max_length=10, choices=Outcome.choices, blank=True, default="")
    answered_at = models.DateTimeField(_("réponse le"), null=True, blank=True)

    class Meta:
        verbose_name = _("place proposée")
        verbose_name_plural = _("places proposées")
        ordering = ["-offered_at"]
        constraints = [
            # One place at a time per person.
            models.UniqueConstraint(fields=["entry"], condition=Q(outcome=""), name="waitlist_one_pending_offer"),
        ]

    def __str__(self) -> str:
        return f"{self.entry} · {self.get_outcome_display()}"


class WaitingList(CounterType):
    """A procedure seen as its waiting list, for the staff's admin: counts only, nobody's name."""

    class Meta:
        proxy = True
        verbose_name = _("liste d'attente")
        verbose_name_plural = _("listes d'attente")
