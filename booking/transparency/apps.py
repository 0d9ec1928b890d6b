from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TransparencyConfig(AppConfig):
    name = "booking.transparency"
    label = "transparency"  # its tables and migrations keep this name
    verbose_name = _("Transparence")
