"""Rows left SENDING by the previous code keep the 10 minutes it gave a worker before sending them again.

Queued rows are due at once (the field's default, the time of the migration),
as the previous sweep would have found them.
"""

import datetime as dt

from django.db import migrations
from django.db.models import F


def backfill(apps, schema_editor):
    OutboundEmail = apps.get_model("booking", "OutboundEmail")
    OutboundEmail.objects.filter(status="sending", last_attempt_at__isnull=False).update(
        retry_after=F("last_attempt_at") + dt.timedelta(minutes=10)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("booking", "0010_outbound_email_retry_after"),
    ]

    operations = [
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
