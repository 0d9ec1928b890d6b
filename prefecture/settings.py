"""Settings for the prefecture appointment service.

Every deployment difference is an environment variable, documented in
`.env.example`, and may also be written in a `.env` file. With none set, the
project runs on an embedded default: SQLite, tasks run in-process, e-mails
printed to the console.
"""

import os
from pathlib import Path

import dj_database_url
import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

# A .env file fills in what the environment leaves unset: a real environment variable always
# wins. DJANGO_ENV_FILE names another file; the test settings point it at nothing, so that a
# developer's .env never changes a test run.
environ.Env.read_env(os.environ.get("DJANGO_ENV_FILE") or BASE_DIR / ".env")


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
    # As Django's deployment check asks: 50 characters at least, 5 different ones at least.
    if SECRET_KEY == _DEV_SECRET_KEY or len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
        problems.append("DJANGO_SECRET_KEY must be set to a long random value")
    if DEBUG:
        problems.append("DJANGO_DEBUG must be off")
    if not ALLOWED_HOSTS:
        problems.append("DJANGO_ALLOWED_HOSTS must list the site's host names")
    if not os.environ.get("DATABASE_URL"):
        problems.append("DATABASE_URL must point to PostgreSQL")
    if problems:
        raise ImproperlyConfigured("Unsafe production settings: " + "; ".join(problems))
    # Behind the TLS proxy, which sets X-Forwarded-Proto (and must strip any the client sent).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", True)
    SECURE_CONTENT_TYPE_NOSNIFF = True

INSTALLED_APPS = [
    # Before the admin, as django-modeltranslation asks: it patches the models its registrations name.
    "modeltranslation",
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
    "booking.attestations",
    "booking.transparency",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "prefecture.middleware.SecurityHeadersMiddleware",
    "prefecture.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "prefecture.middleware.RejectNullCharactersMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

if IS_PRODUCTION:  # in development, runserver serves the static files itself
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

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
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        f"-c lock_timeout={os.environ.get('DATABASE_LOCK_TIMEOUT_MS', '3000')}"
        f" -c statement_timeout={os.environ.get('DATABASE_STATEMENT_TIMEOUT_MS', '30000')}"
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

# French is the source language of the interface and of the content staff enter. The others are
# those most read by the people the bureau du séjour receives (README, "Languages"); each is named in
# itself by the language switch. Arabic is written right to left (Django's LANGUAGE_BIDI).
LANGUAGE_CODE = "fr"
LANGUAGES = [
    ("fr", _("Français")),
    ("en", _("Anglais")),
    ("ar", _("Arabe")),
    ("es", _("Espagnol")),
    ("pt", _("Portugais")),
    ("ru", _("Russe")),
    ("tr", _("Turc")),
    ("zh-hans", _("Chinois simplifié")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Content (procedures, documents, openings, FAQ) is translated field by field (counters/translation.py,
# prefecture/translation.py); a translation staff have not entered yet shows the French text, marked.
# The language switch (Django's set_language view) remembers the choice in a cookie, for a year: a
# resident who chose Arabic finds the site in Arabic when they come back to move their appointment.
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SECURE = IS_PRODUCTION
MODELTRANSLATION_DEFAULT_LANGUAGE = "fr"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("fr",)
# A text given without saying its language (`CounterType.objects.create(name=…)` while another language
# is active) also becomes the French text when there is none yet: the fallback is never empty.
MODELTRANSLATION_AUTO_POPULATE = "default"
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

# Sent by prefecture.middleware.SecurityHeadersMiddleware on every response. No inline
# script or style anywhere: templates use static files (the DSFR's and static/css/site.css).
CONTENT_SECURITY_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    # The DSFR's stylesheet draws some icons and form controls from data: SVG images.
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
# Browser features the site never uses, refused to every page and anything it embeds.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
}

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
# The longest one attempt at sending an e-mail may last, after which Celery
# kills it: the SMTP exchange (its steps each bounded by EMAIL_TIMEOUT), then
# recording the message as sent, retried while the database is unreachable.
# A row still SENDING after this (plus a margin) was abandoned by a dead
# worker, and is sent again: see booking/emails/outbox.py.
OUTBOX_SEND_TIME_LIMIT = 2 * EMAIL_TIMEOUT + 30
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Préfecture — rendez-vous <rendez-vous@localhost>")
# These backends send nothing: they print or store whole e-mails (names, links to
# appointments). A production server falls back on them only if told to.
UNSENT_EMAIL_BACKENDS = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
}
if IS_PRODUCTION and EMAIL_BACKEND in UNSENT_EMAIL_BACKENDS and not env_bool("EMAIL_ALLOW_UNSENT_IN_PRODUCTION", False):
    raise ImproperlyConfigured(
        f"Unsafe production settings: e-mails would not be sent ({EMAIL_BACKEND}); set EMAIL_HOST, "
        "or EMAIL_ALLOW_UNSENT_IN_PRODUCTION=true to accept it"
    )

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
CELERY_TASK_ANNOTATIONS = {
    "booking.tasks.send_email_task": {
        "time_limit": OUTBOX_SEND_TIME_LIMIT,
        "soft_time_limit": OUTBOX_SEND_TIME_LIMIT - 5,  # after the outbox stops retrying to record SENT
    }
}
CELERY_BEAT_SCHEDULE = {
    "generate-slots": {"task": "counters.tasks.generate_slots_task", "schedule": 300.0},
    # An opening published for a given time gets its slots within the minute.
    "materialise-due-openings": {"task": "counters.tasks.materialise_due_openings_task", "schedule": 60.0},
    # The outbox's one retry policy; with its 85 s stale timeout, an e-mail whose
    # worker died leaves within about 2 minutes (booking/emails/outbox.py).
    "sweep-outbox": {"task": "booking.tasks.sweep_outbox_task", "schedule": 30.0},
    # Idempotent: overlapping or repeated runs queue each reminder once.
    "queue-due-reminders": {"task": "booking.tasks.queue_due_reminders_task", "schedule": 600.0},
    # Hourly, so that each site is handled after its own evening (20:00 in its time zone): whoever
    # never came is marked absent. Idempotent.
    "mark-no-shows": {"task": "booking.tasks.mark_no_shows_task", "schedule": crontab(minute=0)},
    # Hourly, at half past: away from the midnight releases, so a sample does not straddle one.
    # Idempotent: one sample per procedure and hour.
    "record-availability": {
        "task": "booking.transparency.tasks.record_availability_samples_task",
        "schedule": crontab(minute=30),
    },
}

# How far ahead slots are generated.
SLOT_HORIZON_DAYS = int(os.environ.get("SLOT_HORIZON_DAYS", "90"))

# Every handler masks the tokens of booking links (prefecture.log_filters). Django's own
# handlers are replaced: its "django" logger goes to ours, and its development server's
# request lines go through the same filter.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_tokens": {"()": "prefecture.log_filters.MaskTokensFilter"}},
    "formatters": {
        "django.server": {"()": "django.utils.log.ServerFormatter", "format": "[{server_time}] {message}", "style": "{"}
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["mask_tokens"]},
        "django.server": {"class": "logging.StreamHandler", "formatter": "django.server", "filters": ["mask_tokens"]},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
        "django.db.backends": {"level": "INFO"},
    },
}
# Celery workers keep this logging configuration (and its filter) instead of their own.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CSRF_FAILURE_VIEW = "prefecture.views.csrf_failure"
