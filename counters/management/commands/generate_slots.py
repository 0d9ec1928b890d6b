import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from counters.services import generate_slots


class Command(BaseCommand):
    help = "Create or update bookable slots from weekly hours, closures and published openings."

    def add_arguments(self, parser):
        parser.add_argument("--start", help="First day (YYYY-MM-DD); today by default.")
        parser.add_argument("--days", type=int, help="How many days ahead; SLOT_HORIZON_DAYS by default.")

    def handle(self, *args, start=None, days=None, **options):
        try:
            first_day = dt.date.fromisoformat(start) if start else None
        except ValueError as error:
            raise CommandError(f"--start: {error}") from error
        report = generate_slots(start=first_day, days=days)
        self.stdout.write(f"Slots created: {report.created}; updated: {report.updated}.")
