"""Appointments residents book, and the e-mails sent about them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from counters.models import CounterType, Handover, Slot


class Channel(models.TextChoices):
    ONLINE = "online", _("En ligne")
    PHONE = "phone", _("Téléphone")
    DESK = "desk", pgettext_lazy("booking channel", "Accueil")


class ApplicationKind(models.TextChoices):
    """What a person files, for the procedures that ask (filing a first application or a renewal)."""

    FIRST = "first", _("Première demande de titre de séjour")
    PERMIT_RENEWAL = "permit_renewal", _("Renouvellement d'un titre de séjour")
    RECEIPT_RENEWAL = "receipt_renewal", _("Renouvellement d'un récépissé")


class Booking(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmé")
        CANCELLED = "cancelled", _("Annulé")
        CHECKED_IN = "checked_in", _("Présent")
        DONE = "done", _("Reçu")
        NO_SHOW = "no_show", _("Absent")

    ACTIVE_STATUSES = (Status.CONFIRMED, Status.CHECKED_IN)

    reference = models.CharField(_("référence"), max_length=12, unique=True)
    token = models.CharField(_("jeton d'accès"), max_length=64, unique=True, editable=False)
    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="bookings", verbose_name=_("créneau"))
    counter_type = models.ForeignKey(
        CounterType, on_delete=models.PROTECT, related_name="bookings", verbose_name=_("démarche")
    )
    status = models.CharField(_("statut"), max_length=20, choices=Status.choices, default=Status.CONFIRMED)
    channel = models.CharField(_("canal"), max_length=10, choices=Channel.choices, default=Channel.ONLINE)

    last_name = models.CharField(_("nom"), max_length=150)
    first_names = models.CharField(_("prénoms"), max_length=150)
    birth_date = models.DateField(_("date de naissance"))
    nationality = CountryField(_("nationalité"))
    foreigner_number = models.CharField(_("numéro étranger"), max_length=10, blank=True)
    passport_number = models.CharField(_("numéro de passeport"), max_length=20, blank=True)
    # Hashes of (normalised number, birth date): one active booking per person and procedure.
    foreigner_key = models.CharField(max_length=64, null=True, blank=True, editable=False)
    passport_key = models.CharField(max_length=64, null=True, blank=True, editable=False)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    language = models.CharField(_("langue"), max_length=10, default="fr")
    application_kind = models.CharField(
        _("type de demande"), max_length=20, choices=ApplicationKind.choices, blank=True, default=""
    )
    permit_expires_on = models.DateField(_("expiration du titre"), null=True, blank=True)

    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agent"),
    )
    cancelled_at = models.DateTimeField(_("annulé le"), null=True, blank=True)
    # Which share of the slot the place came from: releasing it must give it back there.
    reserved_place = models.BooleanField(_("place réservée aux agents"), default=False, editable=False)
    checked_in_at = models.DateTimeField(_("arrivée enregistrée le"), null=True, blank=True, editable=False)
    handed_over = models.CharField(
        _("remis"), max_length=10, choices=Handover.choices, blank=True, default="", editable=False
    )
    # How many times the appointment was moved: 0 as booked, then 1, 2… It is the
    # SEQUENCE of the .ics (calendars replace the old event), numbers the MOVED
    # e-mails and keys the reminder to the current time.
    version = models.PositiveIntegerField(_("version"), default=0, editable=False)

    # The access token is a secret: it stays out of the audit trail.
    history = HistoricalRecords(excluded_fields=["token", "updated_at"])

    class Meta:
        verbose_name = _("rendez-vous")
        verbose_name_plural = pgettext_lazy("plural", "rendez-vous")
        ordering = ["slot__starts_at", "pk"]
        permissions = [
            ("view_agenda", _("Peut consulter l'agenda du jour")),
            ("check_in", _("Peut enregistrer l'arrivée et l'issue des rendez-vous")),
            ("book_for_caller", _("Peut prendre rendez-vous pour une personne au téléphone ou à l'accueil")),
            ("export_bookings", _("Peut exporter les rendez-vous")),
            ("view_statistics", _("Peut consulter les statistiques")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["foreigner_key", "counter_type"],
                condition=Q(status__in=["confirmed", "checked_in"]) & Q(foreigner_key__isnull=False),
                name="booking_one_active_per_foreigner_number",
            ),
            models.UniqueConstraint(
                fields=["passport_key", "counter_type"],
                condition=Q(status__in=["confirmed", "checked_in"]) & Q(passport_key__isnull=False),
                name="booking_one_active_per_passport",
            ),
            models.CheckConstraint(
                condition=Q(foreigner_key__isnull=False) | Q(passport_key__isnull=False),
                name="booking_has_identity",
            ),
        ]
        indexes = [models.Index(fields=["last_name"], name="booking_last_name_idx")]

    def __str__(self) -> str:
        return f"{self.display_reference} · {self.last_name.upper()} {self.first_names}"

    @property
    def display_reference(self) -> str:
        return f"{self.reference[:4]}-{self.reference[4:]}"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES


class OutboundEmail(models.Model):
    """An e-mail to send, written in the same transaction as the change it tells about."""

    class Kind(models.TextChoices):
        CONFIRMATION = "confirmation", _("Confirmation")
        REMINDER = "reminder", _("Rappel")
        CANCELLATION = "cancellation", _("Annulation")
        MOVED = "moved", _("Rendez-vous déplacé")
        ACCESS_LINK = "access_link", _("Lien de gestion renvoyé")

    class Status(models.TextChoices):
        QUEUED = "queued", _("En attente")
        SENDING = "sending", _("En cours d'envoi")
        SENT = "sent", _("Envoyé")
        FAILED = "failed", _("Échec")
        # Overtaken before it left: a reminder for a cancelled or moved appointment.
        SKIPPED = "skipped", _("Sans objet")

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="emails", verbose_name=_("rendez-vous"))
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    # Part of the uniqueness key, so that redelivery never duplicates a row while
    # each event still gets its own: the n-th move (MOVED), the appointment
    # version a reminder is for (REMINDER: the number of moves before it), the
    # n-th re-sent link (ACCESS_LINK); 0 for CONFIRMATION and CANCELLATION.
    sequence = models.PositiveIntegerField(_("numéro d'ordre"), default=0)
    status = models.CharField(_("statut"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("tentatives"), default=0)
    last_error = models.TextField(_("dernière erreur"), blank=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    last_attempt_at = models.DateTimeField(_("dernière tentative le"), null=True, blank=True)
    # When the outbox sweep looks at the row again if it is still not sent: the
    # end of a backoff, of the delay given to a dispatched task to claim it, or of
    # the longest a live worker can hold it SENDING (booking/emails/outbox.py).
    retry_after = models.DateTimeField(_("nouvelle tentative après"), default=timezone.now)
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("e-mail")
        verbose_name_plural = _("e-mails")
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["booking", "kind", "sequence"], name="outbound_email_one_per_kind_and_sequence"
            )
        ]
        indexes = [
            models.Index(fields=["status", "created_at"], name="outbound_email_status_idx"),
            # What the sweep reads every few seconds: the few rows not yet sent, by retry time.
            models.Index(
                fields=["retry_after"], condition=Q(status__in=["queued", "sending"]), name="outbound_email_due_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.booking.display_reference}"

    @property
    def message_id(self) -> str:
        """Deterministic, so that a duplicate sent after a crash is recognisable."""
        domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip(">").strip() or "localhost"
        return f"<booking-{self.booking_id}-{self.kind}-{self.sequence}-{self.pk}@{domain}>"
