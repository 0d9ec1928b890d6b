"""Bookings made before the question existed: a renewal procedure then always asked the permit's expiry date."""

from django.db import migrations


def mark_permit_renewals(apps, schema_editor):
    Booking = apps.get_model("booking", "Booking")
    Booking.objects.filter(
        application_kind="", permit_expires_on__isnull=False, counter_type__eligibility="renewal"
    ).update(application_kind="permit_renewal")


class Migration(migrations.Migration):
    dependencies = [("booking", "0012_booking_application_kind")]

    operations = [migrations.RunPython(mark_permit_renewals, migrations.RunPython.noop)]
