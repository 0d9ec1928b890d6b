from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuestionsConfig(AppConfig):
    name = "booking.questions"
    label = "questions"  # its tables and migrations keep this name
    verbose_name = _("Service de renseignements")
