"""A booking never changes hands: its identity columns refuse any UPDATE, in the database itself.

Names, birth date, nationality, numbers and the keys derived from them are
fixed at insert. Whatever the code path (a view, the admin, a shell, a
future bug), PostgreSQL (a PL/pgSQL trigger) and SQLite (the embedded
default) refuse a change, as a check violation (Django's IntegrityError).

One exception, for the retention job that will anonymise old bookings: the
UPDATE that sets `anonymised_at` (from empty) may change them, once; after
that, the anonymised identity is frozen in turn, and `anonymised_at` too.
"""

from django.db import migrations

IDENTITY_COLUMNS = (
    "last_name",
    "first_names",
    "birth_date",
    "nationality",
    "foreigner_number",
    "passport_number",
    "foreigner_key",
    "passport_key",
)
MESSAGE = "A booking's identity never changes after booking (only its anonymisation may)"

POSTGRESQL_CREATE = f"""
CREATE OR REPLACE FUNCTION booking_identity_frozen() RETURNS trigger AS $$
BEGIN
    IF OLD.anonymised_at IS NOT NULL AND NEW.anonymised_at IS DISTINCT FROM OLD.anonymised_at THEN
        RAISE EXCEPTION '{MESSAGE.replace("'", "''")}' USING ERRCODE = 'check_violation';
    END IF;
    IF ({", ".join(f"NEW.{c}" for c in IDENTITY_COLUMNS)})
       IS DISTINCT FROM ({", ".join(f"OLD.{c}" for c in IDENTITY_COLUMNS)})
       AND NOT (OLD.anonymised_at IS NULL AND NEW.anonymised_at IS NOT NULL) THEN
        RAISE EXCEPTION '{MESSAGE.replace("'", "''")}' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER booking_identity_frozen BEFORE UPDATE ON booking_booking
    FOR EACH ROW EXECUTE FUNCTION booking_identity_frozen();
"""
POSTGRESQL_DROP = """
DROP TRIGGER IF EXISTS booking_identity_frozen ON booking_booking;
DROP FUNCTION IF EXISTS booking_identity_frozen();
"""

SQLITE_CHANGED = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in IDENTITY_COLUMNS)
SQLITE_CREATE = f"""
CREATE TRIGGER booking_identity_frozen BEFORE UPDATE ON booking_booking
FOR EACH ROW WHEN
    (OLD.anonymised_at IS NOT NULL AND NEW.anonymised_at IS NOT OLD.anonymised_at)
    OR (({SQLITE_CHANGED}) AND NOT (OLD.anonymised_at IS NULL AND NEW.anonymised_at IS NOT NULL))
BEGIN
    SELECT RAISE(ABORT, '{MESSAGE.replace("'", "''")}');
END;
"""
SQLITE_DROP = "DROP TRIGGER IF EXISTS booking_identity_frozen;"


def create_trigger(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_CREATE)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_CREATE)


def drop_trigger(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_DROP)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("booking", "0016_booking_anonymised_at"),
    ]

    operations = [migrations.RunPython(create_trigger, drop_trigger)]
