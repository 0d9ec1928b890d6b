"""The error summary at the top of a form: each error, linked to the box to correct."""

from __future__ import annotations

from django import forms, template

register = template.Library()


def error_anchor(bound_field) -> str:
    """The id of the first box of a field: its input, its first radio or tick box, the day of a date."""
    widget = bound_field.field.widget
    if getattr(widget, "is_date_parts", False) or isinstance(widget, (forms.RadioSelect, forms.CheckboxSelectMultiple)):
        return f"{bound_field.auto_id}_0"
    return bound_field.id_for_label or bound_field.auto_id


@register.simple_tag
def error_summary(form) -> list[dict]:
    """[{"anchor", "label", "message"}], in the order of the form's fields; anchor empty for a form-wide error."""
    entries = [{"anchor": "", "label": "", "message": error} for error in form.non_field_errors()]
    for bound_field in form:
        if bound_field.is_hidden:
            entries.extend({"anchor": "", "label": "", "message": error} for error in bound_field.errors)
            continue
        entries.extend(
            {"anchor": error_anchor(bound_field), "label": bound_field.label, "message": error}
            for error in bound_field.errors
        )
    return entries
