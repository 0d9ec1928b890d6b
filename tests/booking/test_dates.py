"""Dates typed as day, month and year (booking.dates.DateParts, BoundedDateField)."""

import datetime as dt

import pytest
from django import forms

from booking.dates import BoundedDateField, DateParts


class DayForm(forms.Form):
    day = BoundedDateField(label="Jour")
    birth = BoundedDateField(label="Naissance", required=False, widget=DateParts(autocomplete="bday"))


def test_the_three_boxes_make_a_date_whatever_the_zeros_and_spaces():
    form = DayForm({"day_day": " 09", "day_month": "3", "day_year": "2030"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"day": dt.date(2030, 3, 9), "birth": None}


def test_digits_typed_on_an_arabic_keyboard_are_read():
    form = DayForm({"day_day": "٩", "day_month": "٣", "day_year": "٢٠٣٠"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == dt.date(2030, 3, 9)


def test_a_single_iso_value_is_still_read():
    """Links and scripts (an agenda's "next day", say) pass the date as one ISO value."""
    form = DayForm({"day": "2030-03-09"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == dt.date(2030, 3, 9)


@pytest.mark.parametrize(
    "parts, code",
    [
        (("", "", ""), "required"),
        (("9", "3", ""), "missing_year"),
        (("9", "", "2030"), "missing_month"),
        (("x", "3", "2030"), "bad_day"),
        (("²", "3", "2030"), "bad_day"),  # a digit int() cannot read: a message, not a 500
        (("9", "0", "2030"), "bad_month"),
        (("9", "3", "30"), "bad_year"),
        (("31", "4", "2030"), "impossible"),
        (("1", "1", "1850"), "out_of_bounds"),
    ],
)
def test_each_mistake_has_its_own_message(parts, code):
    form = DayForm(dict(zip(("day_day", "day_month", "day_year"), parts, strict=True)))
    assert not form.is_valid()
    assert [error.code for error in form.errors.as_data()["day"]] == [code]


def test_the_boxes_are_labelled_numeric_and_filled_back():
    html = str(DayForm(initial={"birth": dt.date(1988, 7, 14)})["birth"])
    assert html.count('inputmode="numeric"') == 3
    assert 'name="birth_day" value="14"' in html and 'autocomplete="bday-day"' in html
    assert 'name="birth_month" value="7"' in html and 'name="birth_year" value="1988"' in html
    assert ">Jour<" in html and ">Mois<" in html and ">Année<" in html
