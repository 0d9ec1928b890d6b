"""Settings are read in a fresh interpreter: production must refuse unsafe values."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def load_settings(**env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "CELERY_"))}
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; from django.conf import settings; django.setup(); "
            "print(settings.DATABASES['default']['ENGINE'], settings.CELERY_TASK_ALWAYS_EAGER, settings.DEBUG)",
        ],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "prefecture.settings", **env},
        capture_output=True,
        text=True,
    )


def test_without_any_variable_the_project_runs_on_sqlite_with_tasks_in_process():
    result = load_settings()
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.sqlite3", "True", "True"]


def test_database_and_broker_urls_select_postgresql_and_a_real_broker():
    result = load_settings(
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/x", CELERY_BROKER_URL="redis://127.0.0.1:6379/0"
    )
    assert result.stdout.split() == ["django.db.backends.postgresql", "False", "True"]


def test_production_refuses_the_default_secret_key_and_debug():
    result = load_settings(
        DJANGO_ENV="production",
        DJANGO_DEBUG="1",
        DJANGO_ALLOWED_HOSTS="rdv.example.gouv.fr",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/x",
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr and "DJANGO_DEBUG" in result.stderr


def test_production_starts_with_safe_settings():
    result = load_settings(
        DJANGO_ENV="production",
        DJANGO_SECRET_KEY="k" * 50,
        DJANGO_ALLOWED_HOSTS="rdv.example.gouv.fr",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/x",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.postgresql", "True", "False"]
