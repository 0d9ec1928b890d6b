"""Settings of the production layout, read in a fresh interpreter, and the access-log mask."""

import subprocess
import sys

from prefecture.deploy.access_log import mask_tokens
from tests.test_settings import PRODUCTION as PRODUCTION_WITH_HOST
from tests.test_settings import ROOT, clean_environment

# A production environment without its host names: each test gives its own.
PRODUCTION = {key: value for key, value in PRODUCTION_WITH_HOST.items() if key != "DJANGO_ALLOWED_HOSTS"}


def read_settings(expression: str, **env) -> subprocess.CompletedProcess:
    code = f"import django; from django.conf import settings; django.setup(); print(repr(({expression})))"
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean_environment(), "DJANGO_SETTINGS_MODULE": "prefecture.settings", **env},
        capture_output=True,
        text=True,
    )


def test_plain_http_is_refused_for_a_public_host_name():
    result = read_settings(
        "1", **PRODUCTION, DJANGO_ALLOWED_HOSTS="rdv.example.gouv.fr", DJANGO_PLAIN_HTTP_ON_LOOPBACK="true"
    )
    assert result.returncode != 0 and "DJANGO_PLAIN_HTTP_ON_LOOPBACK" in result.stderr


def test_plain_http_on_loopback_drops_secure_cookies_and_hsts_only_there():
    expression = "settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE, settings.SECURE_HSTS_SECONDS"
    local = read_settings(
        expression, **PRODUCTION, DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost", DJANGO_PLAIN_HTTP_ON_LOOPBACK="true"
    )
    public = read_settings(expression, **PRODUCTION, DJANGO_ALLOWED_HOSTS="rdv.example.gouv.fr")
    assert local.stdout.strip() == "(False, False, 0)", local.stderr
    assert public.stdout.strip() == "(True, True, 31536000)", public.stderr


def test_behind_pgbouncer_timeouts_move_from_connection_options_to_each_transaction():
    expression = "settings.DATABASES['default'].get('DISABLE_SERVER_SIDE_CURSORS'), " + ", ".join(
        f"settings.DATABASES['default']{key}"
        for key in ("['OPTIONS'].get('options')", ".get('TIMEOUTS_PER_TRANSACTION')")
    )
    direct = read_settings(expression, **PRODUCTION, DJANGO_ALLOWED_HOSTS="x")
    pooled = read_settings(expression, **PRODUCTION, DJANGO_ALLOWED_HOSTS="x", DATABASE_PGBOUNCER="true")
    assert direct.stdout.strip() == "(False, '-c lock_timeout=3000 -c statement_timeout=30000', None)", direct.stderr
    assert pooled.stdout.strip() == ("(True, None, {'lock_timeout': 3000, 'statement_timeout': 30000})"), pooled.stderr


def test_booking_tokens_are_masked_in_access_log_lines():
    line = (
        '"GET /mon-rendez-vous/AbC-12_x/deplacer/?jour=2026-12-01 HTTP/1.1" 200 '
        '"https://rdv.example.gouv.fr/rendez-vous/confirmation/ZZZ-9/"'
    )
    assert mask_tokens(line) == (
        '"GET /mon-rendez-vous/[token]/deplacer/?jour=2026-12-01 HTTP/1.1" 200 '
        '"https://rdv.example.gouv.fr/rendez-vous/confirmation/[token]/"'
    )
    assert mask_tokens("GET /mon-rendez-vous/lien-perdu/ HTTP/1.1") == "GET /mon-rendez-vous/lien-perdu/ HTTP/1.1"
