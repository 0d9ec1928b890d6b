"""The two staff roles and their permissions.

Accueil agents run the day (agenda, check-in, bookings for callers) and may
look at the configuration; heads of bureau also configure counters and
openings, export bookings and read the statistics.

Migration 0007_staff_groups creates the groups from a frozen copy of these
lists; `sync_staff_groups` brings them back in line (seed_demo, tests).
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import transaction

AGENT_GROUP = "Agent d'accueil"
HEAD_GROUP = "Chef de bureau"

CONFIGURATION_MODELS = ["site", "countertype", "counter", "openingrule", "closure", "exceptionalopening"]

AGENT_PERMISSIONS = [
    ("booking", "view_agenda"),
    ("booking", "check_in"),
    ("booking", "book_for_caller"),
    ("booking", "view_booking"),
    *[("counters", f"view_{model}") for model in [*CONFIGURATION_MODELS, "slot"]],
    ("prefecture", "view_faqentry"),
]
HEAD_PERMISSIONS = [
    *AGENT_PERMISSIONS,
    ("booking", "export_bookings"),
    ("booking", "view_statistics"),
    ("booking", "change_booking"),
    ("booking", "view_outboundemail"),
    *[("counters", f"{action}_{model}") for model in CONFIGURATION_MODELS for action in ("add", "change", "delete")],
    ("counters", "change_slot"),
    # The frequently asked questions and their translations, like the procedures'.
    *[("prefecture", f"{action}_faqentry") for action in ("add", "change", "delete")],
]
ROLES = {AGENT_GROUP: AGENT_PERMISSIONS, HEAD_GROUP: HEAD_PERMISSIONS}


@transaction.atomic
def sync_staff_groups() -> dict[str, Group]:
    """Create the staff groups if missing and give each exactly its permissions."""
    groups = {}
    for name, wanted in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(
            [
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
                for app_label, codename in wanted
            ]
        )
        groups[name] = group
    return groups
