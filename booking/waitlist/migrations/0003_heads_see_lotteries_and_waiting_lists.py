"""Heads of bureau (and national administrators) see the lotteries and the waiting lists in the admin.

A frozen list, as booking/roles.py had it when this migration was written.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUPS = ["Chef de bureau", "Administrateur national"]
PERMISSIONS = [("lottery", "view_lottery"), ("waitlist", "view_waitinglist")]


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; create these now so the groups can hold them.
    for label in ("lottery", "waitlist"):
        app_config = apps.get_app_config(label)
        previous, app_config.models_module = getattr(app_config, "models_module", None), True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = previous
    Permission = apps.get_model("auth", "Permission")
    permissions = [
        Permission.objects.get(content_type__app_label=label, codename=codename) for label, codename in PERMISSIONS
    ]
    for group in apps.get_model("auth", "Group").objects.filter(name__in=GROUPS):
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for label, codename in PERMISSIONS:
        permission = Permission.objects.filter(content_type__app_label=label, codename=codename).first()
        if permission is not None:
            for group in apps.get_model("auth", "Group").objects.filter(name__in=GROUPS):
                group.permissions.remove(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("lottery", "0001_lottery_and_registrations"),
        ("waitlist", "0002_waiting_list_view"),
        ("booking", "0023_staff_roles_by_site"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
