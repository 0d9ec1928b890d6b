"""Public bookings are held until their e-mail address is confirmed; a hold counts as active."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('booking', '0014_unaccent_extension'),
        ('counters', '0012_withheld_place'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='booking',
            name='booking_one_active_per_foreigner_number',
        ),
        migrations.RemoveConstraint(
            model_name='booking',
            name='booking_one_active_per_passport',
        ),
        migrations.AddField(
            model_name='booking',
            name='code_attempts',
            field=models.PositiveSmallIntegerField(default=0, editable=False, verbose_name='codes erronés saisis'),
        ),
        migrations.AddField(
            model_name='booking',
            name='confirmed_at',
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name='confirmé le'),
        ),
        migrations.AddField(
            model_name='booking',
            name='hold_expires_at',
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name='réservation à confirmer avant le'),
        ),
        migrations.AddField(
            model_name='booking',
            name='verification_token',
            field=models.CharField(blank=True, editable=False, max_length=64, null=True, unique=True),
        ),
        migrations.AddField(
            model_name='historicalbooking',
            name='code_attempts',
            field=models.PositiveSmallIntegerField(default=0, editable=False, verbose_name='codes erronés saisis'),
        ),
        migrations.AddField(
            model_name='historicalbooking',
            name='confirmed_at',
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name='confirmé le'),
        ),
        migrations.AddField(
            model_name='historicalbooking',
            name='hold_expires_at',
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name='réservation à confirmer avant le'),
        ),
        migrations.AlterField(
            model_name='booking',
            name='status',
            field=models.CharField(choices=[('held', 'En attente de confirmation'), ('confirmed', 'Confirmé'), ('cancelled', 'Annulé'), ('checked_in', 'Présent'), ('done', 'Reçu'), ('no_show', 'Absent'), ('expired', 'Non confirmé (expiré)'), ('released', "Libéré (usurpation d'identité)")], default='confirmed', max_length=20, verbose_name='statut'),
        ),
        migrations.AlterField(
            model_name='historicalbooking',
            name='status',
            field=models.CharField(choices=[('held', 'En attente de confirmation'), ('confirmed', 'Confirmé'), ('cancelled', 'Annulé'), ('checked_in', 'Présent'), ('done', 'Reçu'), ('no_show', 'Absent'), ('expired', 'Non confirmé (expiré)'), ('released', "Libéré (usurpation d'identité)")], default='confirmed', max_length=20, verbose_name='statut'),
        ),
        migrations.AlterField(
            model_name='outboundemail',
            name='kind',
            field=models.CharField(choices=[('confirmation', 'Confirmation'), ('reminder', 'Rappel'), ('cancellation', 'Annulation'), ('moved', 'Rendez-vous déplacé'), ('access_link', 'Lien de gestion renvoyé'), ('verification', 'Code de confirmation')], max_length=20, verbose_name='type'),
        ),
        migrations.AddIndex(
            model_name='booking',
            index=models.Index(condition=models.Q(('status', 'held')), fields=['hold_expires_at'], name='booking_hold_expiry_idx'),
        ),
        migrations.AddConstraint(
            model_name='booking',
            constraint=models.UniqueConstraint(condition=models.Q(('status__in', ['held', 'confirmed', 'checked_in']), ('foreigner_key__isnull', False)), fields=('foreigner_key', 'counter_type'), name='booking_one_active_per_foreigner_number'),
        ),
        migrations.AddConstraint(
            model_name='booking',
            constraint=models.UniqueConstraint(condition=models.Q(('status__in', ['held', 'confirmed', 'checked_in']), ('passport_key__isnull', False)), fields=('passport_key', 'counter_type'), name='booking_one_active_per_passport'),
        ),
        migrations.AddConstraint(
            model_name='booking',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('status', 'held'), _negated=True), models.Q(('hold_expires_at__isnull', False), ('verification_token__isnull', False)), _connector='OR'), name='booking_hold_has_expiry_and_token'),
        ),
    ]
