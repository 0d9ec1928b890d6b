"""Certificates saying that a person tried to book a procedure and no place was offered."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from counters.models import CounterType, Site

from .codes import display_code


class AttemptCertificate(models.Model):
    """What the server established when it issued a certificate, and its signature.

    The procedure's and site's names and the time zone are copied as they were:
    the certificate keeps saying what it said when the procedure is renamed.
    `signature` covers every fact (see `attestations.signature`); a row altered
    in the database no longer verifies.

    Personal data: `last_name` and `first_names` only, optional and declared by
    the person (never checked). They are covered by the signature through
    `name_digest`, not directly, so that a retention job may blank them
    (`erase_certificate_names`) while the certificate's other facts still verify.
    """

    code = models.CharField(_("code de vérification"), max_length=12, unique=True, editable=False)
    counter_type = models.ForeignKey(
        CounterType, on_delete=models.PROTECT, related_name="attempt_certificates", verbose_name=_("démarche")
    )
    site = models.ForeignKey(
        Site, on_delete=models.PROTECT, related_name="attempt_certificates", verbose_name=_("site")
    )
    procedure_name = models.CharField(_("démarche (libellé à la délivrance)"), max_length=200)
    site_name = models.CharField(_("site (libellé à la délivrance)"), max_length=200)
    time_zone = models.CharField(_("fuseau horaire"), max_length=50)
    issued_at = models.DateTimeField(_("délivrée le"))
    searched_from = models.DateField(_("période recherchée : du"))
    searched_until = models.DateField(_("période recherchée : au"))
    # Personal data, optional; blanked by erase_certificate_names after the retention period.
    last_name = models.CharField(_("nom déclaré"), max_length=150, blank=True)
    first_names = models.CharField(_("prénoms déclarés"), max_length=150, blank=True)
    name_digest = models.CharField(max_length=64, blank=True, editable=False)
    signature = models.CharField(_("signature"), max_length=64, editable=False)

    class Meta:
        verbose_name = _("attestation de tentative")
        verbose_name_plural = _("attestations de tentative")
        ordering = ["-issued_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(searched_from__lte=F("searched_until")), name="attempt_certificate_period_order"
            ),
        ]
        indexes = [models.Index(fields=["issued_at"], name="attempt_certificate_issued_idx")]

    def __str__(self) -> str:
        return f"{self.display_code} · {self.procedure_name}"

    @property
    def display_code(self) -> str:
        return display_code(self.code)

    @property
    def declared_name(self) -> str:
        return " ".join(part for part in (self.last_name.upper(), self.first_names) if part)

    @property
    def name_erased(self) -> bool:
        """A name was given, then blanked by the retention job."""
        return bool(self.name_digest) and not (self.last_name or self.first_names)
