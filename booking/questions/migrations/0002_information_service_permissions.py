"""The staff groups' permissions for the information service (booking/roles.py): agents answer questions and log
calls, and read the topics and reply templates; heads of bureau also write those for their sites."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

AGENT = ["answer_question", "view_topic", "view_replytemplate"]
HEAD = [*AGENT, *[f"{a}_{m}" for m in ("topic", "replytemplate") for a in ("add", "change", "delete")]]
GRANTS = {"Agent d'accueil": AGENT, "Chef de bureau": HEAD, "Administrateur national": HEAD}


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; create this app's now.
    app_config = apps.get_app_config("questions")
    previous, app_config.models_module = getattr(app_config, "models_module", None), True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = previous
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        group = Group.objects.filter(name=name).first()
        if group is not None:
            group.permissions.add(*Permission.objects.filter(content_type__app_label="questions", codename__in=codenames))


class Migration(migrations.Migration):
    dependencies = [("questions", "0001_questions_topics_templates_notes_calls"), ("booking", "0024_faq_permissions_by_site")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
