"""The catalogue's version: bumped by PostgreSQL triggers on any change to sites and procedures.

Statement-level triggers, in the transaction of the change: a reader sees the new
number exactly when it sees the new rows. SQLite (development) gets no trigger:
there the per-process cache of counters.selectors is off (`catalogue_version`
returns None and the procedure is read each time).
"""

from django.db import migrations, models

TABLES = ("counters_site", "counters_countertype")

CREATE = """
CREATE OR REPLACE FUNCTION counters_bump_catalogue_version() RETURNS trigger AS $$
BEGIN
    UPDATE counters_catalogueversion SET version = version + 1 WHERE id = 1;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
""" + "".join(
    f"""
CREATE TRIGGER {table}_bumps_catalogue_version
AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
FOR EACH STATEMENT EXECUTE FUNCTION counters_bump_catalogue_version();
"""
    for table in TABLES
)

DROP = "".join(f"DROP TRIGGER IF EXISTS {table}_bumps_catalogue_version ON {table};\n" for table in TABLES) + (
    "DROP FUNCTION IF EXISTS counters_bump_catalogue_version();"
)


def first_row(apps, schema_editor):
    apps.get_model("counters", "CatalogueVersion").objects.create(id=1, version=1)


def triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def no_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("counters", "0016_opening_lottery_mode"),
    ]

    operations = [
        migrations.CreateModel(
            name="CatalogueVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("version", models.BigIntegerField(default=0)),
            ],
        ),
        migrations.RunPython(first_row, migrations.RunPython.noop),
        migrations.RunPython(triggers, no_triggers),
    ]
