"""The mark the identity trigger (next migration) requires to let a retention job anonymise a booking."""

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
    ]
