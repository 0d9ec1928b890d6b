from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from booking.demo import seed_demo_bookings
from booking.roles import AGENT_GROUP, HEAD_GROUP, sync_staff_groups
from counters.demo import seed_hauts_de_seine, seed_herault, seed_reunion
from counters.services import generate_slots

DEMO_USERNAME = "admin"
DEMO_PASSWORD = "bureau-du-sejour-demo"
# Staff logins, one per role: username → (group, full name)
DEMO_STAFF = {
    "agent": (AGENT_GROUP, "Camille", "Agent d'accueil"),
    "cheffe": (HEAD_GROUP, "Dominique", "Cheffe de bureau"),
}


class Command(BaseCommand):
    help = (
        "Create (or bring back) the demo prefectures, their counters and slots, staff logins, and appointments "
        "for today in each site's time zone. Idempotent."
    )

    def handle(self, *args, **options):
        if settings.IS_PRODUCTION:
            raise CommandError("seed_demo creates a known staff password: it refuses to run in production.")
        herault = seed_herault(timezone.localdate())
        seed_hauts_de_seine()
        reunion = seed_reunion()
        report = generate_slots()
        users = get_user_model().objects
        user, _ = users.get_or_create(username=DEMO_USERNAME)
        user.is_staff = user.is_superuser = True
        user.set_password(DEMO_PASSWORD)
        user.save()
        groups = sync_staff_groups()
        staff = {}
        for username, (group, first_name, last_name) in DEMO_STAFF.items():
            member, _ = users.get_or_create(username=username)
            member.is_staff, member.is_superuser = True, False
            member.first_name, member.last_name = first_name, last_name
            member.set_password(DEMO_PASSWORD)
            member.save()
            member.groups.set([groups[group]])
            staff[username] = member
        bookings = [
            booking for site in (herault, reunion) for booking in seed_demo_bookings(site=site, agent=staff["agent"])
        ]
        self.stdout.write(f"Demo data ready: {report.created} slots created, {report.updated} updated.")
        self.stdout.write(f"Staff logins (password {DEMO_PASSWORD}), at http://127.0.0.1:8000/agents/ :")
        self.stdout.write(f"  {DEMO_USERNAME}  superuser")
        for username, (group, *_) in DEMO_STAFF.items():
            self.stdout.write(f"  {username}  {group}")
        for booking in bookings:
            site = booking.counter_type.site
            starts_at = booking.slot.starts_at.astimezone(site.zone)  # the site's own hours
            self.stdout.write(
                f"Demo appointment {booking.display_reference}: {booking.last_name} {booking.first_names}, "
                f"{starts_at:%d/%m/%Y %H:%M} ({site.time_zone}), {booking.counter_type.name}, {site.name}"
            )
