"""Named errors of the booking domain, each carrying a message a view can show as is."""

from django.utils import formats
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _


class BookingError(Exception):
    default_message = _("Votre demande n'a pas pu être traitée.")

    def __init__(self, message=None, *, field: str | None = None):
        self.message = message or self.default_message
        self.field = field  # the form field the person should correct, when there is one
        super().__init__(str(self.message))


class SlotFull(BookingError):
    default_message = _(
        "Le dernier créneau que vous aviez choisi vient d'être pris. Choisissez-en un autre : "
        "vos informations sont conservées."
    )


class AlreadyBooked(BookingError):
    default_message = _(
        "Vous avez déjà un rendez-vous en cours pour cette démarche. Pour le consulter, le déplacer ou "
        "l'annuler, utilisez le lien reçu par e-mail lors de sa confirmation."
    )


class NotEligible(BookingError):
    default_message = _("Vous ne pouvez pas prendre ce rendez-vous en ligne.")


class OutsideRenewalWindow(NotEligible):
    pass


class ServiceBusy(BookingError):
    default_message = _(
        "Le service est très sollicité en ce moment. Votre demande n'a pas été enregistrée : "
        "réessayez dans quelques instants, vos informations sont conservées."
    )


class NotChangeable(BookingError):
    default_message = _(
        "Ce rendez-vous ne peut plus être modifié : il a été annulé ou a déjà eu lieu. "
        "Pour une nouvelle demande, prenez un nouveau rendez-vous."
    )


class ChangeTooLate(BookingError):
    """Too close to the appointment to cancel or move it online."""

    def __init__(self, hours: int):
        super().__init__(
            ngettext(
                "Votre rendez-vous a lieu dans moins d'%(hours)s heure : il ne peut plus être annulé ni déplacé "
                "en ligne. Si vous ne pouvez pas venir, appelez la préfecture.",
                "Votre rendez-vous a lieu dans moins de %(hours)s heures : il ne peut plus être annulé ni déplacé "
                "en ligne. Si vous ne pouvez pas venir, appelez la préfecture.",
                hours,
            )
            % {"hours": hours}
        )


class SameTime(BookingError):
    default_message = _("Votre rendez-vous est déjà à cet horaire : choisissez-en un autre.")


class MoveSlotTaken(SlotFull):
    default_message = _(
        "Cet horaire vient d'être pris par une autre personne. Votre rendez-vous n'a pas changé : "
        "choisissez un autre horaire."
    )


class StatusChangeRefused(BookingError):
    default_message = _("Ce rendez-vous ne peut pas passer à ce statut.")


class NotOnAppointmentDay(StatusChangeRefused):
    default_message = _("Ce rendez-vous n'est pas prévu aujourd'hui.")


class AlreadyCheckedIn(StatusChangeRefused):
    """The arrival was already recorded (a convocation scanned twice): nothing to do, and no error."""

    def __init__(self, booking, *, time_zone):
        values = {"reference": booking.display_reference}
        if booking.checked_in_at is None:
            message = gettext("%(reference)s : arrivée déjà enregistrée.") % values
        else:
            values["time"] = formats.time_format(booking.checked_in_at.astimezone(time_zone), "H:i")
            message = gettext("%(reference)s : arrivée déjà enregistrée à %(time)s.") % values
        super().__init__(message)


class HoldExpired(BookingError):
    default_message = _(
        "Le délai pour confirmer cette réservation est dépassé : la place a été rendue. "
        "Vous pouvez choisir un nouveau créneau."
    )


class WrongCode(BookingError):
    """The code typed does not match; `remaining` tries are left."""

    def __init__(self, remaining: int):
        self.remaining = remaining
        super().__init__(
            ngettext(
                "Ce code ne correspond pas. Vérifiez le dernier e-mail reçu : il vous reste %(count)s essai.",
                "Ce code ne correspond pas. Vérifiez le dernier e-mail reçu : il vous reste %(count)s essais.",
                remaining,
            )
            % {"count": remaining}
        )


class TooManyCodeAttempts(BookingError):
    default_message = _(
        "Trop de codes erronés ont été saisis : le code ne peut plus être utilisé. Ouvrez le lien reçu dans "
        "l'e-mail pour confirmer votre rendez-vous."
    )


class MoveLimitReached(BookingError):
    """The procedure's number of moves is used up (CounterType.max_moves)."""

    def __init__(self, max_moves: int):
        super().__init__(
            ngettext(
                "Ce rendez-vous a déjà été déplacé %(count)s fois, le maximum pour cette démarche : il ne peut plus "
                "être déplacé. Vous pouvez l'annuler et en prendre un autre.",
                "Ce rendez-vous a déjà été déplacé %(count)s fois, le maximum pour cette démarche : il ne peut plus "
                "être déplacé. Vous pouvez l'annuler et en prendre un autre.",
                max_moves,
            )
            % {"count": max_moves}
            if max_moves
            else gettext("Cette démarche ne permet pas de déplacer un rendez-vous en ligne.")
        )


class TooManyCancellations(BookingError):
    """Cancel-and-rebook cycles are limited per identity: a way to hand a place over to a buyer."""

    def __init__(self, *, cancellations: int, days: int):
        super().__init__(
            gettext(
                "Trop de rendez-vous pris avec ces coordonnées ont été annulés ces %(days)s derniers jours : un "
                "nouveau rendez-vous ne peut pas être pris en ligne pour le moment. Appelez la préfecture ou "
                "présentez-vous à l'accueil."
            )
            % {"days": days}
        )


class AddressCheckExpired(BookingError):
    """A registration's or a waiting-list entry's address was not confirmed in time (or no longer needs it)."""

    default_message = _(
        "Le délai pour confirmer votre adresse e-mail est dépassé : votre demande n'a pas été enregistrée. "
        "Vous pouvez la refaire."
    )


class RegistrationClosed(BookingError):
    default_message = _("Les inscriptions à ce tirage au sort ne sont pas ouvertes en ce moment.")


class OfferGone(BookingError):
    default_message = _(
        "Cette proposition n'est plus valable : le délai pour l'accepter est passé, ou elle a déjà reçu une réponse. "
        "La place a été proposée à la personne suivante."
    )


class QuestionChanged(BookingError):
    """Someone else answered, replied or took the question since the agent opened it."""

    default_message = _(
        "Cette question a changé depuis que vous l'avez ouverte (une autre réponse, une autre affectation). "
        "Relisez-la : votre texte est conservé ci-dessous."
    )


class ReplyNotAllowed(BookingError):
    default_message = _(
        "Vous avez déjà répondu à cette réponse, ou la question est close. Pour une nouvelle question, "
        "utilisez le formulaire « Poser une question »."
    )


class TopicUnavailable(BookingError):
    default_message = _("Ce thème n'est pas proposé pour ce site : choisissez dans la liste.")


class NotYourSite(BookingError):
    default_message = _("Cette question relève d'un autre site que les vôtres.")


class ErasureRefused(BookingError):
    """A resident may have their booking's data deleted once the appointment is past, not before."""

    default_message = _(
        "Vous pourrez demander la suppression de vos données à partir du lendemain de votre rendez-vous. "
        "D'ici là, vous pouvez l'annuler."
    )
