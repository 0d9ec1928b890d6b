"""Which sites a member of staff works at: they see and act on those sites' bookings and configuration only."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from counters.models import Site


class StaffProfile(models.Model):
    """A staff account's sites. Without one, or with no site, an agent sees no booking at all.

    A national administrator (a superuser, or anyone given `see_all_sites`) sees every site
    whatever is assigned here.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_profile", verbose_name=_("compte")
    )
    sites = models.ManyToManyField(
        Site,
        related_name="staff_profiles",
        blank=True,
        verbose_name=_("sites"),
        help_text=_(
            "Les sites dont l'agent voit l'agenda et les rendez-vous, et dont un chef de bureau gère la configuration."
        ),
    )

    # Who was given access to which site, and by whom, stays in the audit trail.
    history = HistoricalRecords(m2m_fields=[sites])

    class Meta:
        verbose_name = _("affectation")
        verbose_name_plural = _("affectations")
        permissions = [
            ("see_all_sites", _("Administrateur national : voit et configure tous les sites")),
            ("reset_second_factor", _("Peut réinitialiser la double authentification des agents de ses sites")),
        ]

    def __str__(self) -> str:
        return str(self.user)
