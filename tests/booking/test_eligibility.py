import datetime as dt

import pytest

from booking.eligibility import Answers, DayRange, assess_eligibility, check_eligibility, months_before
from booking.exceptions import NotEligible, OutsideRenewalWindow
from booking.models import ApplicationKind
from counters.models import CounterType
from tests.factories import CounterTypeFactory, SlotFactory, at

pytestmark = pytest.mark.django_db
NOW = at(dt.date(2026, 11, 10), 10)  # a Tuesday
EXPIRY = dt.date(2027, 1, 15)  # a Friday
Rule = CounterType.Eligibility
Kind = ApplicationKind
RENEWAL = Answers(Kind.PERMIT_RENEWAL, EXPIRY)


@pytest.fixture
def renewal():
    urgent = CounterTypeFactory(eligibility=Rule.EXPIRED_PERMIT, name="Titre expiré")
    return CounterTypeFactory(
        site=urgent.site, eligibility=Rule.RENEWAL, urgent_counter_type=urgent, min_days_ahead=1, max_days_ahead=90
    )


def check(counter_type, on, answers=RENEWAL):
    return check_eligibility(counter_type=counter_type, on=on, answers=answers, now=NOW)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2026, 12, 31), dt.date(2026, 10, 31)),
        (dt.date(2027, 4, 30), dt.date(2027, 2, 28)),
        (dt.date(2027, 1, 15), dt.date(2026, 11, 15)),
    ],
)
def test_months_before_clamps_to_the_end_of_shorter_months(day, expected):
    assert months_before(day, 2) == expected


@pytest.mark.parametrize("kind", [Kind.PERMIT_RENEWAL, Kind.RECEIPT_RENEWAL])
def test_renewal_on_a_day_within_two_months_before_expiry_is_accepted(renewal, kind):
    for day in (dt.date(2026, 11, 15), dt.date(2026, 12, 1), EXPIRY):
        check(renewal, day, Answers(kind, EXPIRY))


def test_renewal_refused_after_expiry(renewal):
    with pytest.raises(OutsideRenewalWindow) as refusal:
        check(renewal, dt.date(2027, 1, 18))
    assert "15 janvier 2027" in str(refusal.value.message)


def test_renewal_refused_more_than_two_months_before_expiry(renewal):
    with pytest.raises(OutsideRenewalWindow) as refusal:
        check(renewal, dt.date(2026, 11, 13))
    assert "à partir du 15 novembre 2026" in str(refusal.value.message)


def test_first_application_needs_no_expiry_date(renewal):
    check(renewal, dt.date(2027, 6, 1), Answers(Kind.FIRST))


def test_renewal_procedure_asks_first_application_or_renewal_then_the_expiry_date(renewal):
    with pytest.raises(NotEligible) as no_kind:
        check(renewal, EXPIRY, Answers(permit_expires_on=EXPIRY))
    assert no_kind.value.field == "application_kind"
    with pytest.raises(NotEligible) as no_expiry:
        check(renewal, EXPIRY, Answers(Kind.RECEIPT_RENEWAL))
    assert no_expiry.value.field == "permit_expires_on"


def test_urgent_counter_takes_a_permit_expired_by_the_appointment_day(renewal):
    urgent = renewal.urgent_counter_type
    check(urgent, dt.date(2026, 11, 12), Answers(permit_expires_on=dt.date(2026, 11, 11)))


def test_urgent_counter_refuses_a_valid_permit_while_a_renewal_day_is_free(renewal):
    SlotFactory(counter_type=renewal, starts_at=at(dt.date(2026, 12, 14), 9))
    with pytest.raises(NotEligible, match="encore valide"):
        check(renewal.urgent_counter_type, dt.date(2026, 11, 12), Answers(permit_expires_on=dt.date(2026, 12, 20)))


def test_urgent_counter_takes_a_valid_permit_no_renewal_day_can_save(renewal):
    SlotFactory(counter_type=renewal, starts_at=at(dt.date(2026, 12, 21), 9))  # the day after expiry
    check(renewal.urgent_counter_type, dt.date(2026, 11, 12), Answers(permit_expires_on=dt.date(2026, 12, 20)))


def test_urgent_counter_without_a_renewal_procedure_refuses_a_permit_still_valid_that_day():
    urgent = CounterTypeFactory(eligibility=Rule.EXPIRED_PERMIT)
    with pytest.raises(NotEligible, match="encore valide"):
        check(urgent, dt.date(2026, 11, 12), Answers(permit_expires_on=dt.date(2026, 11, 12)))
    check(urgent, dt.date(2026, 11, 12), Answers(permit_expires_on=dt.date(2026, 11, 11)))


def test_card_delivery_needs_the_availability_notice():
    cards = CounterTypeFactory(eligibility=Rule.CARD_READY)
    with pytest.raises(NotEligible):
        check(cards, EXPIRY, Answers())
    check(cards, EXPIRY, Answers(card_ready=True))


def assess(counter_type, answers=RENEWAL):
    return assess_eligibility(counter_type=counter_type, answers=answers, now=NOW)


def test_renewal_is_offered_the_days_from_two_months_before_expiry_to_expiry(renewal):
    SlotFactory(counter_type=renewal, starts_at=at(dt.date(2027, 1, 15), 9))
    outcome = assess(renewal)
    assert outcome.counter_type == renewal and not outcome.redirected
    assert outcome.days == DayRange(dt.date(2026, 11, 15), EXPIRY)


def test_renewal_too_early_is_refused_with_the_date_to_come_back(renewal):
    # Appointment days open 90 days ahead (to 8 February); the renewal days start on 20 March.
    with pytest.raises(OutsideRenewalWindow) as refusal:
        assess(renewal, Answers(Kind.PERMIT_RENEWAL, dt.date(2027, 5, 20)))
    assert "à partir du 20 décembre 2026" in str(refusal.value.message)


def test_expired_permit_is_sent_to_the_urgent_counter(renewal):
    outcome = assess(renewal, Answers(Kind.PERMIT_RENEWAL, dt.date(2026, 11, 9)))
    assert outcome.redirected and outcome.counter_type == renewal.urgent_counter_type
    assert "Titre expiré" in outcome.message


def test_permit_expiring_before_the_first_free_day_is_sent_to_the_urgent_counter(renewal):
    SlotFactory(counter_type=renewal, starts_at=at(dt.date(2026, 11, 23), 9))  # the first free day
    outcome = assess(renewal, Answers(Kind.PERMIT_RENEWAL, dt.date(2026, 11, 20)))
    assert outcome.redirected and outcome.counter_type == renewal.urgent_counter_type
    assert "20 novembre 2026" in outcome.message and "aucun rendez-vous de renouvellement" in outcome.message


def test_expired_permit_without_urgent_counter_is_refused_with_a_way_in():
    renewal = CounterTypeFactory(eligibility=Rule.RENEWAL)
    with pytest.raises(NotEligible, match="contactez la préfecture"):
        assess(renewal, Answers(Kind.PERMIT_RENEWAL, dt.date(2026, 1, 1)))


def test_first_application_is_offered_every_day(renewal):
    outcome = assess(renewal, Answers(Kind.FIRST))
    assert outcome.counter_type == renewal and outcome.days is None
