"""Site confinement in the admin: lists, forms and object pages show a head of bureau their sites only.

The national administrator sees everything. The mixins ask `selectors.filter_for_staff`, the
same filter as the agents' pages.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import StaffProfile
from .selectors import SITE_PATHS, can_see_object, filter_for_staff


def confine_choices(formfield: forms.Field | None, user) -> forms.Field | None:
    """A choice of site, procedure, counter, opening or slot offers the user's sites' only: another
    site's object sent anyway is refused by the form as an invalid choice."""
    queryset = getattr(formfield, "queryset", None)
    if queryset is not None and queryset.model in SITE_PATHS:
        formfield.queryset = filter_for_staff(queryset, user)
    return formfield


class SiteConfinedChoicesMixin:
    """For model admins and inlines: related objects are chosen among the user's sites' only."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return confine_choices(super().formfield_for_foreignkey(db_field, request, **kwargs), request.user)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        return confine_choices(super().formfield_for_manytomany(db_field, request, **kwargs), request.user)


class SiteConfinedAdminMixin(SiteConfinedChoicesMixin):
    """A model admin whose lists, object pages and history pages keep to the user's sites.

    `site_via` is the lookup from the model to its site when the model is not one of counters'.
    An object of another site is not in the list, and its pages (change, delete, history, even
    of an older version) are refused.
    """

    site_via: str | tuple[str, ...] | None = None

    def get_queryset(self, request):
        return filter_for_staff(super().get_queryset(request), request.user, via=self.site_via)

    def _in_scope(self, request, obj) -> bool:
        return obj is None or can_see_object(request.user, obj, via=self.site_via)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self._in_scope(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._in_scope(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._in_scope(request, obj)


class StaffProfileInline(admin.StackedInline):
    """On a staff account's page: the sites it works at."""

    model = StaffProfile
    can_delete = False
    filter_horizontal = ["sites"]
    verbose_name = _("sites d'affectation")
    verbose_name_plural = _("sites d'affectation")
