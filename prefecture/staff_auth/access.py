"""What every staff page asks first: a user logged in with both factors."""

from __future__ import annotations

from django.contrib.auth.mixins import AccessMixin
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest
from django.shortcuts import redirect

from .pending import new_codes


def is_verified(user) -> bool:
    """Logged in with the password and a second factor (django_otp's middleware says which device)."""
    return bool(user.is_authenticated and getattr(user, "is_verified", lambda: False)())


class SecondFactorRequiredMixin(AccessMixin):
    """Anonymous visitors go to the login page, and so do users without a second factor in this
    session (it asks for the code); recovery codes just made are shown before anything else."""

    def dispatch(self, request: HttpRequest, *args, **kwargs):
        if not is_verified(request.user):
            return redirect_to_login(request.get_full_path(), self.get_login_url(), self.get_redirect_field_name())
        if new_codes(request) is not None:
            return redirect("staff_auth:recovery-codes")
        return super().dispatch(request, *args, **kwargs)
