"""The admin behind the staff login: the same page, the same second factor."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import BadRequest, ValidationError
from django.urls import reverse

from .access import is_verified
from .views import LogoutView


class ForgedSelectionRefusedMixin:
    """An action sent with a selected row that cannot be a key (text for an id) is a bad request.

    Django filters the rows by the values as sent, and the lookup raised, a 500. The boxes of a
    change list only ever hold keys: such a value is forged, not typed.
    """

    def response_action(self, request, queryset):
        pk = self.model._meta.pk
        for value in request.POST.getlist(ACTION_CHECKBOX_NAME):
            try:
                pk.run_validators(pk.to_python(value))
            except (ValidationError, TypeError, ValueError) as error:
                raise BadRequest("selected row is no key") from error
        return super().response_action(request, queryset)


class StaffAdminSite(admin.AdminSite):
    """Django's admin, except that it needs a session verified by a second factor, that its
    login and logout are the staff ones, and that a forged selection is a bad request (every
    model admin registered gets ForgedSelectionRefusedMixin)."""

    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, ForgedSelectionRefusedMixin):
            admin_class = type(
                admin_class.__name__,
                (ForgedSelectionRefusedMixin, admin_class),
                {"__module__": admin_class.__module__, "__doc__": admin_class.__doc__},
            )
        super().register(model_or_iterable, admin_class, **options)

    def has_permission(self, request) -> bool:
        return super().has_permission(request) and is_verified(request.user)

    def login(self, request, extra_context=None):
        next_url = request.GET.get(REDIRECT_FIELD_NAME) or reverse("admin:index", current_app=self.name)
        return redirect_to_login(next_url, reverse("staff_auth:login"))

    def logout(self, request, extra_context=None):
        return LogoutView.as_view()(request)
