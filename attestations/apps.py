from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AttestationsConfig(AppConfig):
    name = "attestations"
    verbose_name = _("Attestations de tentative")
