"""Content of the public information pages that staff write: the frequently asked questions."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from counters.models import Site


class FaqTopic(models.TextChoices):
    """What a question is about: lets other pages (the information service) pick the entries that fit."""

    BOOKING = "booking", _("Prendre, déplacer ou annuler un rendez-vous")
    RENEWAL = "renewal", _("Renouvellement d'un titre")
    FIRST_APPLICATION = "first_application", _("Première demande")
    CARD_DELIVERY = "card_delivery", _("Remise du titre")
    DOCUMENTS = "documents", _("Pièces à apporter")
    DRIVING_LICENCE = "driving_licence", _("Permis de conduire")
    FRAUD = "fraud", _("Rendez-vous payants et fraudes")
    OTHER = "other", _("Autre")


class FaqEntryQuerySet(models.QuerySet):
    def for_site(self, site: Site | None):
        """The entries for every site, and those for `site` when one is given."""
        general = models.Q(site__isnull=True)
        return self.filter(general | models.Q(site=site) if site is not None else general)


class FaqEntry(models.Model):
    """A question and its answer, in French first; translated by staff (prefecture/translation.py)."""

    question = models.CharField(_("question"), max_length=300)
    answer = models.TextField(_("réponse"), help_text=_("En phrases courtes. Un paragraphe par ligne."))
    topic = models.CharField(_("thème"), max_length=30, choices=FaqTopic.choices, default=FaqTopic.OTHER)
    site = models.ForeignKey(
        Site,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="faq_entries",
        verbose_name=_("site"),
        help_text=_("Vide : la question vaut pour tous les sites."),
    )
    position = models.PositiveSmallIntegerField(_("ordre d'affichage"), default=0)
    is_published = models.BooleanField(_("publiée"), default=True)

    objects = FaqEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("question fréquente")
        verbose_name_plural = _("questions fréquentes")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.question

    @property
    def paragraphs(self) -> list[str]:
        return [line.strip() for line in self.answer.splitlines() if line.strip()]
