"""The two staff roles, as groups with their permissions.

A frozen copy of booking/roles.py as it was when this migration was written:
a migration must not change meaning when the application code does.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

AGENT = "Agent d'accueil"
HEAD = "Chef de bureau"

CONFIGURATION = ["site", "countertype", "counter", "openingrule", "closure", "exceptionalopening"]

AGENT_PERMISSIONS = [
    ("booking", "view_agenda"),
    ("booking", "check_in"),
    ("booking", "book_for_caller"),
    ("booking", "view_booking"),
    *[("counters", f"view_{model}") for model in CONFIGURATION + ["slot"]],
]
HEAD_PERMISSIONS = [
    *AGENT_PERMISSIONS,
    ("booking", "export_bookings"),
    ("booking", "view_statistics"),
    ("booking", "change_booking"),
    ("booking", "view_outboundemail"),
    *[("counters", f"{action}_{model}") for model in CONFIGURATION for action in ("add", "change", "delete")],
    ("counters", "change_slot"),
]


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; create them now so the groups can hold them.
    for app_config in apps.get_app_configs():
        previous, app_config.models_module = getattr(app_config, "models_module", None), True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = previous
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, wanted in ((AGENT, AGENT_PERMISSIONS), (HEAD, HEAD_PERMISSIONS)):
        group, _ = Group.objects.get_or_create(name=name)
        permissions = [
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
            for app_label, codename in wanted
        ]
        group.permissions.set(permissions)


def delete_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=[AGENT, HEAD]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("booking", "0006_historicalbooking"),
        ("counters", "0006_historical_records"),
    ]

    operations = [migrations.RunPython(create_groups, delete_groups)]
