"""Agents and heads of bureau may release a booking taken under someone else's identity.

A frozen list, as booking/roles.py had it when this migration was written.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUPS = ["Agent d'accueil", "Chef de bureau"]


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; create this one now so the groups can hold it.
    app_config = apps.get_app_config("booking")
    previous, app_config.models_module = getattr(app_config, "models_module", None), True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = previous
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.get(content_type__app_label="booking", codename="release_usurped")
    for group in apps.get_model("auth", "Group").objects.filter(name__in=GROUPS):
        group.permissions.add(permission)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.filter(content_type__app_label="booking", codename="release_usurped").first()
    if permission is not None:
        for group in apps.get_model("auth", "Group").objects.filter(name__in=GROUPS):
            group.permissions.remove(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("booking", "0021_booking_release_usurped_permission"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
