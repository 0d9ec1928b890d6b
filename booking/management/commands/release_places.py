"""Run once what beat runs every minute: expire holds not confirmed in time, release withheld places due,
draw the lotteries whose registration window has closed.

For a machine without a broker (the embedded default runs no beat): `python manage.py release_places`.
"""

from django.core.management.base import BaseCommand

from booking.lottery.drawing import draw_due_lotteries
from booking.services import expire_holds, release_withheld_places


class Command(BaseCommand):
    help = (
        "Expire the holds not confirmed in time, release the freed places whose time has come, and draw the "
        "lotteries whose registration window has closed."
    )

    def handle(self, *args, **options):
        expired = expire_holds()
        released = release_withheld_places()
        drawn = draw_due_lotteries()
        self.stdout.write(f"{expired} hold(s) expired, {released} place(s) released, {drawn} lottery(ies) drawn")
