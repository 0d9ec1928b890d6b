from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LotteryConfig(AppConfig):
    name = "booking.lottery"
    label = "lottery"  # its tables and migrations keep this name
    verbose_name = _("Tirages au sort")
