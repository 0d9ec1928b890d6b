"""Proofs of work already used, recorded here while Redis is unreachable (no replay)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('booking', '0019_backfill_outbound_email_recipient'),
    ]

    operations = [
        migrations.CreateModel(
            name='RedeemedProof',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('key', models.CharField(max_length=64, unique=True)),
                ('expires_at', models.DateTimeField(db_index=True)),
            ],
            options={
                'verbose_name': 'preuve anti-robot utilisée',
                'verbose_name_plural': 'preuves anti-robot utilisées',
            },
        ),
    ]
