import datetime as dt

import pytest

from booking.eligibility import check_eligibility, months_before
from booking.exceptions import NotEligible, OutsideRenewalWindow
from counters.models import CounterType
from tests.factories import CounterTypeFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 24)
Rule = CounterType.Eligibility


@pytest.fixture
def renewal():
    urgent = CounterTypeFactory(eligibility=Rule.EXPIRED_PERMIT, name="Titre expiré")
    return CounterTypeFactory(site=urgent.site, eligibility=Rule.RENEWAL, urgent_counter_type=urgent)


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


def test_renewal_more_than_two_months_ahead_is_refused_with_the_opening_date(renewal):
    with pytest.raises(OutsideRenewalWindow) as refusal:
        check_eligibility(counter_type=renewal, today=TODAY, permit_expires_on=dt.date(2027, 3, 10))
    assert "10 janvier 2027" in str(refusal.value.message)


def test_renewal_within_two_months_is_accepted(renewal):
    for expiry in (dt.date(2027, 1, 24), TODAY, dt.date(2026, 12, 1)):
        outcome = check_eligibility(counter_type=renewal, today=TODAY, permit_expires_on=expiry)
        assert outcome.counter_type == renewal and not outcome.redirected


def test_expired_permit_is_sent_to_the_urgent_counter(renewal):
    outcome = check_eligibility(counter_type=renewal, today=TODAY, permit_expires_on=TODAY - dt.timedelta(days=1))
    assert outcome.redirected and outcome.counter_type == renewal.urgent_counter_type
    assert "Titre expiré" in outcome.message


def test_expired_permit_without_urgent_counter_is_refused_with_a_way_in():
    renewal = CounterTypeFactory(eligibility=Rule.RENEWAL)
    with pytest.raises(NotEligible, match="contactez la préfecture"):
        check_eligibility(counter_type=renewal, today=TODAY, permit_expires_on=dt.date(2026, 1, 1))


def test_urgent_counter_refuses_a_permit_still_valid():
    urgent = CounterTypeFactory(eligibility=Rule.EXPIRED_PERMIT)
    with pytest.raises(NotEligible, match="encore valide"):
        check_eligibility(counter_type=urgent, today=TODAY, permit_expires_on=TODAY)
    assert check_eligibility(counter_type=urgent, today=TODAY, permit_expires_on=dt.date(2026, 11, 1))


def test_card_delivery_needs_the_availability_notice():
    cards = CounterTypeFactory(eligibility=Rule.CARD_READY)
    with pytest.raises(NotEligible):
        check_eligibility(counter_type=cards, today=TODAY, card_ready=False)
    assert check_eligibility(counter_type=cards, today=TODAY, card_ready=True).counter_type == cards
