"""What every form of the site shares: its crispy layout on the DSFR template pack."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit


class DsfrSubmit(Submit):
    field_classes = ""


def submit_helper(label) -> FormHelper:
    """A helper that lays out the fields and one submit button; the template writes the <form> tag."""
    helper = FormHelper()
    helper.form_tag = False
    helper.template_pack = "dsfr_crispy"
    helper.add_input(DsfrSubmit("submit", label))
    return helper
