from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StaffSitesConfig(AppConfig):
    name = "counters.staff_sites"
    label = "staff_sites"  # its tables and migrations keep this name
    verbose_name = _("Affectation des agents")
