"""The FAQ's permissions again, after 0023_staff_roles_by_site set the groups' permissions anew.

0023 gives each group exactly a frozen list written before the FAQ existed, so that, run after
prefecture's 0002_faq_staff_permissions, it took the FAQ away from them. Accueil agents read the
questions; heads of bureau and the national administrator write them (a head of bureau those of
their own sites: prefecture/admin.py).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {
    "Agent d'accueil": ["view_faqentry"],
    "Chef de bureau": ["view_faqentry", "add_faqentry", "change_faqentry", "delete_faqentry"],
    "Administrateur national": ["view_faqentry", "add_faqentry", "change_faqentry", "delete_faqentry"],
}


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; create the FAQ's now.
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
    dependencies = [("booking", "0023_staff_roles_by_site"), ("prefecture", "0002_faq_staff_permissions")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
