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
        # A public booking waits for its e-mail address to be confirmed: the place is held meanwhile.
        HELD = "held", _("En attente de confirmation")
        CONFIRMED = "confirmed", _("Confirmé")
        CANCELLED = "cancelled", _("Annulé")
        CHECKED_IN = "checked_in", _("Présent")
        DONE = "done", _("Reçu")
        NO_SHOW = "no_show", _("Absent")
        # Never confirmed in time: the place went back (booking.services.places); kept for the figures.
        EXPIRED = "expired", _("Non confirmé (expiré)")
        # Taken under someone else's identity, released by an agent after checking the real person's papers.
        RELEASED = "released", _("Libéré (usurpation d'identité)")

    # Hold a place and count for "one active booking per person and procedure" (the unique indexes).
    ACTIVE_STATUSES = (Status.HELD, Status.CONFIRMED, Status.CHECKED_IN)
    # An appointment the person has, confirmed: what the lost-link form, reminders and e-mails speak of.
    CONFIRMED_STATUSES = (Status.CONFIRMED, Status.CHECKED_IN)
    # Never an appointment that took place or will: left out of "booked" in the figures.
    NOT_BOOKED_STATUSES = (Status.HELD, Status.EXPIRED, Status.CANCELLED, Status.RELEASED)
    # Fixed at booking: a booking never changes hands (a database trigger refuses it, see
    # migration 0016_booking_identity_frozen), except once, to anonymise it (`anonymised_at`).
    IDENTITY_FIELDS = (
        "last_name",
        "first_names",
        "birth_date",
        "nationality",
        "foreigner_number",
        "passport_number",
        "foreigner_key",
        "passport_key",
    )

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
    # A hold (HELD) lasts until then; confirmed from the e-mail's link (this token) or its 6-digit
    # code, which is derived from the token and never stored (booking.services.holds).
    hold_expires_at = models.DateTimeField(_("réservation à confirmer avant le"), null=True, blank=True, editable=False)
    verification_token = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    code_attempts = models.PositiveSmallIntegerField(_("codes erronés saisis"), default=0, editable=False)
    confirmed_at = models.DateTimeField(_("confirmé le"), null=True, blank=True, editable=False)
    # Set once by the retention job, in the one UPDATE the identity trigger lets change the identity.
    anonymised_at = models.DateTimeField(_("anonymisé le"), null=True, blank=True, editable=False)

    # The access token is a secret: it stays out of the audit trail.
    history = HistoricalRecords(excluded_fields=["token", "verification_token", "updated_at"])

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
            ("release_usurped", _("Peut libérer un rendez-vous pris sous une identité usurpée")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["foreigner_key", "counter_type"],
                condition=Q(status__in=["held", "confirmed", "checked_in"]) & Q(foreigner_key__isnull=False),
                name="booking_one_active_per_foreigner_number",
            ),
            models.UniqueConstraint(
                fields=["passport_key", "counter_type"],
                condition=Q(status__in=["held", "confirmed", "checked_in"]) & Q(passport_key__isnull=False),
                name="booking_one_active_per_passport",
            ),
            models.CheckConstraint(
                condition=~Q(status="held") | (Q(hold_expires_at__isnull=False) & Q(verification_token__isnull=False)),
                name="booking_hold_has_expiry_and_token",
            ),
            models.CheckConstraint(
                # An anonymised booking (retention) keeps no key: nothing left to recognise the person by.
                condition=Q(foreigner_key__isnull=False)
                | Q(passport_key__isnull=False)
                | Q(anonymised_at__isnull=False),
                name="booking_has_identity",
            ),
        ]
        indexes = [
            models.Index(fields=["last_name"], name="booking_last_name_idx"),
            # What the expiry job reads every minute: the few holds, by expiry.
            models.Index(fields=["hold_expires_at"], condition=Q(status="held"), name="booking_hold_expiry_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.display_reference} · {self.last_name.upper()} {self.first_names}"

    @property
    def display_reference(self) -> str:
        return f"{self.reference[:4]}-{self.reference[4:]}"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES

    @property
    def is_held(self) -> bool:
        return self.status == self.Status.HELD


class OutboundEmail(models.Model):
    """An e-mail to send, written in the same transaction as the change it tells about.

    It is about a booking, or (before any place is taken) about a lottery
    registration or a waiting-list entry, or about a written question:
    exactly one of the four.
    """

    class Kind(models.TextChoices):
        CONFIRMATION = "confirmation", _("Confirmation")
        REMINDER = "reminder", _("Rappel")
        CANCELLATION = "cancellation", _("Annulation")
        MOVED = "moved", _("Rendez-vous déplacé")
        ACCESS_LINK = "access_link", _("Lien de gestion renvoyé")
        # The first e-mail of a public booking: the 6-digit code and the link that confirm it, nothing else.
        VERIFICATION = "verification", _("Code de confirmation")
        # The first e-mail of a place given by the lottery's draw, or offered from the waiting list (holds).
        LOTTERY_DRAWN = "lottery_drawn", _("Tirage au sort : place attribuée")
        WAITLIST_OFFER = "waitlist_offer", _("Liste d'attente : place proposée")
        # About a registration (booking.lottery).
        LOTTERY_CODE = "lottery_code", _("Tirage au sort : code de confirmation")
        LOTTERY_REGISTERED = "lottery_registered", _("Tirage au sort : inscription enregistrée")
        LOTTERY_NOT_DRAWN = "lottery_not_drawn", _("Tirage au sort : non tiré")
        # About a waiting-list entry (booking.waitlist).
        WAITLIST_CODE = "waitlist_code", _("Liste d'attente : code de confirmation")
        WAITLIST_JOINED = "waitlist_joined", _("Liste d'attente : inscription enregistrée")
        # About a written question (booking.questions).
        QUESTION_CODE = "question_code", _("Question : code de confirmation")
        QUESTION_RECEIVED = "question_received", _("Question : accusé de réception")
        QUESTION_ANSWER = "question_answer", _("Question : réponse de l'équipe")

    # The first e-mail of a hold: overtaken once the hold is confirmed or expired.
    HOLD_KINDS = (Kind.VERIFICATION, Kind.LOTTERY_DRAWN, Kind.WAITLIST_OFFER)
    # A code for an address: overtaken once the address is proved.
    CODE_KINDS = (Kind.VERIFICATION, Kind.LOTTERY_CODE, Kind.WAITLIST_CODE, Kind.QUESTION_CODE)

    class Status(models.TextChoices):
        QUEUED = "queued", _("En attente")
        SENDING = "sending", _("En cours d'envoi")
        SENT = "sent", _("Envoyé")
        FAILED = "failed", _("Échec")
        # Overtaken before it left: a reminder for a cancelled or moved appointment.
        SKIPPED = "skipped", _("Sans objet")

    booking = models.ForeignKey(
        Booking, on_delete=models.CASCADE, null=True, blank=True, related_name="emails", verbose_name=_("rendez-vous")
    )
    registration = models.ForeignKey(
        "lottery.Registration",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="emails",
        verbose_name=_("inscription au tirage"),
    )
    waitlist_entry = models.ForeignKey(
        "waitlist.WaitlistEntry",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="emails",
        verbose_name=_("inscription en liste d'attente"),
    )
    question = models.ForeignKey(
        "questions.Question",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="emails",
        verbose_name=_("question écrite"),
    )
    # The address, normalised (booking.emails.outbox.normalise_address): what the per-address cap counts.
    recipient = models.CharField(_("destinataire"), max_length=254, blank=True, default="", editable=False)
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
            ),
            models.UniqueConstraint(
                fields=["registration", "kind", "sequence"],
                condition=Q(registration__isnull=False),
                name="outbound_email_one_per_registration_kind_and_sequence",
            ),
            models.UniqueConstraint(
                fields=["waitlist_entry", "kind", "sequence"],
                condition=Q(waitlist_entry__isnull=False),
                name="outbound_email_one_per_entry_kind_and_sequence",
            ),
            models.UniqueConstraint(
                fields=["question", "kind", "sequence"],
                condition=Q(question__isnull=False),
                name="outbound_email_one_per_question_kind_and_sequence",
            ),
            models.CheckConstraint(
                condition=Q(booking__isnull=False, registration__isnull=True, waitlist_entry__isnull=True)
                & Q(question__isnull=True)
                | Q(booking__isnull=True, registration__isnull=False, waitlist_entry__isnull=True)
                & Q(question__isnull=True)
                | Q(booking__isnull=True, registration__isnull=True, waitlist_entry__isnull=False)
                & Q(question__isnull=True)
                | Q(booking__isnull=True, registration__isnull=True, waitlist_entry__isnull=True)
                & Q(question__isnull=False),
                name="outbound_email_about_one_thing",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "created_at"], name="outbound_email_status_idx"),
            # What the sweep reads every few seconds: the few rows not yet sent, by retry time.
            models.Index(
                fields=["retry_after"], condition=Q(status__in=["queued", "sending"]), name="outbound_email_due_idx"
            ),
            # The per-address cap: e-mails to one address claimed for sending in the last hour.
            models.Index(fields=["recipient", "last_attempt_at"], name="outbound_email_recipient_idx"),
        ]

    def __str__(self) -> str:
        about = self.booking.display_reference if self.booking_id else self.about_label
        return f"{self.get_kind_display()} · {about}"

    @property
    def about_label(self) -> str:
        if self.booking_id:
            return f"booking-{self.booking_id}"
        if self.registration_id:
            return f"registration-{self.registration_id}"
        if self.question_id:
            return f"question-{self.question_id}"
        return f"waitlist-{self.waitlist_entry_id}"

    @property
    def subject(self):
        """What the e-mail is about: the booking, registration, waiting-list entry or question."""
        return self.booking or self.registration or self.waitlist_entry or self.question

    @property
    def message_id(self) -> str:
        """Deterministic, so that a duplicate sent after a crash is recognisable."""
        domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip(">").strip() or "localhost"
        return f"<{self.about_label}-{self.kind}-{self.sequence}-{self.pk}@{domain}>"


class RedeemedProof(models.Model):
    """A proof of work (or no-JavaScript ticket) already used, when Redis could not record it.

    Redis (SET NX with the proof's remaining lifetime) is the usual store; this
    table takes over while Redis is unreachable, so that one solution is never
    accepted twice (booking.antibot.replay). Rows past `expires_at` are purged.
    """

    key = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("preuve anti-robot utilisée")
        verbose_name_plural = _("preuves anti-robot utilisées")

    def __str__(self) -> str:
        return self.key
