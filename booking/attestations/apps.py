from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AttestationsConfig(AppConfig):
    name = "booking.attestations"
    label = "attestations"  # its tables and migrations keep this name
    verbose_name = _("Attestations de tentative")
