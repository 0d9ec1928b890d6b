"""Named errors of the counters domain, each carrying a message a view or the admin can show as is."""

from django.utils.translation import gettext_lazy as _


class CountersError(Exception):
    default_message = _("La modification n'a pas pu être enregistrée.")

    def __init__(self, message=None, *, field: str | None = None):
        self.message = message or self.default_message
        self.field = field  # the form field at fault, when there is one
        super().__init__(str(self.message))


class CapacityBelowBooked(CountersError):
    default_message = _("On ne peut pas réduire les places d'un créneau en dessous des places déjà prises.")


class OpeningNotReady(CountersError):
    default_message = _("Choisissez au moins une démarche avant de publier cette ouverture.")


class OpeningOverlaps(CountersError):
    default_message = _("Une ouverture déjà publiée couvre ce jour et ces horaires pour une même démarche.")
