from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from counters.demo import seed_hauts_de_seine, seed_herault
from counters.services import generate_slots

DEMO_USERNAME = "admin"
DEMO_PASSWORD = "bureau-du-sejour-demo"


class Command(BaseCommand):
    help = "Create (or bring back) the demo prefectures, their counters and slots, and a staff login. Idempotent."

    def handle(self, *args, **options):
        if settings.IS_PRODUCTION:
            raise CommandError("seed_demo creates a known staff password: it refuses to run in production.")
        seed_herault(timezone.localdate())
        seed_hauts_de_seine()
        report = generate_slots()
        user, _ = get_user_model().objects.get_or_create(username=DEMO_USERNAME)
        user.is_staff = user.is_superuser = True
        user.set_password(DEMO_PASSWORD)
        user.save()
        self.stdout.write(f"Demo data ready: {report.created} slots created, {report.updated} updated.")
        self.stdout.write(f"Staff login: {DEMO_USERNAME} / {DEMO_PASSWORD}  (http://127.0.0.1:8000/admin/)")
