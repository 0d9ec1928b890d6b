"""Admin autocomplete fields that show a form again after any value, typed or forged."""

from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError


class SafeAutocompleteSelect(AutocompleteSelect):
    """Django's, except that a submitted value that cannot be a key of the target is dropped when the form
    is shown again with its errors: Django looked it up as is (text for an id), and the lookup raised, a 500.
    The field itself still refuses the value, with its own message."""

    def optgroups(self, name, value, attr=None):
        remote = self.field.remote_field
        to_field = remote.model._meta.get_field(getattr(remote, "field_name", None) or remote.model._meta.pk.name)
        return super().optgroups(name, [item for item in value if _is_key(to_field, item)], attr)


def _is_key(field, value) -> bool:
    if value in (None, ""):
        return True
    try:
        field.run_validators(field.to_python(value))
    except (ValidationError, TypeError, ValueError):
        return False
    return True


class SafeAutocompleteMixin:
    """For a model admin with `autocomplete_fields` on foreign keys."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
