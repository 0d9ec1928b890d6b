"""Compute a lottery's draw again from its published seed and registrations, and compare with what was recorded.

`python manage.py reproduce_draw <opening id>`: exits with an error if the seed does not match the
commitment published before the draw, if the order differs from the recorded ranks, or if a registration's
class differs from what the opening's rule gives its answers (while they are kept).
"""

from django.core.management.base import BaseCommand, CommandError

from booking.lottery import draw
from booking.lottery.drawing import recorded_order, reproduce_draw
from booking.lottery.models import Lottery
from booking.lottery.priority import priority_class


class Command(BaseCommand):
    help = "Re-compute a lottery's draw from its seed and compare it with the recorded ranks."

    def add_arguments(self, parser):
        parser.add_argument("opening", type=int, help="the exceptional opening's id")

    def handle(self, *args, **options):
        lottery = Lottery.objects.select_related("opening").filter(opening_id=options["opening"]).first()
        if lottery is None or not lottery.is_drawn:
            raise CommandError("No drawn lottery for this opening.")
        problems = []
        if draw.commitment(lottery.seed) != lottery.seed_commitment:
            problems.append("the seed does not match its published commitment")
        if reproduce_draw(lottery) != recorded_order(lottery):
            problems.append("the order computed again differs from the recorded ranks")
        for registration in lottery.registrations.exclude(rank__isnull=True).filter(anonymised_at__isnull=True):
            expected = priority_class(lottery.priority_rule, answers=registration.answers, day=lottery.opening.date)
            if expected != registration.priority:
                problems.append(f"registration {registration.registration_hash} has class {registration.priority}")
        if problems:
            raise CommandError("; ".join(problems))
        count = len(recorded_order(lottery))
        self.stdout.write(f"Tirage identique : {count} inscriptions, graine conforme à son empreinte.")
