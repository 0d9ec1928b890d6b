"""Run once what beat runs every minute: expire holds not confirmed in time, release withheld places due.

For a machine without a broker (the embedded default runs no beat): `python manage.py release_places`.
"""

from django.core.management.base import BaseCommand

from booking.services import expire_holds, release_withheld_places


class Command(BaseCommand):
    help = "Expire the holds not confirmed in time and release the freed places whose time has come."

    def handle(self, *args, **options):
        expired = expire_holds()
        released = release_withheld_places()
        self.stdout.write(f"{expired} hold(s) expired, {released} place(s) released")
