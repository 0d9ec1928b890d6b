"""Settings are read in a fresh interpreter: production must refuse unsafe values."""

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SUMMARY = "settings.DATABASES['default']['ENGINE'], settings.CELERY_TASK_ALWAYS_EAGER, settings.DEBUG"


# A production environment as an operator would write it; tests change one thing at a time.
PRODUCTION = {
    "DJANGO_ENV": "production",
    "DJANGO_SECRET_KEY": "a-long-random-value-0123456789-abcdefghijklmnopqrstuvwxyz",
    "DJANGO_ALLOWED_HOSTS": "rdv.example.gouv.fr",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/x",
    "EMAIL_HOST": "smtp.example.gouv.fr",
}


def clean_environment() -> dict:
    """This process's environment without any setting of the project's, and never a developer's .env."""
    kept = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "CELERY_", "EMAIL_"))}
    return {**kept, "DJANGO_ENV_FILE": os.devnull}


def load_settings(*, show: str = SUMMARY, module: str = "prefecture.settings", **env):
    """Print `show` from settings loaded in a fresh interpreter with only `env` set."""
    return subprocess.run(
        [sys.executable, "-c", f"import django; from django.conf import settings; django.setup(); print({show})"],
        cwd=ROOT,
        env={**clean_environment(), "DJANGO_SETTINGS_MODULE": module, **env},
        capture_output=True,
        text=True,
    )


def manage(*args, **env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean_environment(), **env},
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
    assert result.stdout.split() == ["prefecture.postgres", "False", "True"]


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
    result = load_settings(**PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["prefecture.postgres", "True", "False"]


def test_production_refuses_a_short_or_repetitive_secret_key():
    for key in ("k" * 50, "0123456789" * 4):
        result = load_settings(**{**PRODUCTION, "DJANGO_SECRET_KEY": key})
        assert result.returncode != 0 and "DJANGO_SECRET_KEY" in result.stderr


def test_the_deployment_check_finds_nothing_to_warn_about_in_production():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_behind_a_proxy_that_redirects_to_https_itself_the_redirect_can_be_left_to_it():
    """Turning it off is a choice the deployment check still flags, as it should."""
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION, DJANGO_SECURE_SSL_REDIRECT="false")
    assert result.returncode != 0 and "security.W008" in result.stderr


@pytest.mark.parametrize("backend", ["console", "filebased"])
def test_production_refuses_to_print_or_file_emails_instead_of_sending_them(backend):
    env = {key: value for key, value in PRODUCTION.items() if key != "EMAIL_HOST"}
    if backend == "filebased":
        env["EMAIL_FILE_PATH"] = "/tmp/sent-emails"
    result = load_settings(**env)
    assert result.returncode != 0
    assert f"{backend}.EmailBackend" in result.stderr and "EMAIL_ALLOW_UNSENT_IN_PRODUCTION" in result.stderr


def test_production_may_be_told_to_leave_emails_unsent():
    env = {key: value for key, value in PRODUCTION.items() if key != "EMAIL_HOST"}
    result = load_settings(**env, EMAIL_ALLOW_UNSENT_IN_PRODUCTION="true")
    assert result.returncode == 0, result.stderr


def test_production_keeps_django_s_slow_password_hasher():
    result = load_settings(show="settings.PASSWORD_HASHERS[0]")
    assert result.stdout.strip() == "django.contrib.auth.hashers.PBKDF2PasswordHasher"


def test_an_env_file_fills_in_what_the_environment_leaves_unset(tmp_path):
    env_file = tmp_path / "env"
    env_file.write_text("SITE_URL=https://rdv.example.gouv.fr\nSLOT_HORIZON_DAYS=12\nSESSION_IN_COOKIE=true\n")
    result = load_settings(
        show="settings.SITE_URL, settings.SLOT_HORIZON_DAYS, settings.SESSION_ENGINE",
        DJANGO_ENV_FILE=str(env_file),
        SLOT_HORIZON_DAYS="30",
    )
    assert result.returncode == 0, result.stderr
    # The real environment wins over the file.
    assert result.stdout.split() == [
        "https://rdv.example.gouv.fr",
        "30",
        "django.contrib.sessions.backends.signed_cookies",
    ]


def test_the_test_settings_never_read_an_env_file(tmp_path):
    env_file = tmp_path / "env"
    env_file.write_text("SITE_URL=https://from-a-developer-env-file.example\n")
    result = load_settings(show="settings.SITE_URL", module="tests.settings", DJANGO_ENV_FILE=str(env_file))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "http://127.0.0.1:8000"


ENV_READERS = {"get", "getenv", "env_bool", "env_list"}


def variables_read_by_settings() -> set[str]:
    """Every name settings.py reads from the environment: os.environ.get/[…], os.getenv, env_* helpers."""
    tree = ast.parse((ROOT / "prefecture" / "settings.py").read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            receiver = ast.unparse(func.value) if isinstance(func, ast.Attribute) else ""
            if (name in ENV_READERS and receiver in ("os.environ", "os", "")) or name.startswith("env_"):
                names.add(node.args[0].value)
        elif isinstance(node, ast.Subscript) and ast.unparse(node.value) == "os.environ":
            if isinstance(node.slice, ast.Constant):
                names.add(node.slice.value)
    return names


def test_env_example_documents_every_variable_the_settings_read():
    read = variables_read_by_settings()
    assert {"DJANGO_SECRET_KEY", "DATABASE_LOCK_TIMEOUT_MS", "SESSION_IN_COOKIE", "EMAIL_BACKEND"} <= read
    example = (ROOT / ".env.example").read_text()
    documented = set(re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=", example, flags=re.MULTILINE))
    assert read - documented == set(), "add these to .env.example"
