"""Each booking's version, until now counted from its MOVED e-mails: the highest MOVED sequence, or 0."""

from django.db import migrations
from django.db.models import Max, OuterRef, Subquery
from django.db.models.functions import Coalesce


def backfill(apps, schema_editor):
    Booking = apps.get_model("booking", "Booking")
    OutboundEmail = apps.get_model("booking", "OutboundEmail")
    latest_move = (
        OutboundEmail.objects.filter(booking=OuterRef("pk"), kind="moved")
        .values("booking")
        .annotate(latest=Max("sequence"))
        .values("latest")
    )
    moved = OutboundEmail.objects.filter(kind="moved").values("booking")
    Booking.objects.filter(pk__in=moved).update(version=Coalesce(Subquery(latest_move), 0))


class Migration(migrations.Migration):
    dependencies = [
        ("booking", "0008_booking_version"),
    ]

    operations = [
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
