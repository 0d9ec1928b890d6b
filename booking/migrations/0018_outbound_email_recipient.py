"""The normalised address of each e-mail, indexed: what the per-address hourly cap counts."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('booking', '0017_booking_identity_frozen'),
    ]

    operations = [
        migrations.AddField(
            model_name='outboundemail',
            name='recipient',
            field=models.CharField(blank=True, default='', editable=False, max_length=254, verbose_name='destinataire'),
        ),
        migrations.AddIndex(
            model_name='outboundemail',
            index=models.Index(fields=['recipient', 'last_attempt_at'], name='outbound_email_recipient_idx'),
        ),
    ]
