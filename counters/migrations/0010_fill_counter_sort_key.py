from django.db import migrations

from counters.sorting import natural_sort_key


def fill_sort_keys(apps, schema_editor):
    Counter = apps.get_model("counters", "Counter")
    counters = list(Counter.objects.only("pk", "label"))
    for counter in counters:
        counter.sort_key = natural_sort_key(counter.label)
    Counter.objects.bulk_update(counters, ["sort_key"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("counters", "0009_counter_sort_key"),
    ]

    operations = [
        migrations.RunPython(fill_sort_keys, migrations.RunPython.noop),
    ]
