from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations


class Migration(migrations.Migration):
    """unaccent(), for the agenda's search by name; nothing on SQLite, which gets a Python function instead.

    A trusted extension since PostgreSQL 13: the database owner may create it without superuser rights.
    """

    dependencies = [
        ("booking", "0013_existing_renewals_are_permit_renewals"),
    ]

    operations = [UnaccentExtension()]
