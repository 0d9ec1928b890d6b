"""The content written before it was translatable is French: it becomes the French translation.

The other languages stay empty, so that pages show the French text, marked as such, until staff
translate it. Nothing is lost going back: the original columns are left as they were.
"""

from django.db import migrations
from django.db.models import F

TRANSLATED = {
    "Site": ("opening_information",),
    "CounterType": ("name", "description", "documents_to_bring"),
    "ExceptionalOpening": ("announcement_title", "announcement_text"),
}


def copy_into_french(apps, schema_editor):
    for model_name, fields in TRANSLATED.items():
        model = apps.get_model("counters", model_name)
        model.objects.update(**{f"{field}_fr": F(field) for field in fields})


class Migration(migrations.Migration):
    dependencies = [("counters", "0014_translated_content")]

    operations = [migrations.RunPython(copy_into_french, migrations.RunPython.noop)]
