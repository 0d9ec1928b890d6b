"""Who may be received for which procedure, and on which days: the eligibility rules of each counter type.

One rule, two questions. `check_eligibility` answers "may this person be
received on this day?": the services ask it inside their transaction, for
every booking and every move, whoever makes it (resident, agent, a script).
`assess_eligibility` answers "where should this person go, and which days
may they choose?": the forms ask it before a day is chosen, so that only
days the check will accept are offered.

A renewal (of a residence permit or of a récépissé) is filed at an
appointment that falls in the two months before the document expires, at
the latest on its last day of validity. Whoever cannot get such an
appointment (already expired, or no free day left before expiry) goes to the
urgent counter for expired permits.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from counters.models import CounterType
from counters.selectors import booking_days, list_available_days

from .exceptions import NotEligible, OutsideRenewalWindow
from .models import ApplicationKind, Booking

RENEWAL_WINDOW_MONTHS = 2
RENEWALS = (ApplicationKind.PERMIT_RENEWAL, ApplicationKind.RECEIPT_RENEWAL)
Rule = CounterType.Eligibility


@dataclass(frozen=True)
class Answers:
    """What the person answered (or an agent typed for them) before choosing a day."""

    application_kind: str = ""
    permit_expires_on: dt.date | None = None
    card_ready: bool = False

    @property
    def is_renewal(self) -> bool:
        return self.application_kind in RENEWALS


@dataclass(frozen=True)
class DayRange:
    first: dt.date
    last: dt.date

    def __contains__(self, day: dt.date) -> bool:
        return self.first <= day <= self.last


@dataclass(frozen=True)
class EligibilityOutcome:
    counter_type: CounterType  # where the person is actually sent
    redirected: bool = False
    message: str = ""
    days: DayRange | None = None  # the only days this person may choose; None: any day of the booking window


def months_before(day: dt.date, months: int) -> dt.date:
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def answers_of(booking: Booking) -> Answers:
    """The answers a booking was made with; it was made, so a card to collect was ready."""
    return Answers(booking.application_kind, booking.permit_expires_on, card_ready=True)


def renewal_days(expires_on: dt.date) -> DayRange:
    """The days a renewal appointment may fall on: from two months before expiry to the expiry day."""
    return DayRange(months_before(expires_on, RENEWAL_WINDOW_MONTHS), expires_on)


def _has_free_renewal_day(counter_type: CounterType, *, expires_on: dt.date, now: dt.datetime) -> bool:
    """Whether a renewal day (within the booking window, which the selector applies) has a place left."""
    allowed = renewal_days(expires_on)
    return bool(list_available_days(counter_type, now=now, within=(allowed.first, allowed.last)))


def _site_today(counter_type: CounterType, now: dt.datetime) -> dt.date:
    return now.astimezone(ZoneInfo(counter_type.site.time_zone)).date()


def _date(day: dt.date) -> str:
    return formats.date_format(day, "DATE_FORMAT")


def check_answers(counter_type: CounterType, answers: Answers) -> None:
    """What must have been answered, whatever the day (raises NotEligible): a request made before any day
    is chosen (a lottery registration, a waiting-list entry) is checked so, then against its day."""
    rule = counter_type.eligibility
    if rule == Rule.RENEWAL and answers.application_kind not in ApplicationKind.values:
        raise NotEligible(
            _("Indiquez s'il s'agit d'une première demande ou d'un renouvellement."), field="application_kind"
        )
    needs_expiry = rule == Rule.EXPIRED_PERMIT or (rule == Rule.RENEWAL and answers.is_renewal)
    if needs_expiry and answers.permit_expires_on is None:
        raise NotEligible(
            _("Indiquez la date d'expiration de votre titre ou de votre récépissé."), field="permit_expires_on"
        )
    if rule == Rule.CARD_READY and not answers.card_ready:
        raise NotEligible(
            _(
                "Ce rendez-vous sert à retirer un titre déjà fabriqué : attendez l'avis (SMS ou e-mail) "
                "vous informant que votre titre est disponible."
            ),
            field="card_ready",
        )


def _renewal_routes(urgent: CounterType) -> list[CounterType]:
    """The renewal procedures that send people whose permit expires to this urgent counter."""
    routes = CounterType.objects.filter(urgent_counter_type=urgent, eligibility=Rule.RENEWAL, is_active=True)
    return list(routes.select_related("site"))


def _check_urgent(counter_type: CounterType, *, expires_on: dt.date, expired_by: dt.date, now: dt.datetime) -> None:
    """The urgent counter is for a permit expired by `expired_by`, or one that no renewal day can save."""
    if expires_on < expired_by:
        return
    routes = _renewal_routes(counter_type)
    if not routes or any(_has_free_renewal_day(route, expires_on=expires_on, now=now) for route in routes):
        raise NotEligible(
            _("Votre titre est encore valide : prenez rendez-vous pour un renouvellement."), field="permit_expires_on"
        )


def check_eligibility(
    *, counter_type: CounterType, on: dt.date, answers: Answers, now: dt.datetime | None = None
) -> None:
    """May the person be received for `counter_type` on `on` (the appointment's day, in the site's time zone)?

    Raises NotEligible, or OutsideRenewalWindow for a renewal whose day falls
    outside the two months before expiry.
    """
    now = now or timezone.now()
    check_answers(counter_type, answers)
    expires_on = answers.permit_expires_on
    if counter_type.eligibility == Rule.EXPIRED_PERMIT:
        _check_urgent(counter_type, expires_on=expires_on, expired_by=on, now=now)
    elif counter_type.eligibility == Rule.RENEWAL and answers.is_renewal:
        allowed = renewal_days(expires_on)
        if on > allowed.last:
            raise OutsideRenewalWindow(
                _(
                    "Votre titre expire le %(expiry)s : le rendez-vous de renouvellement doit avoir lieu au plus "
                    "tard ce jour-là. Choisissez un jour entre le %(first)s et le %(expiry)s ; s'il n'en reste "
                    "aucun, prenez rendez-vous au guichet des titres expirés."
                )
                % {"expiry": _date(expires_on), "first": _date(allowed.first)}
            )
        if on < allowed.first:
            raise OutsideRenewalWindow(
                _(
                    "Le renouvellement se dépose dans les deux mois qui précèdent l'expiration de votre titre : "
                    "choisissez un jour à partir du %(first)s."
                )
                % {"first": _date(allowed.first)}
            )


def assess_eligibility(
    *, counter_type: CounterType, answers: Answers, now: dt.datetime | None = None
) -> EligibilityOutcome:
    """Before a day is chosen: where the person goes, and the days they may choose there.

    Raises NotEligible when they cannot book online at all, OutsideRenewalWindow
    when it is too early (with the date to come back).
    """
    now = now or timezone.now()
    check_answers(counter_type, answers)
    expires_on = answers.permit_expires_on
    if counter_type.eligibility == Rule.EXPIRED_PERMIT:
        first_day, _last = booking_days(counter_type, now=now)
        _check_urgent(counter_type, expires_on=expires_on, expired_by=first_day, now=now)
    elif counter_type.eligibility == Rule.RENEWAL and answers.is_renewal:
        return _assess_renewal(counter_type, expires_on=expires_on, now=now)
    return EligibilityOutcome(counter_type=counter_type)


def _assess_renewal(counter_type: CounterType, *, expires_on: dt.date, now: dt.datetime) -> EligibilityOutcome:
    if expires_on < _site_today(counter_type, now):
        return _to_urgent(counter_type, _("Votre titre a expiré"))
    allowed = renewal_days(expires_on)
    if allowed.first > booking_days(counter_type, now=now)[1]:
        opens_on = allowed.first - dt.timedelta(days=counter_type.max_days_ahead)
        raise OutsideRenewalWindow(
            _(
                "Votre demande de renouvellement se dépose dans les deux mois qui précèdent l'expiration de "
                "votre titre. Vous pourrez prendre rendez-vous à partir du %(date)s."
            )
            % {"date": _date(opens_on)}
        )
    if not _has_free_renewal_day(counter_type, expires_on=expires_on, now=now):
        return _to_urgent(
            counter_type,
            _("Votre titre expire le %(date)s et aucun rendez-vous de renouvellement n'est libre d'ici là")
            % {"date": _date(expires_on)},
        )
    return EligibilityOutcome(counter_type=counter_type, days=allowed)


def _to_urgent(counter_type: CounterType, reason: str) -> EligibilityOutcome:
    urgent = counter_type.urgent_counter_type
    if urgent is None or not urgent.is_active:
        raise NotEligible(
            _("%(reason)s : contactez la préfecture, qui vous recevra en priorité.") % {"reason": reason},
            field="permit_expires_on",
        )
    return EligibilityOutcome(
        counter_type=urgent,
        redirected=True,
        message=_("%(reason)s : vous êtes orienté vers le guichet des titres expirés (« %(name)s »).")
        % {"reason": reason, "name": urgent.name},
    )


def bookable_days(counter_type: CounterType, *, answers: Answers) -> DayRange | None:
    """The days this person may choose (the booking window still applies), or None for any day."""
    if counter_type.eligibility != Rule.RENEWAL or not answers.is_renewal or answers.permit_expires_on is None:
        return None
    return renewal_days(answers.permit_expires_on)
