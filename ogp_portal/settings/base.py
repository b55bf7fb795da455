"""Settings shared by every environment, read once from the environment.

Defaults run with nothing installed: no DATABASE_URL means a SQLite file in the project
folder, no REDIS_URL means Celery's embedded filesystem broker. Every variable is listed
in .env.example and the README.
"""

import os
from pathlib import Path
from typing import Literal

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
# Runtime data of the embedded setup (SQLite file, broker folders, beat schedule, uploads).
VAR_DIR = Path(environ.Env().str("OGP_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)


def env_secret(name: str, default: str | None = None) -> str | None:
    """Read NAME, or the file named by NAME_FILE (docker secrets), or the default."""
    file_name = env.str(f"{name}_FILE", default="")
    if file_name:
        return Path(file_name).read_text().strip()
    return env.str(name, default=default)


DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env_secret("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set the SECRET_KEY environment variable (or SECRET_KEY_FILE) "
            "to a long random string; it is required whenever DEBUG is off."
        )
    # Only for local development with DEBUG on; never used when DEBUG is off.
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "whitenoise.runserver_nostatic",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_filters",
    "simple_history",
    # The public read API at /api/v1/ (records/api/): REST framework, its OpenAPI schema
    # (shown to people by the portal's own page, records/api/docs.py), and CORS headers
    # limited to /api/.
    "rest_framework",
    "drf_spectacular",
    "corsheaders",
    "ogp_portal.core",
    "ogp_portal.users",
    "ogp_portal.organisations",
    "ogp_portal.guides",
    "plans",
    "commitments",
    "consultations",
    "forums",
    "records",
    # Project tooling: the demo loader and the scale seeder (management commands only).
    "ogp_portal.seeding",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Read-only CORS on /api/ only (CORS_* below); answers preflight requests itself.
    "corsheaders.middleware.CorsMiddleware",
    # Beyond capacity: 503 + Retry-After at once, before sessions (LOAD_SHEDDING below).
    "ogp_portal.core.load_shedding.LoadSheddingMiddleware",
    "ogp_portal.core.csp.CachedCSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Public pages for anonymous readers, from the cache (ogp_portal/core/page_cache.py).
    "ogp_portal.core.page_cache.PageCacheMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Responses to signed-in people: Cache-Control: private, no-store (core/private_pages).
    "ogp_portal.core.private_pages.PrivateCacheControlMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "ogp_portal.users.middleware.RequireSecretariatMFAMiddleware",
    # `require(request, perm, obj)` in a view sends anonymous people to sign in (core/form_views).
    "ogp_portal.core.form_views.SignInRedirectMiddleware",
]

ROOT_URLCONF = "ogp_portal.urls"
# A form whose CSRF check fails: the portal's layout with the typed text, not Django's page.
CSRF_FAILURE_VIEW = "ogp_portal.core.csrf_failure.csrf_failure"
WSGI_APPLICATION = "ogp_portal.wsgi.application"

# --- Templates: ogp_portal/settings/templates.py ---
from .templates import *  # noqa: E402, F403

# --- Database ---
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'ogp_portal.sqlite3'}")
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web server and the Celery worker share the file: WAL lets readers and one writer
    # work at once, IMMEDIATE takes the write lock up front so a busy database waits
    # (busy timeout) instead of failing half way through a transaction.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # checked without
        DATABASES["default"]["ENGINE"] = "ogp_portal.core.postgresql"  # a query: see there
    # Prepared statements: planned once per connection, not per request (bench: the thread
    # page's PostgreSQL CPU 4.6 -> 2.0 ms). Turn off behind PgBouncer older than 1.22 or
    # without max_prepared_statements; the backend handles the rest (core/postgresql/base.py).
    if DATABASES["default"]["ENGINE"].endswith("postgresql") and env.bool(
        "DATABASE_SERVER_SIDE_BINDING", default=True
    ):
        DATABASES["default"].setdefault("OPTIONS", {}).update(
            server_side_binding=True, prepare_threshold=5
        )

# Django 6 default, opted into now: bare URLs typed into forms are https.
FORMS_URLFIELD_ASSUME_HTTPS = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "users.User"

# --- Accounts (django-allauth) ---
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    # Long passwords are hashed on every sign-in attempt: 128 characters is room for any
    # passphrase or password manager, and a bound on the work one request can cause.
    {
        "NAME": "ogp_portal.users.password_validation.MaximumLengthValidator",
        "OPTIONS": {"max_length": 128},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Account e-mails link to SITE_URL like every other e-mail (ogp_portal/users/account_adapter.py).
ACCOUNT_ADAPTER = "ogp_portal.users.account_adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
# Security notices to the primary (or, on a change, the old) address: primary address changed,
# password changed or reset, two-factor turned on or off, recovery codes made. An address
# added is announced by ogp_portal/users/signals.py.
ACCOUNT_EMAIL_NOTIFICATIONS = True
# Reset links go only to verified addresses (see the form).
ACCOUNT_FORMS = {"reset_password": "ogp_portal.users.forms.VerifiedAddressResetPasswordForm"}
ACCOUNT_EMAIL_SUBJECT_PREFIX = env.str("EMAIL_SUBJECT_PREFIX", default="[OGP portal] ")
ACCOUNT_DEFAULT_HTTP_PROTOCOL = env.str(
    "DEFAULT_HTTP_PROTOCOL", default="http" if DEBUG else "https"
)
# False (settings/test.py) switches allauth's rate limits off.
ACCOUNT_RATE_LIMITS: dict[str, str] | Literal[False] = {"login_failed": "10/m/ip,5/5m/key"}
LOGIN_REDIRECT_URL = "core:home"
LOGIN_URL = "account_login"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env.str("MFA_TOTP_ISSUER", default="OGP portal")
# Secretariat accounts can verify organisations and grant roles portal-wide, so they must use
# a second factor (TOTP). The switch exists for automated tests of other features only.
OGP_REQUIRE_SECRETARIAT_MFA = env.bool("OGP_REQUIRE_SECRETARIAT_MFA", default=True)

# --- E-mail ---
# EMAIL_URL picks a Django backend: consolemail:// (demo, printed in the terminal),
# smtp+tls://user:pass@host:587 (production), or set EMAIL_BACKEND to an API backend through
# django-anymail (e.g. anymail.backends.mailgun.EmailBackend) with its options in ANYMAIL (JSON).
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
if env.str("EMAIL_BACKEND", default=""):
    EMAIL_BACKEND = env.str("EMAIL_BACKEND")
ANYMAIL = env.json("ANYMAIL", default={})
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
# A send that fails on the network is retried this many times, waiting EMAIL_RETRY_BACKOFF
# seconds, then doubling up to EMAIL_RETRY_BACKOFF_MAX; then the secretariat sees the failure.
EMAIL_MAX_RETRIES = env.int("EMAIL_MAX_RETRIES", default=6)
EMAIL_RETRY_BACKOFF = env.int("EMAIL_RETRY_BACKOFF", default=30)
EMAIL_RETRY_BACKOFF_MAX = env.int("EMAIL_RETRY_BACKOFF_MAX", default=3600)
# The portal's one canonical public address, for every link in e-mails (never the Host header
# of whichever request happened to send the e-mail). Default: the development server with
# DEBUG, else https:// and the first host name in ALLOWED_HOSTS.
_SITE_HOSTS = [h for h in ALLOWED_HOSTS if h and h != "*" and not h.startswith(".")]
SITE_URL = env.str(
    "SITE_URL",
    default="http://127.0.0.1:8000" if DEBUG or not _SITE_HOSTS else f"https://{_SITE_HOSTS[0]}",
).rstrip("/")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="OGP portal <noreply@ogp-portal.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Internationalisation ---
LANGUAGE_CODE = "en"
# The switcher shows each name in its own language (name_local); these are the translated names.
LANGUAGES = [
    ("en", _("English")),
    ("fr", _("French")),
    ("es", _("Spanish")),
    ("ar", _("Arabic")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["ogp_portal.formats"]
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

# --- Static and media ---
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Upload limits (ogp_portal/core/uploads.py): images above this many pixels are refused from
# their header, before decoding; zip-based documents (ODT, DOCX) may expand at most this many
# times their size and to at most this many bytes, or they are refused as a zip bomb.
UPLOAD_MAX_IMAGE_PIXELS = env.int("UPLOAD_MAX_IMAGE_PIXELS", default=40_000_000)
UPLOAD_MAX_ZIP_RATIO = env.int("UPLOAD_MAX_ZIP_RATIO", default=100)
UPLOAD_MAX_UNCOMPRESSED_BYTES = env.int("UPLOAD_MAX_UNCOMPRESSED_BYTES", default=200 * 1024 * 1024)
# Object storage (S3-compatible) for uploads and generated PDFs when a bucket is configured;
# otherwise files stay on local disk under MEDIA_ROOT. Files are never served from /media/:
# every download goes through a permission-checked view.
AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="")
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage"}
    AWS_S3_ENDPOINT_URL = env.str("AWS_S3_ENDPOINT_URL", default=None)
    AWS_S3_REGION_NAME = env.str("AWS_S3_REGION_NAME", default=None)
    AWS_DEFAULT_ACL = None
    AWS_QUERYSTRING_AUTH = True

# --- Security (the same in every environment; prod.py only adds transport hardening) ---
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# --- Privacy periods and the OGP process rules: ogp_portal/settings/ogp.py ---
from .ogp import *  # noqa: E402, F403

# --- Celery ---
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_BROKER_DIR = VAR_DIR / "broker"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS: dict = {
        # A message a worker took but never acknowledged (it died) goes back to the queue
        # after this many seconds. It must outlast the longest task (an export's hard limit,
        # 11 minutes) and the longest retry countdown (EMAIL_RETRY_BACKOFF_MAX), or Redis
        # hands a task still running or waiting to a second worker. A lost export does not
        # wait for it: the export sweeper below runs it again within two minutes.
        "visibility_timeout": env.int(
            "CELERY_VISIBILITY_TIMEOUT", default=max(EMAIL_RETRY_BACKOFF_MAX, 660) + 600
        ),
    }
else:
    # Embedded broker: kombu's filesystem transport, one folder that producers and workers
    # share, so `make demo` needs no broker server.
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR / "queue"),
        "data_folder_out": str(CELERY_BROKER_DIR / "queue"),
        "processed_folder": str(CELERY_BROKER_DIR / "processed"),
        # Broadcast (remote control) messages; kombu's default is ./control in the cwd.
        "control_folder": str(CELERY_BROKER_DIR / "control"),
        "store_processed": False,
    }
    CELERY_RESULT_BACKEND = f"file://{CELERY_BROKER_DIR / 'results'}"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_RESULT_EXPIRES = 3600
CELERY_TASK_SOFT_TIME_LIMIT = 300
CELERY_TASK_TIME_LIMIT = 360
# A task's message is acknowledged when the task ends, not when it starts, and given back
# to the queue when its worker process dies under it: a killed worker loses no job. Every
# task is safe to run again (each claims its work by compare-and-set, a lease or a sent
# marker); at worst a plain e-mail whose worker died mid-send goes out twice, not never.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Every periodic job lives here, each with a comment saying what it does and why.
CELERY_BEAT_SCHEDULE: dict = {
    # Records that the scheduler is alive, so /health/ and the demo show that beat runs.
    "record-heartbeat": {"task": "ogp_portal.core.tasks.record_heartbeat_task", "schedule": 60.0},
}
# How often beat publishes the outbox rows that no process published right after its commit
# (the broker was down, or the process died): the longest a committed change waits for its job.
OUTBOX_RELAY_SECONDS = env.float("OUTBOX_RELAY_SECONDS", default=5.0)
CELERY_BEAT_SCHEDULE |= {
    # Jobs and e-mails are written to the outbox with the change they belong to; this hands
    # over the ones still waiting, so a broker outage delays them but never loses them.
    "relay-outbox": {
        "task": "ogp_portal.core.tasks.relay_outbox_task",
        "schedule": OUTBOX_RELAY_SECONDS,
        # A run not started within the interval is superseded by the next one.
        "options": {"expires": OUTBOX_RELAY_SECONDS},
    },
}
# (The reminder scan and the daily digest are added below, once their settings are read.)

# --- Export jobs that lose their worker (ogp_portal/core/export_liveness.py) ---
# A running export writes a heartbeat every EXPORT_HEARTBEAT_SECONDS; without one for
# EXPORT_HEARTBEAT_TIMEOUT_SECONDS its worker is presumed dead. A queued export not started
# EXPORT_QUEUED_TIMEOUT_SECONDS after its message was sent is sent again. The sweeper runs
# every EXPORT_SWEEP_SECONDS, so a killed export runs again within timeout + sweep (75 s),
# at most EXPORT_MAX_RESTARTS times before it is failed with a message.
EXPORT_HEARTBEAT_SECONDS = env.float("EXPORT_HEARTBEAT_SECONDS", default=10.0)
EXPORT_HEARTBEAT_TIMEOUT_SECONDS = env.float("EXPORT_HEARTBEAT_TIMEOUT_SECONDS", default=45.0)
EXPORT_QUEUED_TIMEOUT_SECONDS = env.float("EXPORT_QUEUED_TIMEOUT_SECONDS", default=45.0)
EXPORT_SWEEP_SECONDS = env.float("EXPORT_SWEEP_SECONDS", default=30.0)
EXPORT_MAX_RESTARTS = env.int("EXPORT_MAX_RESTARTS", default=3)
CELERY_BEAT_SCHEDULE |= {
    # Queues again the exports whose worker died (heartbeat stopped) or whose message was
    # lost. A sweep not started within its interval is dropped (no worker was up): the next
    # one does the same work, so a returning worker does not run a backlog of sweeps.
    "sweep-export-jobs": {
        "task": "ogp_portal.core.exports.sweep_export_jobs_task",
        "schedule": EXPORT_SWEEP_SECONDS,
        "options": {"expires": EXPORT_SWEEP_SECONDS},
    },
}

# --- Dashboards (records/dashboard/, issue #18) ---
# How often beat counts the vital-signs and who-is-missing dashboards into one row each
# (records.DashboardSnapshot): pages read that row, so their numbers are this old at most.
DASHBOARD_REFRESH_SECONDS = env.float("DASHBOARD_REFRESH_SECONDS", default=900.0)
CELERY_BEAT_SCHEDULE |= {
    "refresh-dashboards": {
        "task": "records.dashboard.refresh.refresh_dashboards_task",
        "schedule": DASHBOARD_REFRESH_SECONDS,
        "options": {"expires": DASHBOARD_REFRESH_SECONDS},
    },
}

# --- Notifications and reminders ---
# Offsets of the periodic reminder scan (ogp_portal.core.reminders). Changing one changes when
# reminders fire; a reminder is sent once per recipient, kind, object and deadline.
OGP_REMINDERS = {
    # A consultation the user follows (or the member's CSOs) closes in this many days.
    "consultation_closing_days": env.list(
        "REMINDER_CONSULTATION_CLOSING_DAYS", cast=int, default=[3, 1]
    ),
    # A proposal still has no reasoned response this many days after its window closed.
    "proposal_unanswered_days": env.int("REMINDER_PROPOSAL_UNANSWERED_DAYS", default=14),
    # A milestone is due within this many days (and again once it is overdue).
    "milestone_due_days": env.int("REMINDER_MILESTONE_DUE_DAYS", default=14),
    # A forum meeting is coming in this many days (its members).
    "meeting_upcoming_days": env.int("REMINDER_MEETING_UPCOMING_DAYS", default=3),
    # (A forum idle for months: the rule set's forum_reminder_months in OGP_RULES, ogp.py.)
    # Minutes are still unpublished this many days after a meeting.
    "minutes_overdue_days": env.int("REMINDER_MINUTES_OVERDUE_DAYS", default=14),
    # A plan ends within this many months and no successor is in planning.
    "plan_ending_months": env.int("REMINDER_PLAN_ENDING_MONTHS", default=6),
}
# How often beat runs the reminder scan, and the hour (UTC) of the daily digest e-mail.
REMINDER_SCAN_SECONDS = env.int("REMINDER_SCAN_SECONDS", default=300)
DIGEST_HOUR_UTC = env.int("DIGEST_HOUR_UTC", default=6)
CELERY_BEAT_SCHEDULE |= {
    # One scan finds every reminder that is due (closing consultations, milestones, forums,
    # plans ending) and sends each once; it also re-queues e-mails a crash left unsent.
    "scan-reminders": {
        "task": "ogp_portal.core.reminders.scan_reminders_task",
        "schedule": float(REMINDER_SCAN_SECONDS),
    },
    # Once a day, one e-mail per user who chose the digest, with the day's notifications.
    "send-digests": {
        "task": "ogp_portal.core.tasks.send_digests_task",
        "schedule": crontab(hour=DIGEST_HOUR_UTC, minute=0),
    },
}

# --- Cache and sessions ---
# With Redis the cache is shared by every web process (rate limits, public pages, indexes);
# without it each process keeps its own in memory, which suits the one-process demo.
REDIS_CACHE_URL = env.str("REDIS_CACHE_URL", default=REDIS_URL or "")
# Number of gunicorn processes (gunicorn.conf.py reads the same variable): during a Redis
# outage each process counts rate limits alone, so each hit counts this many times.
WEB_WORKERS = env.int("WEB_WORKERS", default=2 * (os.cpu_count() or 1) + 1)
if REDIS_CACHE_URL:
    # A Redis outage degrades, never fails (ogp_portal/core/resilient_cache.py): errors are
    # cache misses, no request waits more than a connect or read timeout on Redis. Keys that
    # protect rather than speed up move into each process instead: rate-limit counters
    # (django-ratelimit's "rl:", allauth's "allauth:rl:") and the TOTP codes already used.
    CACHES = {
        "default": {
            "BACKEND": "ogp_portal.core.resilient_cache.ResilientRedisCache",
            "LOCATION": REDIS_CACHE_URL,
            "KEY_PREFIX": "ogp",
            "OPTIONS": {
                "socket_connect_timeout": env.float("CACHE_SOCKET_TIMEOUT", default=0.5),
                "socket_timeout": env.float("CACHE_SOCKET_TIMEOUT", default=0.5),
            },
            "FALLBACK": {
                "RETRY_SECONDS": env.float("CACHE_RETRY_SECONDS", default=5.0),
                "LOCAL_KEY_PREFIXES": ["rl:", "allauth:rl:", "allauth.mfa.totp.used"],
                # Every public page in the cache hangs on this generation (core/page_cache.py).
                "DELETE_ON_RECOVERY": ["pagecache:gen:all"],
                "COUNT_WEIGHT": WEB_WORKERS,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Whole public pages for anonymous readers stay this many seconds in the cache at most, and
# are dropped at once when what they show changes (ogp_portal/core/page_cache.py). Only with
# a shared cache: with one cache per process, a write in one process (a worker) would not
# reach the pages kept by another. 0 turns it off.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=60 if REDIS_CACHE_URL else 0)
# Sessions live in the database only: one primary-key read per signed-in request, and a
# Redis outage signs nobody out. (A cache in front of them cannot be kept right through an
# outage: a sign-out written while Redis is unreachable would leave the old, signed-in copy
# in Redis to be served again when it comes back.)
SESSION_ENGINE = "ogp_portal.core.sessions"  # Django's db sessions, read without the ORM

# --- Capacity and abuse limits, and logging: ogp_portal/settings/limits.py ---
from .limits import *  # noqa: E402, F403

# Number of reverse proxies in front of the portal that append to X-Forwarded-For; 0 (the
# default) trusts only the connection's address. See ogp_portal/core/client_ip.py.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
# allauth's own per-address limits (sign-in, sign-up) follow the same proxy count.
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
RATELIMIT_IP_META_KEY = "ogp_portal.core.client_ip.client_ip"

# --- Public read API: ogp_portal/settings/api.py ---
from .api import *  # noqa: E402, F403

# The load benchmark's ceiling (tests/perf/README.md): `/bench/ceiling/`, a minimal view
# behind the same middleware, is mounted only when this is on. Only `make bench` sets it.
BENCH_CEILING_VIEW = env.bool("BENCH_CEILING_VIEW", default=False)
