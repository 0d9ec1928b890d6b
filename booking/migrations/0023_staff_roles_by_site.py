"""Roles by site: heads of bureau no longer add or delete sites, see their agents' accounts and may
reset their second factor; a national administrator group sees every site.

A frozen copy of booking/roles.py as it was when this migration was written.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

AGENT = "Agent d'accueil"
HEAD = "Chef de bureau"
NATIONAL = "Administrateur national"

CONFIGURATION = ["site", "countertype", "counter", "openingrule", "closure", "exceptionalopening"]
SITE_MODELS = ["countertype", "counter", "openingrule", "closure", "exceptionalopening"]

AGENT_PERMISSIONS = [
    ("booking", "view_agenda"),
    ("booking", "check_in"),
    ("booking", "book_for_caller"),
    ("booking", "view_booking"),
    ("booking", "release_usurped"),
    *[("counters", f"view_{model}") for model in CONFIGURATION + ["slot"]],
]
HEAD_PERMISSIONS = [
    *AGENT_PERMISSIONS,
    ("booking", "export_bookings"),
    ("booking", "view_statistics"),
    ("booking", "change_booking"),
    ("booking", "view_outboundemail"),
    ("counters", "change_site"),
    *[("counters", f"{action}_{model}") for model in SITE_MODELS for action in ("add", "change", "delete")],
    ("counters", "change_slot"),
    ("auth", "view_user"),
    ("staff_sites", "view_staffprofile"),
    ("staff_sites", "reset_second_factor"),
]
NATIONAL_PERMISSIONS = [
    *HEAD_PERMISSIONS,
    ("counters", "add_site"),
    ("counters", "delete_site"),
    ("staff_sites", "see_all_sites"),
]


def set_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; create them now so the groups can hold them.
    for app_config in apps.get_app_configs():
        previous, app_config.models_module = getattr(app_config, "models_module", None), True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = previous
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, wanted in ((AGENT, AGENT_PERMISSIONS), (HEAD, HEAD_PERMISSIONS), (NATIONAL, NATIONAL_PERMISSIONS)):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(
            [Permission.objects.get(content_type__app_label=label, codename=codename) for label, codename in wanted]
        )


def remove_national_group(apps, schema_editor):
    # The heads' former permissions come back with migration 0007 run forwards again, if wanted.
    apps.get_model("auth", "Group").objects.filter(name=NATIONAL).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("booking", "0022_staff_may_release_usurped"),
        ("staff_sites", "0001_staff_profile"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(set_groups, remove_national_group)]
