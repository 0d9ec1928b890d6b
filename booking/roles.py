"""The staff roles and their permissions.

Accueil agents run the day (agenda, check-in, bookings for callers, releasing
a booking taken under someone else's identity) and may look at the
configuration; heads of bureau also configure counters and openings, export
bookings, read the statistics and reset the second factor of their agents.
Each works at the sites of their account (counters.staff_sites); a national
administrator sees and configures every site, and adds sites.

Migrations 0007_staff_groups and 0023_staff_roles_by_site set the groups from a
frozen copy of these lists (0024_faq_permissions_by_site adds the FAQ's back);
booking.questions' 0002 adds the information service's; `sync_staff_groups` brings them back in line (seed_demo, tests).
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import transaction

AGENT_GROUP = "Agent d'accueil"
HEAD_GROUP = "Chef de bureau"
NATIONAL_GROUP = "Administrateur national"

CONFIGURATION_MODELS = ["site", "countertype", "counter", "openingrule", "closure", "exceptionalopening"]
# What belongs to one site: its head of bureau adds, changes and deletes them.
SITE_MODELS = ["countertype", "counter", "openingrule", "closure", "exceptionalopening"]

AGENT_PERMISSIONS = [
    ("booking", "view_agenda"),
    ("booking", "check_in"),
    ("booking", "book_for_caller"),
    ("booking", "release_usurped"),
    ("booking", "view_booking"),
    *[("counters", f"view_{model}") for model in [*CONFIGURATION_MODELS, "slot"]],
    ("prefecture", "view_faqentry"),
    # The information service: written questions and the phone log (booking.questions).
    ("questions", "answer_question"),
    ("questions", "view_topic"),
    ("questions", "view_replytemplate"),
]
HEAD_PERMISSIONS = [
    *AGENT_PERMISSIONS,
    ("booking", "export_bookings"),
    ("booking", "view_statistics"),
    ("booking", "change_booking"),
    ("booking", "view_outboundemail"),
    # Their own sites' details; a new site is the national administrator's to add.
    ("counters", "change_site"),
    *[("counters", f"{action}_{model}") for model in SITE_MODELS for action in ("add", "change", "delete")],
    ("counters", "change_slot"),
    ("auth", "view_user"),
    ("staff_sites", "view_staffprofile"),
    ("staff_sites", "reset_second_factor"),
    # The frequently asked questions and their translations, like the procedures'.
    *[("prefecture", f"{action}_faqentry") for action in ("add", "change", "delete")],
    # Their sites' lotteries and waiting lists: counts, no names (booking.lottery, booking.waitlist).
    ("lottery", "view_lottery"),
    ("waitlist", "view_waitinglist"),
    # The information service's topics and reply templates, for their sites.
    *[
        ("questions", f"{action}_{model}")
        for model in ("topic", "replytemplate")
        for action in ("add", "change", "delete")
    ],
]
NATIONAL_PERMISSIONS = [
    *HEAD_PERMISSIONS,
    ("counters", "add_site"),
    ("counters", "delete_site"),
    ("staff_sites", "see_all_sites"),
]
ROLES = {AGENT_GROUP: AGENT_PERMISSIONS, HEAD_GROUP: HEAD_PERMISSIONS, NATIONAL_GROUP: NATIONAL_PERMISSIONS}


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
