"""LongSelect writes the same HTML as Django's Select, without a template per option."""

import re

import pytest
from django import forms

from booking.forms import IdentityForm
from prefecture.forms import LongSelect


def html(form: forms.Form, widget_class) -> str:
    field = form.fields["nationality"]
    field.widget = widget_class(choices=field.choices)
    written = form["nationality"].as_widget(attrs={"class": "fr-select", "aria-describedby": "nationality-messages"})
    return re.sub(r">\s+<", "><", written.strip())


@pytest.mark.parametrize(
    "form",
    [
        lambda: IdentityForm(),
        lambda: IdentityForm(initial={"nationality": "MA"}),
        lambda: IdentityForm(data={"nationality": '"><script>'}),
    ],
    ids=["empty", "chosen", "hostile value"],
)
def test_the_same_html_as_djangos_select(form):
    ours, django = html(form(), LongSelect), html(form(), forms.Select)

    assert ours == django
    assert "<script>" not in ours


def test_the_chosen_country_is_selected():
    written = str(IdentityForm(initial={"nationality": "MA"})["nationality"])

    assert '<option value="MA" selected>' in written and written.count(" selected") == 1


def test_option_groups_are_refused_rather_than_written_wrong():
    widget = LongSelect(choices=[("Afrique", [("MA", "Maroc")])])

    with pytest.raises(ValueError):
        widget.render("nationality", "MA")
