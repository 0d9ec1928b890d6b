"""Settings for the prefecture appointment service.

Every deployment difference is an environment variable, documented in
`.env.example`. With none set, the project runs on an embedded default:
SQLite, tasks run in-process, e-mails printed to the console.
"""

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# "development" (the default, for `make run` and tests) or "production".
ENVIRONMENT = os.environ.get("DJANGO_ENV", "development")
IS_PRODUCTION = ENVIRONMENT == "production"

_DEV_SECRET_KEY = "dev-only-insecure-key-never-use-in-production"
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", _DEV_SECRET_KEY)
DEBUG = env_bool("DJANGO_DEBUG", default=not IS_PRODUCTION)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "" if IS_PRODUCTION else "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

if IS_PRODUCTION:
    problems = []
    if SECRET_KEY == _DEV_SECRET_KEY or len(SECRET_KEY) < 40:
        problems.append("DJANGO_SECRET_KEY must be set to a long random value")
    if DEBUG:
        problems.append("DJANGO_DEBUG must be off")
    if not ALLOWED_HOSTS:
        problems.append("DJANGO_ALLOWED_HOSTS must list the site's host names")
    if not os.environ.get("DATABASE_URL"):
        problems.append("DATABASE_URL must point to PostgreSQL")
    # The production layout run on this machine only (make serve-prod, make bench) speaks
    # plain HTTP on the loopback interface, where secure cookies would never come back.
    PLAIN_HTTP_ON_LOOPBACK = env_bool("DJANGO_PLAIN_HTTP_ON_LOOPBACK", False)
    if PLAIN_HTTP_ON_LOOPBACK and not set(ALLOWED_HOSTS) <= {"127.0.0.1", "localhost", "[::1]"}:
        problems.append("DJANGO_PLAIN_HTTP_ON_LOOPBACK is only for hosts 127.0.0.1, localhost and [::1]")
    if problems:
        raise ImproperlyConfigured("Unsafe production settings: " + "; ".join(problems))
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = not PLAIN_HTTP_ON_LOOPBACK
    CSRF_COOKIE_SECURE = not PLAIN_HTTP_ON_LOOPBACK
    SECURE_HSTS_SECONDS = 0 if PLAIN_HTTP_ON_LOOPBACK else int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
    SECURE_CONTENT_TYPE_NOSNIFF = True

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "dsfr",
    "crispy_forms",
    "django_countries",
    "simple_history",
    "prefecture",
    "counters",
    "booking",
]

MIDDLEWARE = [
    "prefecture.admission.AdmissionMiddleware",  # first: sheds load before anything else runs
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

if IS_PRODUCTION:  # in development, runserver serves the static files itself
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
        "whitenoise.middleware.WhiteNoiseMiddleware",
    )

# Load shedding (prefecture/admission.py, docs/deployment.md): at most this many
# requests run at once in each web process (0: no limit, the development default);
# the others wait at most ADMISSION_MAX_WAIT_MS, then get a 503 with Retry-After.
ADMISSION_CONCURRENCY = int(os.environ.get("ADMISSION_CONCURRENCY", "2" if IS_PRODUCTION else "0"))
ADMISSION_MAX_WAIT_MS = int(os.environ.get("ADMISSION_MAX_WAIT_MS", "3000"))
ADMISSION_RETRY_AFTER_S = int(os.environ.get("ADMISSION_RETRY_AFTER_S", "10"))
# Count the wait from nginx's X-Request-Start header: only behind a proxy that sets it.
ADMISSION_TRUST_REQUEST_START = env_bool("ADMISSION_TRUST_REQUEST_START", False)
# make bench only: mounts the benchmarks' floor view (prefecture/benchfloor.py).
BENCH_FLOOR_VIEW = env_bool("BENCH_FLOOR_VIEW", False)

ROOT_URLCONF = "prefecture.urls"
WSGI_APPLICATION = "prefecture.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "prefecture.context_processors.site_identity",
            ],
        },
    },
]

# Database: PostgreSQL through DATABASE_URL; an embedded SQLite file otherwise.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "600")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A booking waits at most this long for a row lock, then the visitor is
    # told the service is busy, instead of hanging during a rush.
    _timeouts = {
        "lock_timeout": int(os.environ.get("DATABASE_LOCK_TIMEOUT_MS", "3000")),
        "statement_timeout": int(os.environ.get("DATABASE_STATEMENT_TIMEOUT_MS", "30000")),
    }
    # A database that does not answer must not hold a request (or /readyz) for minutes.
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = int(
        os.environ.get("DATABASE_CONNECT_TIMEOUT_S", "5")
    )
    if env_bool("DATABASE_PGBOUNCER", False):
        # PgBouncer in transaction pooling mode hands each transaction to any
        # server connection: session settings and server-side cursors do not
        # survive it. The timeouts are set again in every transaction instead
        # (prefecture/db.py); see docs/deployment.md.
        DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
        DATABASES["default"]["TIMEOUTS_PER_TRANSACTION"] = _timeouts
    else:
        DATABASES["default"].setdefault("OPTIONS", {})["options"] = " ".join(
            f"-c {name}={value}" for name, value in _timeouts.items()
        )
else:
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# French is the source language of the interface.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if IS_PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

SESSION_ENGINE = (
    "django.contrib.sessions.backends.signed_cookies"
    if env_bool("SESSION_IN_COOKIE", False)
    else "django.contrib.sessions.backends.db"
)
SESSION_COOKIE_AGE = 60 * 60 * 2  # a booking in progress is kept two hours
SESSION_COOKIE_HTTPONLY = True

CRISPY_ALLOWED_TEMPLATE_PACKS = ("dsfr",)
CRISPY_TEMPLATE_PACK = "dsfr"
DSFR_USE_INTEGRITY_CHECKSUMS = True

LOGIN_URL = "admin:login"

# E-mail: SMTP when a host is configured; otherwise written as .log files to
# EMAIL_FILE_PATH when set (what `make run` does), else printed to the console.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", "")
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else (
        "django.core.mail.backends.filebased.EmailBackend"
        if EMAIL_FILE_PATH
        else "django.core.mail.backends.console.EmailBackend"
    ),
)
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "20"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Préfecture — rendez-vous <rendez-vous@localhost>")

# Public address of the site, used in links inside e-mails.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Celery: Redis through CELERY_BROKER_URL; tasks run in-process otherwise.
CELERY_TASK_ALWAYS_EAGER = not os.environ.get("CELERY_BROKER_URL")
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL") or "memory://localhost/"
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 60
CELERY_TASK_TIME_LIMIT = 90
CELERY_TIMEZONE = TIME_ZONE
# A broker that is down or silent must never hold a request: short socket
# timeouts, and no publish retries in the request path (the outbox sweep
# re-sends what a failed dispatch left behind).
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 2,
    "socket_timeout": 2,
    "retry_on_timeout": False,
    "max_retries": 0,
    "visibility_timeout": 3600,
}
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BEAT_SCHEDULE = {
    "generate-slots": {"task": "counters.tasks.generate_slots_task", "schedule": 300.0},
    # An opening published for a given time gets its slots within the minute.
    "materialise-due-openings": {"task": "counters.tasks.materialise_due_openings_task", "schedule": 60.0},
    "sweep-outbox": {"task": "booking.tasks.sweep_outbox_task", "schedule": 120.0},
    # Idempotent: overlapping or repeated runs queue each reminder once.
    "queue-due-reminders": {"task": "booking.tasks.queue_due_reminders_task", "schedule": 600.0},
    # After the counters close: whoever never came is marked absent.
    "mark-no-shows": {"task": "booking.tasks.mark_no_shows_task", "schedule": crontab(hour=20, minute=0)},
}

# How far ahead slots are generated.
SLOT_HORIZON_DAYS = int(os.environ.get("SLOT_HORIZON_DAYS", "90"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
CSRF_FAILURE_VIEW = "prefecture.views.csrf_failure"
