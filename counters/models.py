"""Where and when residents are received: sites, procedures, counters, hours, slots."""

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .sorting import SORT_KEY_LENGTH, natural_sort_key


def validate_time_zone(value: str) -> None:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError(_("Fuseau horaire inconnu : indiquez-le comme Europe/Paris ou Indian/Reunion.")) from None


class Site(models.Model):
    """A prefecture or sub-prefecture that receives the public."""

    name = models.CharField(_("nom"), max_length=200)
    slug = models.SlugField(_("identifiant"), unique=True)
    address = models.CharField(_("adresse"), max_length=300)
    postal_code = models.CharField(_("code postal"), max_length=10)
    city = models.CharField(_("ville"), max_length=100)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail de contact"), blank=True)
    opening_information = models.TextField(
        _("informations d'accueil"), blank=True, help_text=_("Horaires, accès, consignes, affichés sur le site.")
    )
    time_zone = models.CharField(
        _("fuseau horaire"),
        max_length=50,
        default="Europe/Paris",
        validators=[validate_time_zone],
        help_text=_("Celui du site, par exemple Europe/Paris, Indian/Reunion, America/Cayenne, Indian/Mayotte."),
    )
    is_active = models.BooleanField(_("actif"), default=True)

    # Its history (django-simple-history) is registered in counters/translation.py, once the
    # translated copies of its fields exist, so that the audit trail keeps every language.

    class Meta:
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def full_address(self) -> str:
        return f"{self.address}, {self.postal_code} {self.city}"

    @property
    def zone(self) -> ZoneInfo:
        """The site's time zone: its days, hours and "today" are counted in it."""
        return ZoneInfo(self.time_zone)


class Handover(models.TextChoices):
    """What a resident leaves the counter with, for procedures that hand something over."""

    NOTHING = "nothing", _("Rien")
    RECEIPT = "receipt", _("Récépissé remis")
    PERMIT = "permit", _("Titre remis")


class CounterType(models.Model):
    """A procedure a resident books for (filing, card delivery, licence exchange…)."""

    class Eligibility(models.TextChoices):
        NONE = "none", _("Aucune question")
        RENEWAL = "renewal", _("Renouvellement : date d'expiration du titre, dans les deux mois")
        EXPIRED_PERMIT = "expired_permit", _("Titre expiré : date d'expiration passée")
        CARD_READY = "card_ready", _("Remise de titre : avis de mise à disposition reçu")

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="counter_types", verbose_name=_("site"))
    code = models.SlugField(_("code"), max_length=50)
    name = models.CharField(_("nom"), max_length=200)
    description = models.TextField(_("description courte"), blank=True)
    # Plain language, in short sentences: who the procedure is for, what to bring, what happens at the counter.
    audience = models.TextField(
        _("pour qui"), blank=True, help_text=_("En phrases courtes : qui peut prendre ce rendez-vous.")
    )
    documents_to_bring = models.TextField(_("pièces à apporter"), blank=True, help_text=_("Une pièce par ligne."))
    at_the_counter = models.TextField(
        _("au guichet"), blank=True, help_text=_("En phrases courtes : ce qui se passe pendant le rendez-vous.")
    )
    slot_duration_minutes = models.PositiveSmallIntegerField(_("durée d'un créneau (minutes)"), default=15)
    online_booking = models.BooleanField(
        _("réservable en ligne"), default=True, help_text=_("Sinon, seuls les agents peuvent réserver.")
    )
    min_days_ahead = models.PositiveSmallIntegerField(_("réservable au plus tôt (jours avant)"), default=1)
    max_days_ahead = models.PositiveSmallIntegerField(_("réservable au plus tard (jours avant)"), default=60)
    reminder_hours_before = models.PositiveSmallIntegerField(
        _("rappel envoyé (heures avant)"),
        default=48,
        help_text=_("Délai entre l'e-mail de rappel et le rendez-vous. 0 : pas de rappel."),
    )
    change_cutoff_hours = models.PositiveSmallIntegerField(
        _("modification possible jusqu'à (heures avant)"),
        default=2,
        help_text=_("Passé ce délai, la personne ne peut plus annuler ni déplacer son rendez-vous en ligne."),
    )
    max_moves = models.PositiveSmallIntegerField(
        _("déplacements possibles"),
        default=2,
        help_text=_(
            "Combien de fois une personne peut déplacer son rendez-vous en ligne. Limité : déplacer sans fin "
            "permet de garder une place pour la céder à quelqu'un d'autre."
        ),
    )
    eligibility = models.CharField(
        _("règle d'éligibilité"), max_length=20, choices=Eligibility.choices, default=Eligibility.NONE
    )
    urgent_counter_type = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("démarche pour les titres expirés"),
        help_text=_("Pour un renouvellement : où envoyer une personne dont le titre a déjà expiré."),
    )
    handover = models.CharField(
        _("remis en fin de rendez-vous"),
        max_length=10,
        choices=Handover.choices,
        default=Handover.NOTHING,
        help_text=_("Ce que l'agent remet à la personne, coché quand le rendez-vous est terminé."),
    )
    position = models.PositiveSmallIntegerField(_("ordre d'affichage"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    # History: registered in counters/translation.py, as for Site.

    class Meta:
        verbose_name = _("type de guichet (démarche)")
        verbose_name_plural = _("types de guichet (démarches)")
        ordering = ["site", "position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["site", "code"], name="counter_type_code_unique_per_site"),
            models.CheckConstraint(
                condition=Q(slot_duration_minutes__gte=5) & Q(slot_duration_minutes__lte=240),
                name="counter_type_slot_duration_range",
            ),
            models.CheckConstraint(
                condition=Q(min_days_ahead__lte=F("max_days_ahead")), name="counter_type_booking_window_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.site})"

    @property
    def documents(self) -> list[str]:
        return [line.strip(" -•\t") for line in self.documents_to_bring.splitlines() if line.strip(" -•\t")]


class Counter(models.Model):
    """A counter (guichet) where an agent receives residents."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="counters", verbose_name=_("site"))
    label = models.CharField(_("libellé"), max_length=100)
    # The label in natural order ("Dépôt 2" before "Dépôt 10"), derived from it on save.
    sort_key = models.CharField(max_length=SORT_KEY_LENGTH, default="", editable=False)
    counter_types = models.ManyToManyField(
        CounterType, related_name="counters", verbose_name=_("démarches traitées"), blank=True
    )
    is_active = models.BooleanField(_("actif"), default=True)

    history = HistoricalRecords(m2m_fields=[counter_types], excluded_fields=["sort_key"])

    class Meta:
        verbose_name = _("guichet")
        verbose_name_plural = _("guichets")
        ordering = ["site", "sort_key", "label"]
        constraints = [models.UniqueConstraint(fields=["site", "label"], name="counter_label_unique_per_site")]

    def __str__(self) -> str:
        return f"{self.label} — {self.site}"

    def save(self, *args, **kwargs):
        self.sort_key = natural_sort_key(self.label)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "label" in update_fields:
            kwargs["update_fields"] = {*update_fields, "sort_key"}
        super().save(*args, **kwargs)


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("lundi")
    TUESDAY = 1, _("mardi")
    WEDNESDAY = 2, _("mercredi")
    THURSDAY = 3, _("jeudi")
    FRIDAY = 4, _("vendredi")
    SATURDAY = 5, _("samedi")
    SUNDAY = 6, _("dimanche")


class OpeningRule(models.Model):
    """Weekly hours of a counter for one procedure."""

    counter = models.ForeignKey(Counter, on_delete=models.CASCADE, related_name="rules", verbose_name=_("guichet"))
    counter_type = models.ForeignKey(
        CounterType, on_delete=models.CASCADE, related_name="rules", verbose_name=_("démarche")
    )
    weekday = models.PositiveSmallIntegerField(_("jour"), choices=Weekday.choices)
    start_time = models.TimeField(_("début"))
    end_time = models.TimeField(_("fin"))
    people_per_slot = models.PositiveSmallIntegerField(_("personnes par créneau"), default=1)
    reserved_per_slot = models.PositiveSmallIntegerField(
        _("places réservées aux agents par créneau"),
        default=0,
        help_text=_(
            "En plus des places ouvertes en ligne : réservables seulement par téléphone ou à l'accueil, "
            "pour les personnes sans internet."
        ),
    )
    valid_from = models.DateField(_("valable à partir du"), null=True, blank=True)
    valid_until = models.DateField(_("valable jusqu'au"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("horaire hebdomadaire")
        verbose_name_plural = _("horaires hebdomadaires")
        ordering = ["counter", "weekday", "start_time"]
        constraints = [
            models.CheckConstraint(condition=Q(start_time__lt=F("end_time")), name="opening_rule_start_before_end"),
            models.CheckConstraint(condition=Q(people_per_slot__gte=1), name="opening_rule_people_positive"),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_until__isnull=True)
                | Q(valid_from__lte=F("valid_until")),
                name="opening_rule_validity_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.counter.label} · {self.get_weekday_display()} {self.start_time:%H:%M}–{self.end_time:%H:%M}"

    def clean(self) -> None:
        if self.start_time and self.end_time and self.start_time >= self.end_time:
            raise ValidationError({"end_time": _("L'heure de fin doit suivre l'heure de début.")})
        if self.valid_from and self.valid_until and self.valid_from > self.valid_until:
            raise ValidationError({"valid_until": _("La fin de validité doit suivre son début.")})
        if (
            self.counter_id
            and self.counter_type_id
            and self.counter.pk
            and not self.counter.counter_types.filter(pk=self.counter_type_id).exists()
        ):
            raise ValidationError({"counter_type": _("Ce guichet ne traite pas cette démarche.")})

    def applies_on(self, day) -> bool:
        return (
            day.weekday() == self.weekday
            and (self.valid_from is None or self.valid_from <= day)
            and (self.valid_until is None or day <= self.valid_until)
        )


class Closure(models.Model):
    """A day or range of days when a whole site, or one counter, does not receive."""

    site = models.ForeignKey(
        Site, on_delete=models.CASCADE, null=True, blank=True, related_name="closures", verbose_name=_("site")
    )
    counter = models.ForeignKey(
        Counter, on_delete=models.CASCADE, null=True, blank=True, related_name="closures", verbose_name=_("guichet")
    )
    start_date = models.DateField(_("du"))
    end_date = models.DateField(_("au"))
    reason = models.CharField(_("motif"), max_length=200)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("fermeture")
        verbose_name_plural = _("fermetures")
        ordering = ["start_date"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(site__isnull=False) & Q(counter__isnull=True))
                | (Q(site__isnull=True) & Q(counter__isnull=False)),
                name="closure_for_site_or_counter",
            ),
            models.CheckConstraint(condition=Q(start_date__lte=F("end_date")), name="closure_dates_order"),
        ]

    def __str__(self) -> str:
        target = self.counter or self.site
        return f"{target} · {self.start_date:%d/%m/%Y}–{self.end_date:%d/%m/%Y} · {self.reason}"

    def clean(self) -> None:
        if bool(self.site_id) == bool(self.counter_id):
            raise ValidationError(_("Une fermeture vise soit un site, soit un guichet."))
        if self.start_date and self.end_date and self.start_date > self.end_date:
            raise ValidationError({"end_date": _("La date de fin doit suivre la date de début.")})


class ExceptionalOpeningQuerySet(models.QuerySet):
    def published(self, now=None):
        return self.filter(published_at__isnull=False, published_at__lte=now or timezone.now())


class ExceptionalOpening(models.Model):
    """An extra opening (e.g. a Saturday morning for 200 people), announced on the home page.

    First come, first served (the default), its slots are booked like any other. In lottery mode they are
    not offered to the public: people register during a window, and a draw when it closes gives the
    places (booking.lottery). These fields are plain data; what they mean is decided in booking.
    """

    class Mode(models.TextChoices):
        FIRST_COME = "first_come", _("Premier arrivé, premier servi")
        LOTTERY = "lottery", _("Tirage au sort")

    class Priority(models.TextChoices):
        NONE = "none", _("Aucune : tous les inscrits à égalité")
        EXPIRED_PERMIT_FIRST = "expired_permit_first", _("Titres expirés d'abord (expirés au jour de l'ouverture)")

    site = models.ForeignKey(
        Site, on_delete=models.CASCADE, related_name="exceptional_openings", verbose_name=_("site")
    )
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("début"))
    end_time = models.TimeField(_("fin"))
    counter_types = models.ManyToManyField(
        CounterType, related_name="exceptional_openings", verbose_name=_("démarches")
    )
    places = models.PositiveIntegerField(_("nombre de places"))
    published_at = models.DateTimeField(
        _("publiée à partir du"),
        null=True,
        blank=True,
        help_text=_("Vide : brouillon. Les créneaux et l'annonce n'existent qu'à partir de ce moment."),
    )
    announcement_title = models.CharField(_("titre de l'annonce"), max_length=200)
    announcement_text = models.TextField(_("texte de l'annonce"), blank=True)
    slots_created_at = models.DateTimeField(_("créneaux créés le"), null=True, blank=True, editable=False)
    mode = models.CharField(_("attribution des places"), max_length=20, choices=Mode.choices, default=Mode.FIRST_COME)
    registration_opens_at = models.DateTimeField(_("inscriptions au tirage à partir du"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(
        _("inscriptions closes et tirage le"),
        null=True,
        blank=True,
        help_text=_("Tirage au sort : le tirage a lieu dans la minute qui suit la clôture des inscriptions."),
    )
    confirm_hours = models.PositiveSmallIntegerField(
        _("délai de confirmation (heures)"),
        default=48,
        help_text=_(
            "Tirage au sort : une personne tirée confirme sa place dans ce délai, sinon elle passe au suivant."
        ),
    )
    priority_rule = models.CharField(
        _("priorité au tirage"), max_length=30, choices=Priority.choices, default=Priority.NONE
    )

    objects = ExceptionalOpeningQuerySet.as_manager()
    # History: registered in counters/translation.py, as for Site.

    class Meta:
        verbose_name = _("ouverture exceptionnelle")
        verbose_name_plural = _("ouvertures exceptionnelles")
        ordering = ["date", "start_time"]
        constraints = [
            models.CheckConstraint(condition=Q(start_time__lt=F("end_time")), name="opening_start_before_end"),
            models.CheckConstraint(condition=Q(places__gte=1), name="opening_places_positive"),
            models.CheckConstraint(
                condition=~Q(mode="lottery")
                | (
                    Q(registration_opens_at__isnull=False)
                    & Q(registration_closes_at__isnull=False)
                    & Q(registration_opens_at__lt=F("registration_closes_at"))
                ),
                name="opening_lottery_has_registration_window",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.site} · {self.date:%d/%m/%Y} {self.start_time:%H:%M}–{self.end_time:%H:%M}"

    def clean(self) -> None:
        if self.start_time and self.end_time and self.start_time >= self.end_time:
            raise ValidationError({"end_time": _("L'heure de fin doit suivre l'heure de début.")})
        if self.mode == self.Mode.LOTTERY:
            self._clean_lottery_window()

    def _clean_lottery_window(self) -> None:
        opens, closes = self.registration_opens_at, self.registration_closes_at
        if opens is None or closes is None:
            raise ValidationError(
                {"registration_closes_at": _("Un tirage au sort a besoin d'une période d'inscription.")}
            )
        if opens >= closes:
            raise ValidationError({"registration_closes_at": _("La clôture doit suivre l'ouverture des inscriptions.")})
        if self.date and self.site_id and closes.astimezone(self.site.zone).date() >= self.date:
            raise ValidationError(
                {"registration_closes_at": _("Le tirage doit avoir lieu avant le jour de l'ouverture.")}
            )

    @property
    def is_lottery(self) -> bool:
        return self.mode == self.Mode.LOTTERY

    @property
    def is_published(self) -> bool:
        return self.published_at is not None and self.published_at <= timezone.now()


class Slot(models.Model):
    """A time at which a counter receives people for one procedure.

    `capacity` places are open to everyone, online included; `reserved_capacity`
    more are kept for bookings agents make by phone or at the desk. Each share
    counts its own bookings, so the database itself refuses a public booking
    that would eat into the reserved share.
    """

    counter_type = models.ForeignKey(
        CounterType, on_delete=models.PROTECT, related_name="slots", verbose_name=_("démarche")
    )
    counter = models.ForeignKey(
        Counter, on_delete=models.PROTECT, null=True, blank=True, related_name="slots", verbose_name=_("guichet")
    )
    opening = models.ForeignKey(
        ExceptionalOpening,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="slots",
        verbose_name=_("ouverture exceptionnelle"),
    )
    starts_at = models.DateTimeField(_("début"))
    ends_at = models.DateTimeField(_("fin"))
    capacity = models.PositiveIntegerField(_("places"))
    booked = models.PositiveIntegerField(_("places prises"), default=0)
    reserved_capacity = models.PositiveIntegerField(
        _("places réservées aux agents"),
        default=0,
        help_text=_("Réservables seulement par un agent, pour une personne au téléphone ou à l'accueil."),
    )
    booked_reserved = models.PositiveIntegerField(_("places réservées prises"), default=0)
    capacity_set_by_hand = models.BooleanField(
        _("places fixées à la main"),
        default=False,
        editable=False,
        help_text=_("Les horaires hebdomadaires ne modifient plus les places de ce créneau."),
    )

    # Only changes made by hand are recorded: bookings move `booked` with a
    # queryset UPDATE, which leaves no history row.
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("créneau")
        verbose_name_plural = _("créneaux")
        ordering = ["starts_at", "counter_type_id", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(booked__lte=F("capacity")), name="slot_booked_within_capacity"),
            models.CheckConstraint(
                condition=Q(booked_reserved__lte=F("reserved_capacity")), name="slot_booked_reserved_within_reserved"
            ),
            models.CheckConstraint(condition=Q(starts_at__lt=F("ends_at")), name="slot_start_before_end"),
            models.CheckConstraint(
                condition=Q(counter__isnull=False) | Q(opening__isnull=False), name="slot_from_rule_or_opening"
            ),
            models.UniqueConstraint(
                fields=["counter", "counter_type", "starts_at"],
                condition=Q(opening__isnull=True),
                name="slot_unique_per_counter_type_and_start",
            ),
            models.UniqueConstraint(
                fields=["opening", "counter_type", "starts_at"],
                condition=Q(opening__isnull=False),
                name="slot_unique_per_opening_type_and_start",
            ),
        ]
        indexes = [models.Index(fields=["counter_type", "starts_at"], name="slot_type_start_idx")]

    def __str__(self) -> str:
        return f"{self.counter_type.name} · {self.starts_at.astimezone(self.counter_type.site.zone):%d/%m/%Y %H:%M}"

    @property
    def places_left(self) -> int:
        """Places the public may still take."""
        return self.capacity - self.booked

    @property
    def total_capacity(self) -> int:
        return self.capacity + self.reserved_capacity

    @property
    def total_booked(self) -> int:
        return self.booked + self.booked_reserved

    @property
    def staff_places_left(self) -> int:
        """Places an agent may still take: the public ones first, then the reserved ones."""
        return self.total_capacity - self.total_booked


class WithheldPlace(models.Model):
    """A public place freed by a cancellation, a move or an expired hold, not yet open to the public again.

    While withheld, the place still counts in its slot's `booked` (so the
    database keeps refusing to overbook); at `release_at`, a time drawn at
    random when it was freed, the release job first offers it to the waiting
    list, then gives it back to everyone. Nobody can book it in the second it
    is freed by refreshing faster than the others (booking.services.places).
    """

    class Reason(models.TextChoices):
        CANCELLED = "cancelled", _("Annulation")
        MOVED = "moved", _("Déplacement")
        EXPIRED = "expired", _("Réservation non confirmée")
        RELEASED = "released", _("Libéré à l'accueil")

    class Outcome(models.TextChoices):
        PUBLIC = "public", _("Rendue à tous")
        WAITING_LIST = "waiting_list", _("Donnée à la liste d'attente")

    slot = models.ForeignKey(Slot, on_delete=models.CASCADE, related_name="withheld_places", verbose_name=_("créneau"))
    reason = models.CharField(_("motif"), max_length=20, choices=Reason.choices)
    withheld_at = models.DateTimeField(_("libérée le"))
    release_at = models.DateTimeField(_("rendue disponible à partir du"))
    released_at = models.DateTimeField(_("rendue disponible le"), null=True, blank=True)
    outcome = models.CharField(_("devenir"), max_length=20, choices=Outcome.choices, blank=True, default="")

    class Meta:
        verbose_name = _("place retenue")
        verbose_name_plural = _("places retenues")
        ordering = ["release_at", "pk"]
        indexes = [
            # What the release job reads every minute: the few places still withheld, by release time.
            models.Index(fields=["release_at"], condition=Q(released_at__isnull=True), name="withheld_place_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.slot} · {self.get_reason_display()}"


class CatalogueVersion(models.Model):
    """One row whose number changes with every change to the sites and procedures (triggers of migration
    0017, in the same transaction as the change): each web process keeps the procedures it read, and
    reads them again when this number has moved (counters.selectors.get_bookable_counter_type)."""

    version = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return str(self.version)


class DayPlaces(models.Model):
    """The public places left on one day of a procedure (the site's days), all its slots together but a
    lottery opening's: kept by PostgreSQL triggers on slots, openings, procedures and sites (migration
    0018), in the transaction of each change, so the day list reads one row per day, not every slot."""

    # No database constraint: slots deleted with their procedure still count down on its rows, which a
    # trigger then removes with the procedure.
    counter_type = models.ForeignKey(CounterType, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    day = models.DateField()
    places_left = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["counter_type", "day"], name="day_places_unique")]

    def __str__(self) -> str:
        return f"{self.counter_type_id} {self.day}: {self.places_left}"
