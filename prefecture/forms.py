"""What every form of the site shares: its crispy layout on the DSFR template pack."""

from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.html import escape
from django.utils.safestring import mark_safe


class DsfrSubmit(Submit):
    field_classes = ""


def submit_helper(label) -> FormHelper:
    """A helper that lays out the fields and one submit button; the template writes the <form> tag."""
    helper = FormHelper()
    helper.form_tag = False
    helper.template_pack = "dsfr_crispy"
    helper.add_input(DsfrSubmit("submit", label))
    return helper


def _attributes(attrs: dict) -> str:
    """As django/forms/widgets/attrs.html writes them: False left out, True as a bare name."""
    return "".join(
        f" {name}" if value is True else f' {name}="{escape(value)}"'
        for name, value in attrs.items()
        if value is not False and value is not None
    )


class LongSelect(forms.Select):
    """A select whose options are written in Python, not by one template each: the same HTML as Django's
    select.html, for lists of hundreds of options (the nationalities: ~11 ms of the identity page's CPU
    through the templates, a fraction of a millisecond so). Options only, no groups."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [f'<select name="{escape(widget["name"])}"{_attributes(widget["attrs"])}>']
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                raise ValueError("LongSelect writes no option groups")
            parts.extend(
                f'<option value="{escape(option["value"])}"{_attributes(option["attrs"])}>'
                f"{escape(option['label'])}</option>"
                for option in options
            )
        parts.append("</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped
