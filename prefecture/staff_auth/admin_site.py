"""The admin behind the staff login: the same page, the same second factor."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse

from .access import is_verified
from .views import LogoutView


class StaffAdminSite(admin.AdminSite):
    """Django's admin, except that it needs a session verified by a second factor, and that its
    login and logout are the staff ones."""

    def has_permission(self, request) -> bool:
        return super().has_permission(request) and is_verified(request.user)

    def login(self, request, extra_context=None):
        next_url = request.GET.get(REDIRECT_FIELD_NAME) or reverse("admin:index", current_app=self.name)
        return redirect_to_login(next_url, reverse("staff_auth:login"))

    def logout(self, request, extra_context=None):
        return LogoutView.as_view()(request)
