from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from booking.demo import seed_demo_bookings
from booking.questions.demo import seed_demo_questions
from booking.roles import AGENT_GROUP, HEAD_GROUP, sync_staff_groups
from counters.demo import seed_hauts_de_seine, seed_herault, seed_reunion
from counters.models import ExceptionalOpening
from counters.services import generate_slots
from counters.staff_sites.models import StaffProfile
from prefecture.staff_auth.demo import give_demo_second_factor

DEMO_USERNAME = "admin"
DEMO_PASSWORD = "bureau-du-sejour-demo"
# Staff logins, one per role: username → (group, full name, the sites they work at). The superuser
# sees every site.
DEMO_STAFF = {
    "agent": (AGENT_GROUP, "Camille", "Agent d'accueil", ["herault", "la-reunion"]),
    "cheffe": (HEAD_GROUP, "Dominique", "Cheffe de bureau", ["herault"]),
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
        sites = {site.slug: site for site in (herault, seed_hauts_de_seine(), seed_reunion())}
        report = generate_slots()
        staff = self._seed_staff(sites)
        bookings = [
            booking
            for site in (herault, sites["la-reunion"])
            for booking in seed_demo_bookings(site=site, agent=staff["agent"])
        ]
        # A week of the information service: written questions in every state, and the phone log.
        questions = seed_demo_questions(
            sites=sites,
            agents={"herault": [staff["agent"], staff["cheffe"]], "hauts-de-seine": [staff[DEMO_USERNAME]]},
        )
        self.stdout.write(f"Demo data ready: {report.created} slots created, {report.updated} updated.")
        if questions:
            self.stdout.write(
                f"Information service: {questions} written questions seeded (http://127.0.0.1:8000/agents/questions/)."
            )
        self._print_logins(staff)
        for opening in ExceptionalOpening.objects.filter(
            mode=ExceptionalOpening.Mode.LOTTERY, registration_closes_at__gt=timezone.now()
        ).select_related("site"):
            closes_at = opening.registration_closes_at.astimezone(opening.site.zone)
            self.stdout.write(
                f"Lottery opening at {opening.site.name} on {opening.date:%d/%m/%Y}: registrations until "
                f"{closes_at:%d/%m/%Y %H:%M}, http://127.0.0.1:8000/tirage/{opening.pk}/ (its procedure's slot page "
                "offers the waiting list)"
            )
        for booking in bookings:
            site = booking.counter_type.site
            starts_at = booking.slot.starts_at.astimezone(site.zone)  # the site's own hours
            self.stdout.write(
                f"Demo appointment {booking.display_reference}: {booking.last_name} {booking.first_names}, "
                f"{starts_at:%d/%m/%Y %H:%M} ({site.time_zone}), {booking.counter_type.name}, {site.name}"
            )

    def _seed_staff(self, sites) -> dict:
        users = get_user_model().objects
        user, _ = users.get_or_create(username=DEMO_USERNAME)
        user.is_staff = user.is_superuser = True
        user.set_password(DEMO_PASSWORD)
        user.save()
        groups = sync_staff_groups()
        staff = {DEMO_USERNAME: user}
        for username, (group, first_name, last_name, slugs) in DEMO_STAFF.items():
            member, _ = users.get_or_create(username=username)
            member.is_staff, member.is_superuser = True, False
            member.first_name, member.last_name = first_name, last_name
            member.set_password(DEMO_PASSWORD)
            member.save()
            member.groups.set([groups[group]])
            profile, _ = StaffProfile.objects.get_or_create(user=member)
            profile.sites.set([sites[slug] for slug in slugs])
            staff[username] = member
        return staff

    def _print_logins(self, staff) -> None:
        self.stdout.write(
            f"Staff logins at http://127.0.0.1:8000/agents/ : password {DEMO_PASSWORD}, then the 6-digit code of an "
            "authenticator app (FreeOTP, Aegis, Google Authenticator…) given the key below, or one of the recovery "
            "codes (each works once):"
        )
        for username, member in staff.items():
            role = "superuser, every site" if member.is_superuser else DEMO_STAFF[username][0]
            if not member.is_superuser:
                role += ", " + ", ".join(member.staff_profile.sites.order_by("name").values_list("name", flat=True))
            second_factor = give_demo_second_factor(member)
            self.stdout.write(f"  {username}  ({role})")
            self.stdout.write(f"      key: {second_factor.secret}")
            self.stdout.write(f"      recovery codes: {' '.join(second_factor.recovery_codes)}")
