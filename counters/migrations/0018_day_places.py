"""Places left per procedure and day, kept by triggers in the transaction of every change to slots.

A slot counts `capacity - booked` on its day (in its site's time zone), unless it belongs to a
lottery opening (counters.selectors.public_slots says the same). Row triggers on slots add the
difference each change makes; an opening turning to or from a lottery, a procedure changing
site, a site changing time zone recount what they touch. PostgreSQL only: elsewhere (SQLite in
development) the selectors count the slots themselves.
"""

from django.db import migrations, models

CREATE = """
CREATE OR REPLACE FUNCTION counters_add_day_places(type_id bigint, starts timestamptz, opening bigint, delta integer)
RETURNS void AS $$
DECLARE
    local_day date;
BEGIN
    IF delta = 0 THEN
        RETURN;
    END IF;
    IF opening IS NOT NULL AND EXISTS (
        SELECT 1 FROM counters_exceptionalopening WHERE id = opening AND mode = 'lottery'
    ) THEN
        RETURN;
    END IF;
    SELECT (starts AT TIME ZONE site.time_zone)::date INTO local_day
    FROM counters_countertype procedure JOIN counters_site site ON site.id = procedure.site_id
    WHERE procedure.id = type_id;
    IF local_day IS NULL THEN
        RETURN;  -- the procedure is being deleted with its slots
    END IF;
    INSERT INTO counters_dayplaces (counter_type_id, day, places_left) VALUES (type_id, local_day, delta)
    ON CONFLICT (counter_type_id, day) DO UPDATE SET places_left = counters_dayplaces.places_left + delta;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION counters_slot_day_places() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.counter_type_id = NEW.counter_type_id AND OLD.starts_at = NEW.starts_at
            AND OLD.opening_id IS NOT DISTINCT FROM NEW.opening_id THEN
        PERFORM counters_add_day_places(NEW.counter_type_id, NEW.starts_at, NEW.opening_id,
                                        (NEW.capacity - NEW.booked) - (OLD.capacity - OLD.booked));
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM counters_add_day_places(OLD.counter_type_id, OLD.starts_at, OLD.opening_id, -(OLD.capacity - OLD.booked));
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        PERFORM counters_add_day_places(NEW.counter_type_id, NEW.starts_at, NEW.opening_id, NEW.capacity - NEW.booked);
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER counters_slot_day_places AFTER INSERT OR UPDATE OR DELETE ON counters_slot
FOR EACH ROW EXECUTE FUNCTION counters_slot_day_places();

-- Recount a procedure's days from its slots (rare changes: a lottery switched, a site's time zone).
CREATE OR REPLACE FUNCTION counters_recount_day_places(type_id bigint) RETURNS void AS $$
BEGIN
    DELETE FROM counters_dayplaces WHERE counter_type_id = type_id;
    INSERT INTO counters_dayplaces (counter_type_id, day, places_left)
    SELECT slot.counter_type_id, (slot.starts_at AT TIME ZONE site.time_zone)::date, sum(slot.capacity - slot.booked)
    FROM counters_slot slot
    JOIN counters_countertype procedure ON procedure.id = slot.counter_type_id
    JOIN counters_site site ON site.id = procedure.site_id
    LEFT JOIN counters_exceptionalopening opening ON opening.id = slot.opening_id
    WHERE slot.counter_type_id = type_id AND (opening.id IS NULL OR opening.mode <> 'lottery')
    GROUP BY 1, 2;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION counters_opening_day_places() RETURNS trigger AS $$
BEGIN
    PERFORM counters_recount_day_places(type_id)
    FROM (SELECT DISTINCT counter_type_id AS type_id FROM counters_slot WHERE opening_id = NEW.id) touched;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER counters_opening_day_places AFTER UPDATE OF mode ON counters_exceptionalopening
FOR EACH ROW WHEN (OLD.mode IS DISTINCT FROM NEW.mode) EXECUTE FUNCTION counters_opening_day_places();

CREATE OR REPLACE FUNCTION counters_procedure_day_places() RETURNS trigger AS $$
BEGIN
    PERFORM counters_recount_day_places(NEW.id);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER counters_procedure_day_places AFTER UPDATE OF site_id ON counters_countertype
FOR EACH ROW WHEN (OLD.site_id IS DISTINCT FROM NEW.site_id) EXECUTE FUNCTION counters_procedure_day_places();

CREATE OR REPLACE FUNCTION counters_site_day_places() RETURNS trigger AS $$
BEGIN
    PERFORM counters_recount_day_places(id) FROM counters_countertype WHERE site_id = NEW.id;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER counters_site_day_places AFTER UPDATE OF time_zone ON counters_site
FOR EACH ROW WHEN (OLD.time_zone IS DISTINCT FROM NEW.time_zone) EXECUTE FUNCTION counters_site_day_places();

CREATE OR REPLACE FUNCTION counters_forget_day_places() RETURNS trigger AS $$
BEGIN
    DELETE FROM counters_dayplaces WHERE counter_type_id = OLD.id;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER counters_forget_day_places AFTER DELETE ON counters_countertype
FOR EACH ROW EXECUTE FUNCTION counters_forget_day_places();

-- What exists already.
SELECT counters_recount_day_places(id) FROM counters_countertype;
"""

DROP = """
DROP TRIGGER IF EXISTS counters_slot_day_places ON counters_slot;
DROP TRIGGER IF EXISTS counters_opening_day_places ON counters_exceptionalopening;
DROP TRIGGER IF EXISTS counters_procedure_day_places ON counters_countertype;
DROP TRIGGER IF EXISTS counters_site_day_places ON counters_site;
DROP TRIGGER IF EXISTS counters_forget_day_places ON counters_countertype;
DROP FUNCTION IF EXISTS counters_forget_day_places();
DROP FUNCTION IF EXISTS counters_slot_day_places();
DROP FUNCTION IF EXISTS counters_opening_day_places();
DROP FUNCTION IF EXISTS counters_procedure_day_places();
DROP FUNCTION IF EXISTS counters_site_day_places();
DROP FUNCTION IF EXISTS counters_recount_day_places(bigint);
DROP FUNCTION IF EXISTS counters_add_day_places(bigint, timestamptz, bigint, integer);
"""


def triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def no_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("counters", "0017_catalogue_version"),
    ]

    operations = [
        migrations.CreateModel(
            name="DayPlaces",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("day", models.DateField()),
                ("places_left", models.IntegerField(default=0)),
                (
                    "counter_type",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=models.deletion.DO_NOTHING,
                        related_name="+",
                        to="counters.countertype",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("counter_type", "day"), name="day_places_unique")
                ],
            },
        ),
        migrations.RunPython(triggers, no_triggers),
    ]
