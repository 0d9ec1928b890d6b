"""Who may book which procedure: the eligibility rules of each counter type."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from django.utils import formats
from django.utils.translation import gettext as _

from counters.models import CounterType

from .exceptions import NotEligible, OutsideRenewalWindow

RENEWAL_WINDOW_MONTHS = 2


@dataclass(frozen=True)
class EligibilityOutcome:
    counter_type: CounterType  # where the person is actually sent
    redirected: bool = False
    message: str = ""


def months_before(day: dt.date, months: int) -> dt.date:
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def check_eligibility(
    *, counter_type: CounterType, today: dt.date, permit_expires_on: dt.date | None = None, card_ready: bool = False
) -> EligibilityOutcome:
    """Apply the counter type's rule to the answers; raise NotEligible with the reason."""
    rule = counter_type.eligibility
    Rule = CounterType.Eligibility
    if rule == Rule.RENEWAL:
        return _check_renewal(counter_type, today, permit_expires_on)
    if rule == Rule.EXPIRED_PERMIT:
        if permit_expires_on is None:
            raise NotEligible(_("Indiquez la date d'expiration de votre titre."))
        if permit_expires_on >= today:
            raise NotEligible(_("Votre titre est encore valide : prenez rendez-vous pour un renouvellement."))
    elif rule == Rule.CARD_READY and not card_ready:
        raise NotEligible(
            _(
                "Ce rendez-vous sert à retirer un titre déjà fabriqué : attendez l'avis (SMS ou e-mail) "
                "vous informant que votre titre est disponible."
            )
        )
    return EligibilityOutcome(counter_type=counter_type)


def _check_renewal(counter_type: CounterType, today: dt.date, expires_on: dt.date | None) -> EligibilityOutcome:
    if expires_on is None:
        raise NotEligible(_("Indiquez la date d'expiration de votre titre."))
    if expires_on < today:
        urgent = counter_type.urgent_counter_type
        if urgent is None or not urgent.is_active:
            raise NotEligible(_("Votre titre a expiré : contactez la préfecture, qui vous recevra en priorité."))
        return EligibilityOutcome(
            counter_type=urgent,
            redirected=True,
            message=_("Votre titre a expiré : vous êtes orienté vers le guichet des titres expirés (« %(name)s »).")
            % {"name": urgent.name},
        )
    opens_on = months_before(expires_on, RENEWAL_WINDOW_MONTHS)
    if today < opens_on:
        raise OutsideRenewalWindow(
            _(
                "Votre demande de renouvellement se dépose dans les deux mois qui précèdent l'expiration de "
                "votre titre. Vous pourrez prendre rendez-vous à partir du %(date)s."
            )
            % {"date": formats.date_format(opens_on, "DATE_FORMAT")}
        )
    return EligibilityOutcome(counter_type=counter_type)
