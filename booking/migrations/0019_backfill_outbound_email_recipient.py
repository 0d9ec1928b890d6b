"""The address of the e-mails of the last day, for the per-address cap, which looks back one hour.

Older rows keep an empty recipient: the cap never counts them.
"""

import datetime as dt

from django.db import migrations
from django.utils import timezone


def normalise_address(value: str) -> str:
    # A frozen copy of booking.identity.normalise_address, as this migration first shipped.
    local, _, domain = (value or "").strip().lower().rpartition("@")
    if not local:
        return domain
    local = local.split("+", 1)[0]
    if domain in ("gmail.com", "googlemail.com"):
        local, domain = local.replace(".", ""), "gmail.com"
    return f"{local}@{domain}"


def backfill(apps, schema_editor):
    OutboundEmail = apps.get_model("booking", "OutboundEmail")
    recent = OutboundEmail.objects.filter(created_at__gte=timezone.now() - dt.timedelta(days=1), recipient="")
    for email in recent.select_related("booking").only("pk", "booking__email").iterator(chunk_size=1000):
        OutboundEmail.objects.filter(pk=email.pk).update(recipient=normalise_address(email.booking.email))


class Migration(migrations.Migration):
    dependencies = [
        ("booking", "0018_outbound_email_recipient"),
    ]

    operations = [
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
