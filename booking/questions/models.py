"""Questions written by residents and the team's answers; the phone service's log."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from booking.address_check import AddressCheck
from booking.models import Booking
from counters.models import Site
from prefecture.models import FaqTopic


class Topic(models.Model):
    """What a question is about, as residents choose it; staff configure the list (translated)."""

    name = models.CharField(_("nom"), max_length=150)
    site = models.ForeignKey(
        Site,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="question_topics",
        verbose_name=_("site"),
        help_text=_("Vide : le thème vaut pour tous les sites."),
    )
    # The FAQ entries shown to whoever picks this topic, before they write.
    faq_topic = models.CharField(_("thème de la FAQ"), max_length=30, choices=FaqTopic.choices, blank=True, default="")
    position = models.PositiveSmallIntegerField(_("ordre d'affichage"), default=0)
    is_active = models.BooleanField(_("actif"), default=True)

    class Meta:
        verbose_name = _("thème de question")
        verbose_name_plural = _("thèmes de question")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.name


class Question(AddressCheck):
    """A resident's written question and its thread (`messages`), from the proved address to closing."""

    OUTBOX_FIELD = "question"  # its e-mails' field in the outbox

    class Status(models.TextChoices):
        PENDING = "pending", _("Adresse à confirmer")
        OPEN = "open", _("À traiter")
        ANSWERED = "answered", _("En attente de la personne")
        CLOSED = "closed", _("Close")

    # What the resident may still do: reply once to an answer.
    MAX_RESIDENT_REPLIES = 1

    reference = models.CharField(_("référence"), max_length=12, unique=True, editable=False)
    # The resident's link (their thread, their one reply, their opinion); never shown to anyone else.
    token = models.CharField(max_length=64, unique=True, editable=False)
    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="questions", verbose_name=_("site"))
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="questions", verbose_name=_("thème"))
    file_number = models.CharField(_("numéro de dossier"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    language = models.CharField(_("langue"), max_length=10, default="fr")
    status = models.CharField(_("statut"), max_length=10, choices=Status.choices, default=Status.PENDING)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_questions",
        verbose_name=_("agent"),
    )
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    # When the address was proved: the question reaches the team then (the inbox's order, the delays).
    received_at = models.DateTimeField(_("reçue le"), null=True, blank=True, editable=False)
    first_answered_at = models.DateTimeField(_("première réponse le"), null=True, blank=True, editable=False)
    last_activity_at = models.DateTimeField(_("dernier échange le"), null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(_("close le"), null=True, blank=True, editable=False)
    message_count = models.PositiveSmallIntegerField(_("messages"), default=0, editable=False)
    resident_replies = models.PositiveSmallIntegerField(_("réponses de la personne"), default=0, editable=False)
    helpful = models.BooleanField(_("réponse utile"), null=True, blank=True)
    # An appointment booked for the resident at the information counter, as an answer.
    booking = models.ForeignKey(Booking, on_delete=models.SET_NULL, null=True, blank=True, related_name="questions")
    anonymised_at = models.DateTimeField(_("anonymisée le"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("question écrite")
        verbose_name_plural = _("questions écrites")
        ordering = ["received_at", "pk"]
        permissions = [("answer_question", _("Traiter les questions écrites et le téléphone"))]
        constraints = [
            models.CheckConstraint(condition=Q(resident_replies__lte=1), name="question_resident_replies_once"),
            models.CheckConstraint(
                condition=Q(status="pending") | Q(received_at__isnull=False), name="question_received_when_proved"
            ),
            models.CheckConstraint(
                condition=~Q(status="answered") | Q(first_answered_at__isnull=False),
                name="question_answered_has_first_answer",
            ),
        ]
        indexes = [
            # The inbox: a site's questions in one state, oldest first (topic and agent narrow further). The
            # primary key ends each index as it ends the order, so that a page is read in order, never sorted.
            models.Index(fields=["site", "status", "received_at", "id"], name="question_inbox_idx"),
            models.Index(fields=["site", "status", "topic", "received_at", "id"], name="question_inbox_topic_idx"),
            models.Index(fields=["assigned_to", "status", "received_at", "id"], name="question_inbox_mine_idx"),
            models.Index(
                fields=["site", "received_at", "id"],
                condition=Q(status="open", assigned_to__isnull=True),
                name="question_unassigned_idx",
            ),
            # Every site's (a national administrator's inbox).
            models.Index(fields=["status", "received_at", "id"], name="question_inbox_all_idx"),
            # The figures and the retention job.
            models.Index(fields=["site", "first_answered_at"], name="question_answered_idx"),
            models.Index(
                fields=["last_activity_at"], condition=Q(anonymised_at__isnull=True), name="question_retention_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def may_reply(self) -> bool:
        """The resident replies once, to an answer."""
        return (
            self.status == self.Status.ANSWERED
            and self.resident_replies < self.MAX_RESIDENT_REPLIES
            and self.anonymised_at is None
        )


class Message(models.Model):
    """One message of a thread: the question, an answer, the resident's reply. Every one is kept."""

    class Author(models.TextChoices):
        RESIDENT = "resident", _("La personne")
        AGENT = "agent", _("L'équipe")

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="messages")
    number = models.PositiveSmallIntegerField(_("numéro"))
    author = models.CharField(_("auteur"), max_length=10, choices=Author.choices)
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    body = models.TextField(_("message"))
    created_at = models.DateTimeField(_("écrit le"))

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["question", "number"]
        constraints = [
            # The n-th message of a thread, once: two agents answering at once cannot both be the next.
            models.UniqueConstraint(fields=["question", "number"], name="question_message_number_unique"),
            models.CheckConstraint(
                condition=Q(author="resident", agent__isnull=True) | Q(author="agent"),
                name="question_message_resident_has_no_agent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question} #{self.number}"


class ReplyTemplate(models.Model):
    """A saved answer for a topic, in every language the site answers in (translated), with placeholders."""

    title = models.CharField(_("titre"), max_length=150)
    body = models.TextField(
        _("texte"),
        help_text=_(
            "Champs remplacés à l'envoi : {reference} (la question), {file_number} (le dossier), "
            "{site} (le site), {phone} (son téléphone)."
        ),
    )
    topic = models.ForeignKey(
        Topic,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reply_templates",
        verbose_name=_("thème"),
        help_text=_("Vide : pour tous les thèmes."),
    )
    site = models.ForeignKey(
        Site,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reply_templates",
        verbose_name=_("site"),
        help_text=_("Vide : pour tous les sites."),
    )
    position = models.PositiveSmallIntegerField(_("ordre d'affichage"), default=0)

    class Meta:
        verbose_name = _("réponse type")
        verbose_name_plural = _("réponses types")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title


class Note(models.Model):
    """An agent's note on a thread, for the team only: never sent."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="notes")
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    body = models.TextField(_("note"))
    created_at = models.DateTimeField(_("écrite le"))

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        ordering = ["question", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.question} · {self.created_at:%Y-%m-%d}"


class PhoneCall(models.Model):
    """A call the phone service took: what about, where, and how it ended. Nobody's name."""

    class Outcome(models.TextChoices):
        ANSWERED = "answered", _("Réponse donnée")
        TRANSFERRED = "transferred", _("Transféré")

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="phone_calls", verbose_name=_("site"))
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="phone_calls", verbose_name=_("thème"))
    outcome = models.CharField(_("issue"), max_length=12, choices=Outcome.choices)
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    booking = models.ForeignKey(
        Booking, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("rendez-vous")
    )
    called_at = models.DateTimeField(_("appel le"))

    class Meta:
        verbose_name = _("appel téléphonique")
        verbose_name_plural = _("appels téléphoniques")
        ordering = ["-called_at"]
        indexes = [models.Index(fields=["site", "called_at"], name="phone_call_site_day_idx")]

    def __str__(self) -> str:
        return f"{self.site} · {self.called_at:%Y-%m-%d %H:%M}"
