from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BookingConfig(AppConfig):
    name = "booking"
    verbose_name = _("Rendez-vous")

    def ready(self):
        from django.core import checks
        from django.db.backends.signals import connection_created

        from .pdf_text import check_fonts

        checks.register(check_fonts)

        from .search import register_sqlite_functions

        connection_created.connect(register_sqlite_functions, dispatch_uid="booking-sqlite-functions")
