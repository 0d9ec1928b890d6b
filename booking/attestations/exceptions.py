"""Named errors of certificates, each carrying a message a view can show as is."""

from django.utils.translation import gettext_lazy as _


class AttestationError(Exception):
    default_message = _("L'attestation n'a pas pu être délivrée.")

    def __init__(self, message=None):
        self.message = message or self.default_message
        super().__init__(str(self.message))


class PlacesAvailable(AttestationError):
    """The fact to certify is false: the procedure has a bookable place right now."""

    default_message = _(
        "Des créneaux sont disponibles pour cette démarche en ce moment : aucune attestation ne peut être "
        "délivrée. Réservez l'un de ces créneaux."
    )
