"""Heads of bureau write the frequently asked questions; accueil agents may read them in the admin.

The groups are those of booking's 0007_staff_groups (booking/roles.py keeps the lists).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {
    "Agent d'accueil": ["view_faqentry"],
    "Chef de bureau": ["view_faqentry", "add_faqentry", "change_faqentry", "delete_faqentry"],
}


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; create this app's now.
    app_config = apps.get_app_config("prefecture")
    previous, app_config.models_module = getattr(app_config, "models_module", None), True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = previous
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        group = Group.objects.filter(name=name).first()
        if group is not None:
            group.permissions.add(*Permission.objects.filter(content_type__app_label="prefecture", codename__in=codenames))


class Migration(migrations.Migration):
    dependencies = [("prefecture", "0001_faq_entry"), ("booking", "0007_staff_groups")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
