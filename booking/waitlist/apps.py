from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WaitlistConfig(AppConfig):
    name = "booking.waitlist"
    label = "waitlist"  # its tables and migrations keep this name
    verbose_name = _("Listes d'attente")

    def ready(self):
        from counters.signals import opening_slots_created

        from .services import offer_new_opening

        # A new opening's places go to the waiting list before anyone else can see them.
        opening_slots_created.connect(offer_new_opening, dispatch_uid="waitlist-offer-new-opening")
