"""The mark the identity trigger (next migration) requires to let a retention job anonymise a booking;
an anonymised booking may keep no identity key."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('booking', '0015_booking_holds'),
    ]

    operations = [
        migrations.AddField(
            model_name='booking',
            name='anonymised_at',
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name='anonymisé le'),
        ),
        migrations.AddField(
            model_name='historicalbooking',
            name='anonymised_at',
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name='anonymisé le'),
        ),
        migrations.RemoveConstraint(
            model_name="booking",
            name="booking_has_identity",
        ),
        migrations.AddConstraint(
            model_name="booking",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("foreigner_key__isnull", False),
                    ("passport_key__isnull", False),
                    ("anonymised_at__isnull", False),
                    _connector="OR",
                ),
                name="booking_has_identity",
            ),
        ),
    ]
