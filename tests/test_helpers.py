"""The suite's own helpers: days known to be working days, a fast password hasher."""

import datetime as dt

from tests.factories import next_weekday

MONDAY, SATURDAY = 0, 5


def test_next_monday_from_the_wednesday_before_easter_is_not_easter_monday():
    assert next_weekday(MONDAY, after=dt.date(2027, 3, 24)) == dt.date(2027, 4, 5)


def test_later_mondays_skip_two_public_holidays_in_a_row():
    sunday = dt.date(2028, 4, 30)  # 1 and 8 May 2028 are Mondays
    assert [next_weekday(MONDAY, after=sunday, weeks=n) for n in range(2)] == [
        dt.date(2028, 5, 15),
        dt.date(2028, 5, 22),
    ]


def test_next_saturday_skips_christmas_and_new_year():
    assert next_weekday(SATURDAY, after=dt.date(2027, 12, 20)) == dt.date(2028, 1, 8)


def test_staff_passwords_are_hashed_with_the_fast_test_hasher(agent):
    assert agent.password.startswith("md5$")
