"""Settings for the prefecture appointment service.

Every deployment difference is an environment variable, documented in
`.env.example`, and may also be written in a `.env` file. With none set, the
project runs on an embedded default: SQLite, tasks run in-process, e-mails
printed to the console.
"""

import datetime as dt
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


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


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
    # The production layout run on this machine only (make serve-prod, make bench) speaks
    # plain HTTP on the loopback interface, where secure cookies would never come back.
    PLAIN_HTTP_ON_LOOPBACK = env_bool("DJANGO_PLAIN_HTTP_ON_LOOPBACK", False)
    if PLAIN_HTTP_ON_LOOPBACK and not set(ALLOWED_HOSTS) <= {"127.0.0.1", "localhost", "[::1]"}:
        problems.append("DJANGO_PLAIN_HTTP_ON_LOOPBACK is only for hosts 127.0.0.1, localhost and [::1]")
    if problems:
        raise ImproperlyConfigured("Unsafe production settings: " + "; ".join(problems))
    # Behind the TLS proxy, which sets X-Forwarded-Proto (and must strip any the client sent).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # Plain HTTP only on loopback (the production layout on one machine, its benchmarks): no
    # redirect to HTTPS, no Secure cookies, no HSTS; refused for any public host name.
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True) and not PLAIN_HTTP_ON_LOOPBACK
    SESSION_COOKIE_SECURE = not PLAIN_HTTP_ON_LOOPBACK
    CSRF_COOKIE_SECURE = not PLAIN_HTTP_ON_LOOPBACK
    SECURE_HSTS_SECONDS = 0 if PLAIN_HTTP_ON_LOOPBACK else int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", True)
    SECURE_CONTENT_TYPE_NOSNIFF = True

INSTALLED_APPS = [
    # Before the admin, as django-modeltranslation asks: it patches the models its registrations name.
    "modeltranslation",
    # django.contrib.admin, with an admin site that needs the staff login and its second factor
    "prefecture.staff_auth.apps.StaffAdminConfig",
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
    "booking.lottery",
    "booking.waitlist",
    "booking.questions",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "counters.staff_sites",
    "prefecture.staff_auth",  # after django_otp: its admin hides the devices' keys
]

MIDDLEWARE = [
    # Outermost, so that every answer carries the policy, the shed 503 page included; it only
    # adds two precomputed headers.
    "prefecture.middleware.SecurityHeadersMiddleware",
    "prefecture.admission.AdmissionMiddleware",  # sheds load before anything else runs
    "django.middleware.security.SecurityMiddleware",
    "prefecture.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "prefecture.middleware.RejectNullCharactersMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified(): a second factor given in this session
    "django.contrib.messages.middleware.MessageMiddleware",
    "prefecture.middleware.RateLimitedMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a locked-out attempt into the lockout page
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
# While the database is out of reach, pages answer 503 and ask to come back after this many seconds.
DATABASE_OUTAGE_RETRY_AFTER_S = int(os.environ.get("DATABASE_OUTAGE_RETRY_AFTER_S", "10"))
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
    # Django's backend, checking a reused connection (SELECT 1) only after it sat unused this long
    # (prefecture/postgres/base.py): not once per request under load. 0: every request, as Django does.
    DATABASES["default"]["ENGINE"] = "prefecture.postgres"
    DATABASES["default"]["HEALTH_CHECK_IDLE_S"] = float(os.environ.get("DATABASE_HEALTH_CHECK_IDLE_S", "5"))
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

# Staff log in at /agents/connexion/ (prefecture/staff_auth): password, then a second factor.
LOGIN_URL = "staff_auth:login"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: a locked-out attempt never reaches the password check
    "django.contrib.auth.backends.ModelBackend",
]
# Where the admin is served, e.g. "gestion-3f9k/": away from the address every robot tries.
ADMIN_PATH = os.environ.get("DJANGO_ADMIN_PATH", "admin/").strip().strip("/") + "/"
if ADMIN_PATH == "/":
    raise ImproperlyConfigured("DJANGO_ADMIN_PATH must not be empty: the admin would take the home page's place")
# Lockout (django-axes): after this many failures, password or code, for one login name from one
# address, that pair is refused until the cool-off has passed. The pair, not the name alone, so that
# nobody can lock an agent out from anywhere; not the address alone, so that a shared office address
# is not locked for everyone by one person.
AXES_FAILURE_LIMIT = int(os.environ.get("STAFF_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = dt.timedelta(minutes=int(os.environ.get("STAFF_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False  # no banner at each start; attempts are still logged, names and addresses masked
AXES_LOCKOUT_CALLABLE = "prefecture.staff_auth.views.lockout"
AXES_CLIENT_IP_CALLABLE = "prefecture.client_ip.client_ip"
# Masked in the attempts axes records and logs, with the password.
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "code"]
# Reverse proxies in front of Django whose X-Forwarded-For is trusted for the client's address
# (prefecture/client_ip.py: the staff lockout and the rate limits): production runs behind one,
# development behind none.
TRUSTED_PROXY_COUNT = int(os.environ.get("DJANGO_TRUSTED_PROXY_COUNT", "1" if IS_PRODUCTION else "0"))
# The name authenticator apps show beside the account.
OTP_TOTP_ISSUER = os.environ.get("STAFF_OTP_ISSUER", "Rendez-vous en préfecture")

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
    # Holds not confirmed in time give their place back (withheld first, see below). Idempotent.
    "expire-holds": {"task": "booking.tasks.expire_holds_task", "schedule": 60.0},
    # Freed places whose random release time has come: to the waiting list first, then to everyone.
    "release-withheld-places": {"task": "booking.tasks.release_withheld_places_task", "schedule": 60.0},
    "purge-redeemed-proofs": {"task": "booking.tasks.purge_redeemed_proofs_task", "schedule": crontab(minute=45)},
    # Personal data past its retention period anonymised or deleted (booking.retention). Idempotent.
    "purge-personal-data": {"task": "booking.tasks.purge_personal_data_task", "schedule": crontab(hour=3, minute=20)},
    # Lotteries whose registration window has closed are drawn (once: the lottery's row is locked), their
    # places given; places left in drawn lotteries go to their reserve, then to the waiting list. Idempotent.
    "draw-lotteries": {"task": "booking.lottery.tasks.draw_due_lotteries_task", "schedule": 60.0},
    # Answered questions left without a reply for QUESTION_CLOSE_DAYS are closed. Idempotent.
    "close-quiet-questions": {
        "task": "booking.questions.tasks.close_quiet_questions_task",
        "schedule": crontab(minute=15),
    },
}

# Fair access under a rush (README, "Fair access: holds, limits and bots").
# A public booking holds its place this long until the e-mail's code or link confirms it.
HOLD_MINUTES = env_int("HOLD_MINUTES", 15)
# Wrong codes accepted per hold before the code stops working (the e-mail's link still does).
HOLD_MAX_CODE_ATTEMPTS = 5
# The code e-mail may be sent again this many times per hold.
HOLD_MAX_RESENDS = 2
# A freed public place comes back at a random moment between these delays (minutes).
FREED_PLACE_DELAY_MIN_MINUTES = env_int("FREED_PLACE_DELAY_MIN_MINUTES", 2)
FREED_PLACE_DELAY_MAX_MINUTES = env_int("FREED_PLACE_DELAY_MAX_MINUTES", 20)
# No address receives more e-mails than this from the site in an hour (booking/emails/outbox.py).
EMAILS_PER_ADDRESS_PER_HOUR = env_int("EMAILS_PER_ADDRESS_PER_HOUR", 5)
# A lottery registration's or a waiting-list entry's address is proved by the code or link within this (minutes).
EMAIL_CHECK_MINUTES = env_int("EMAIL_CHECK_MINUTES", 30)
# A place offered from the waiting list is held this long (minutes, never past the appointment) for an answer.
WAITLIST_OFFER_MINUTES = env_int("WAITLIST_OFFER_MINUTES", 120)
# Written questions (booking.questions): the delay announced in the acknowledgement (working days).
QUESTION_ANSWER_DAYS = env_int("QUESTION_ANSWER_DAYS", 5)
# An answered question the resident does not reply to within this many days is closed (its link then only reads).
QUESTION_CLOSE_DAYS = env_int("QUESTION_CLOSE_DAYS", 14)
# The procedure (its code, per site) where an agent books an appointment as an answer: the information counter.
QUESTION_COUNTER_TYPE_CODE = os.environ.get("QUESTION_COUNTER_TYPE_CODE", "information")
# Cancel-and-rebook cycles: after this many cancellations in this many days, one identity cannot book online.
REBOOK_MAX_CANCELLATIONS = env_int("REBOOK_MAX_CANCELLATIONS", 3)
REBOOK_WINDOW_DAYS = env_int("REBOOK_WINDOW_DAYS", 30)
# Proof of work (ALTCHA, PBKDF2/SHA-256): iterations per attempt, about 256 attempts on average at the
# lowest difficulty, so about a second on a phone. Each hold from one address (IP) beyond the free ones
# in an hour doubles it (booking/antibot/pow.py).
POW_COST = env_int("POW_COST", 2000)
POW_FREE_HOLDS_PER_IP = env_int("POW_FREE_HOLDS_PER_IP", 4)
POW_CHALLENGE_SECONDS = 600
# Without JavaScript, a form is accepted this long (seconds) after the page was opened, doubled like the cost.
POW_SLOW_PATH_SECONDS = env_int("POW_SLOW_PATH_SECONDS", 30)
# Retention of personal data (README, "Retention of personal data"): the daily job purge_personal_data
# anonymises, this many days after the appointment (or its cancellation, or a hold's expiry), a booking,
# its audit history and its e-mails; a lottery registration after its opening's day; a waiting-list
# entry after it ended; the name declared on an attempt certificate after it was issued; a written question's
# text and address after it was answered or closed.
RETENTION_BOOKING_DAYS = env_int("RETENTION_BOOKING_DAYS", 90)
RETENTION_LOTTERY_DAYS = env_int("RETENTION_LOTTERY_DAYS", 30)
RETENTION_WAITLIST_DAYS = env_int("RETENTION_WAITLIST_DAYS", 30)
RETENTION_CERTIFICATE_DAYS = env_int("RETENTION_CERTIFICATE_DAYS", 365)
RETENTION_QUESTIONS_DAYS = env_int("RETENTION_QUESTIONS_DAYS", 90)
# Rate limits are counted in Redis (by default the broker's), else in each process's memory.
_broker = os.environ.get("CELERY_BROKER_URL", "")
RATELIMIT_REDIS_URL = os.environ.get("RATELIMIT_REDIS_URL", _broker if _broker.startswith("redis") else "")
RATELIMIT_KEY_PREFIX = os.environ.get("RATELIMIT_KEY_PREFIX", "prefecture:rl")
# A Redis that does not answer within this is taken as down for a few seconds (prefecture/ratelimit.py).
RATELIMIT_TIMEOUT_SECONDS = 0.1
# Overrides of booking.limits.DEFAULT_RATES by name, e.g. {"hold:ip": (20, 3600)}.
RATE_LIMITS: dict[str, tuple[int, int]] = {}

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
        # The lockout's failures and lockouts (WARNING, names and addresses masked), not its routine.
        "axes": {"level": "WARNING"},
    },
}
# Celery workers keep this logging configuration (and its filter) instead of their own.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CSRF_FAILURE_VIEW = "prefecture.views.csrf_failure"
