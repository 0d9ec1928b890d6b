from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class StaffAuthConfig(AppConfig):
    """The staff login: password, then a second factor (django-otp), with a lockout (django-axes)."""

    default = True
    name = "prefecture.staff_auth"
    label = "staff_auth"
    verbose_name = _("Connexion des agents")


class StaffAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin, with the admin site that asks for the staff login and its second factor."""

    default = False

    default_site = "prefecture.staff_auth.admin_site.StaffAdminSite"
