"""Anonymise or delete the personal data past its retention period, as the daily Celery beat job does."""

from django.conf import settings
from django.core.management.base import BaseCommand

from booking.retention import purge_personal_data, registered_purges


class Command(BaseCommand):
    help = "Anonymise or delete the personal data past its retention period (README, « Retention of personal data »)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would change, and change nothing (rolled back)."
        )

    def handle(self, *args, dry_run=False, **options):
        periods = {purge.name: purge.setting for purge in registered_purges()}
        counts = purge_personal_data(dry_run=dry_run)
        for name, count in counts.items():
            setting = periods.get(name)
            period = f" ({setting} = {getattr(settings, setting)} days)" if setting else ""
            self.stdout.write(f"{name}{period}: {count}")
        self.stdout.write("Dry run: nothing changed." if dry_run else "Done.")
