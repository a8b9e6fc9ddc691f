"""Settings of the portal: one module, read from the environment (django-environ).

Defaults serve a newcomer (SQLite, an embedded Celery broker, local-memory cache); every variable is
listed in README.md and .env.example. With DEBUG off a missing SECRET_KEY or ALLOWED_HOSTS stops
start-up with a clear message instead of running with an unsafe default.
"""

from __future__ import annotations

import secrets
import sys
from pathlib import Path

import environ
import xstatic.pkg.bootstrap as xstatic_bootstrap
from django.utils.translation import gettext_lazy as _
from whitenoise.compress import Compressor as WhiteNoiseCompressor

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# Runtime data (SQLite file, embedded broker, private uploads) lives under var/, never in git.
DATA_DIR = Path(env.str("PORTAL_DATA_DIR", default=str(BASE_DIR / "var")))

DEBUG = env.bool("DEBUG", default=False)
# Under pytest the development fallbacks (secret key, hosts) apply without DEBUG.
TESTING = env.bool("PORTAL_TESTING", default="pytest" in sys.modules)

# Production settings that are missing. The web server (wsgi/asgi), Celery and `manage.py check`
# refuse to start while any is missing (portal/startup.py); tools that only read URL names load.
MISSING_REQUIRED_SETTINGS: list[str] = []

_DEV_SECRET_KEY = "insecure-development-key-only-for-DEBUG-and-tests"  # noqa: S105
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not (DEBUG or TESTING):
        MISSING_REQUIRED_SETTINGS.append("SECRET_KEY")
        # Never a usable key: random per process, so nothing signed with it outlives the process.
        SECRET_KEY = "unset-" + secrets.token_urlsafe(50)
    else:
        SECRET_KEY = _DEV_SECRET_KEY

# Reporters' access keys are stored as HMAC-SHA256 under this pepper (complaints/hashers.py). It
# lives in the environment, never in the database, so a leaked table cannot be brute-forced.
# Rotation: the new value here, the old one in ACCESS_KEY_PEPPERS_PREVIOUS until every active
# reporter has looked up once (each successful look-up rehashes under the current pepper).
ACCESS_KEY_PEPPER = env.str("ACCESS_KEY_PEPPER", default="")
ACCESS_KEY_PEPPERS_PREVIOUS = env.list("ACCESS_KEY_PEPPERS_PREVIOUS", default=[])
if not ACCESS_KEY_PEPPER:
    if not (DEBUG or TESTING):
        MISSING_REQUIRED_SETTINGS.append("ACCESS_KEY_PEPPER")
        ACCESS_KEY_PEPPER = "unset-" + secrets.token_urlsafe(50)
    else:
        ACCESS_KEY_PEPPER = "insecure-development-pepper-only-for-DEBUG-and-tests"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
if not ALLOWED_HOSTS:
    if not (DEBUG or TESTING):
        MISSING_REQUIRED_SETTINGS.append("ALLOWED_HOSTS")
    else:
        ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver", "[::1]"]
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Reverse proxies in front of the portal that append to X-Forwarded-For (nginx: 1). 0 reads only
# the connection address; a client's own X-Forwarded-For never counts (portal/client_address.py).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

INSTALLED_APPS = [
    # django.contrib.admin with the portal's site: second factor for staff (portal/admin_site.py).
    "portal.admin_apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_countries",
    "django_celery_beat",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "simple_history",
    "import_export",
    "csp",
    "portal",
    "complaints",
    "education",
    "desa_migran",
    # The top floor: reads the apps above; nothing imports it (import-linter, `make lint`).
    "oversight",
]

MIDDLEWARE = [
    # First: the request id reaches every log line, and the timing covers the whole stack.
    "portal.request_id.RequestIdMiddleware",
    "portal.metrics.RequestMetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Before any view or CSRF check reads a field: NUL characters answer 400 (portal/middleware.py).
    "portal.middleware.RejectNulMiddleware",
    "portal.middleware.ApiNoStoreMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Signed-in sessions end SESSION_ABSOLUTE_SECONDS after sign-in, however active.
    "portal.middleware.AbsoluteSessionExpiryMiddleware",
    # Every view under the staff prefixes needs active staff past the second factor.
    "portal.middleware.StaffSecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "portal.context_processors.portal",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATA_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{DATA_DIR / 'portal.sqlite3'}"),
}
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The default SQLite setup is for `make run`: a web process, a worker and beat write at once,
    # so wait for locks instead of failing with "database is locked".
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
else:
    # A request that hangs on a dead database must fail fast so /healthz can answer 503.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
IS_POSTGRES = DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql")

# Optional read replica (a streaming standby) for the dashboards and public statistics; the router
# sends those reads there and falls back to the primary while the replica does not answer
# (portal/db_router.py). Every other read and every write goes to the primary.
if env.str("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = env.db_url("DATABASE_REPLICA_URL")
    DATABASES["replica"].setdefault("CONN_MAX_AGE", DATABASES["default"]["CONN_MAX_AGE"])
    # A kept connection to a standby that has since stopped is found out before it is used.
    DATABASES["replica"]["CONN_HEALTH_CHECKS"] = True
    # A standby that hangs must not hang the dashboards: give up fast and read the primary.
    DATABASES["replica"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 2)
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["portal.db_router.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, broker ----------------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
REQUIRE_SERVICES = env.bool("REQUIRE_SERVICES", default=False)
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="portal"),
            # A dead Redis must not hang a request: fail fast and carry on without the cache.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_DIR = DATA_DIR / "broker"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        # Unacknowledged tasks of a killed worker come back after this long (acks_late below).
        "visibility_timeout": 3600,
        "socket_connect_timeout": 2,
        "socket_timeout": 5,
    }
else:
    # kombu's filesystem transport: a real worker and beat with no server (stack-notes.md).
    CELERY_BROKER_URL = "filesystem://"
    for _sub in ("queue", "processed", "control"):
        (CELERY_BROKER_DIR / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR / "queue"),
        "data_folder_out": str(CELERY_BROKER_DIR / "queue"),
        "processed_folder": str(CELERY_BROKER_DIR / "processed"),
        "store_processed": False,
        # Exchange tables; kombu's default is ./control in the working directory.
        "control_folder": str(CELERY_BROKER_DIR / "control"),
    }
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TIMEZONE = "Asia/Jakarta"
# A killed worker must not lose its task (stack-notes.md trap 13); every task is safe to run twice.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Workers log through LOGGING below (JSON lines with the request id), not Celery's own setup.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Publishing from a web request must never wait long on a dead broker (stack-notes.md trap 12).
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY = False
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
# The schedule lives in code only (portal/beat.py): Celery's default scheduler keeps its state in a
# file, so no database copy of the schedule can drift from the code (django_celery_beat's
# DatabaseScheduler would keep running entries removed from the code).
CELERY_BEAT_SCHEDULER = "celery.beat:PersistentScheduler"
CELERY_BEAT_SCHEDULE_FILENAME = str(DATA_DIR / "celerybeat-schedule")

ESCALATION_INTERVAL_SECONDS = env.int("ESCALATION_INTERVAL_SECONDS", default=60)
# Database connections (threads) one escalation sweep uses on PostgreSQL; see
# complaints.services.escalation.
ESCALATION_WORKERS = max(1, env.int("ESCALATION_WORKERS", default=2))
DATA_RETENTION_DAYS = env.int("DATA_RETENTION_DAYS", default=730)
# A draft opened by an inbound message that no officer recorded as a complaint within this many
# days loses its text, sender and files (complaints.services.retention); the row stays, counted.
DRAFT_RETENTION_DAYS = max(1, env.int("DRAFT_RETENTION_DAYS", default=90))
# Closure rules (Perban BP2MI 6/2024): a complaint proposed for closure after 60 days waiting for
# the reporter (30 for documents) is closed with a public note this many days later.
CLOSURE_AUTO_CLOSE_DAYS = env.int("CLOSURE_AUTO_CLOSE_DAYS", default=14)

from portal.beat import beat_schedule  # noqa: E402 (built from the interval above)

NOTIFICATION_REQUEUE_SECONDS = env.int("NOTIFICATION_REQUEUE_SECONDS", default=60)
# How often the intake mailbox is polled; off while INBOUND_IMAP_URL is empty.
INBOUND_IMAP_INTERVAL_SECONDS = env.int("INBOUND_IMAP_INTERVAL_SECONDS", default=120)
CELERY_BEAT_SCHEDULE = beat_schedule(
    escalation_interval_seconds=ESCALATION_INTERVAL_SECONDS,
    requeue_interval_seconds=NOTIFICATION_REQUEUE_SECONDS,
    mailbox_interval_seconds=INBOUND_IMAP_INTERVAL_SECONDS,
)

# --- Auth -------------------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "admin:login"
# Where a sign-in goes when its `next` is missing or foreign: the admin, which continues to the
# second step when it is due (never Django's /accounts/profile/, a 404 here).
LOGIN_REDIRECT_URL = "admin:index"
# Staff sessions: 30 minutes idle (refreshed on each request), at most 12 hours (portal middleware).
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_ABSOLUTE_SECONDS = env.int("SESSION_ABSOLUTE_SECONDS", default=12 * 3600)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Second factor for staff is enforced whenever DEBUG is off; OTP_REQUIRED overrides.
OTP_REQUIRED = env.bool("OTP_REQUIRED", default=not DEBUG)
OTP_TOTP_ISSUER = "Portal PMI"
# Staff API tokens expire this many days after their owner created them.
STAFF_API_TOKEN_DAYS = env.int("STAFF_API_TOKEN_DAYS", default=30)
# /healthz shows details (database vendor, broker transport, error class) to loopback callers
# (the client address as TRUSTED_PROXY_COUNT decides it) and to `Authorization: Bearer
# <HEALTHZ_TOKEN>`; everyone else gets ok/error only.
HEALTHZ_TOKEN = env.str("HEALTHZ_TOKEN", default="")

AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 0.5  # hours: long enough to stop guessing, short enough not to lock staff out
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
# The lock-out counts per client address as the rate limits do (portal/client_address.py).
AXES_CLIENT_IP_CALLABLE = "portal.client_address.client_address_for_axes"

# --- Internationalisation ---------------------------------------------------------------------
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Indonesian")), ("en", _("English"))]
# The second catalogue holds only Indonesian country names for django-countries (written from
# portal/data/country_names_id.json by scripts/country_names_po.py); it sits outside an app's
# own locale folder so that makemessages never files portal's strings there.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "portal" / "data" / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Static and private files -----------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns at start-up when it is missing
# Bootstrap comes from a Python package (xstatic-bootstrap), served by WhiteNoise: no CDN.
STATICFILES_DIRS = [BASE_DIR / "static", ("vendor/bootstrap", xstatic_bootstrap.BASE_DIR)]
# Uploads (complaint attachments, village photos) are private: never under a served MEDIA path.
PRIVATE_MEDIA_ROOT = Path(env.str("PRIVATE_MEDIA_ROOT", default=str(DATA_DIR / "private")))
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"
_static_backend = (
    "django.contrib.staticfiles.storage.StaticFilesStorage"
    if DEBUG or TESTING
    else "whitenoise.storage.CompressedManifestStaticFilesStorage"
)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT), "base_url": None},
    },
    "staticfiles": {"BACKEND": _static_backend},
}
WHITENOISE_MAX_AGE = 3600
# Source maps are fetched by developer tools only: compressing their 30 MB (Swagger UI, Redoc,
# Bootstrap) with brotli made collectstatic take minutes.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = [*WhiteNoiseCompressor.SKIP_COMPRESS_EXTENSIONS, "map"]
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# Five attachments of 10 MB each plus the form itself.
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_ATTACHMENTS = 5

# --- Security headers -------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG and not TESTING)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# A load balancer's health check and Prometheus may call gunicorn directly over loopback HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^metrics$"]
# /metrics answers loopback, or anyone presenting this token (Authorization: Bearer ...).
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_HTTPONLY = True
# A session cookie: a shared or confiscated phone keeps no year-long trace of the portal.
CSRF_COOKIE_AGE = None
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
# Preload is a commitment of the whole domain; the ministry decides it (documented exception).
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "worker-src": ["'self'"],
        "manifest-src": ["'self'"],
    }
}

# --- Forms, API -------------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
COUNTRIES_FIRST = ["MY", "SA", "TW", "HK", "SG", "KR", "JP"]

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        # Staff API tokens that expire, carry a scope and are issued past the second factor.
        "portal.api_tokens.StaffTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    # JSON only, nesting bounded (portal/api_parsers.py): form-encoded and multipart bodies,
    # which any site can make a browser send, answer 415.
    "DEFAULT_PARSER_CLASSES": ["portal.api_parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_THROTTLE_RATES": {
        "anon": "120/minute",
        "user": "600/minute",
        # Short windows (complaints/throttling.py reads "N/<k>m"): a shelter sharing one address
        # is slowed for minutes, not locked out for an hour. Tracking counts failed keys only.
        "complaint_submit": env.str("THROTTLE_SUBMIT", default="20/10m"),
        "complaint_track": env.str("THROTTLE_TRACK", default="30/10m"),
        "complaint_track_reference": env.str("THROTTLE_TRACK_REFERENCE", default="10/15m"),
        # The form's village search box asks once per pause in typing: 60 a minute per address
        # serves a shelter full of people typing, and stops a script walking the 83,762 villages.
        "region_search": "60/minute",
    },
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    # DRF's own throttles read X-Forwarded-For as portal/client_address.py does (0: never).
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Portal Layanan Pekerja Migran API",
    "DESCRIPTION": "Public and staff API of the portal for Indonesian migrant workers.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "portal.api_schema.document_common_errors",
    ],
    # Several models have a "status" or "kind": name each enumeration after its own domain.
    "ENUM_NAME_OVERRIDES": {
        "ComplaintStatusEnum": "complaints.choices.Status",
        "CategoryKindEnum": "complaints.choices.CategoryKind",
        "VillageStatusEnum": "desa_migran.choices.VillageStatus",
        "ContentStatusEnum": "education.choices.ContentStatus",
        "OfficeKindEnum": "portal.choices.OfficeKind",
    },
}

IMPORT_EXPORT_ESCAPE_ILLEGAL_CHARS_ON_EXPORT = True
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True

# --- E-mail and gateways ----------------------------------------------------------------------
_email_url = env.str(
    "EMAIL_URL", default="consolemail://" if DEBUG or TESTING else "smtp://localhost:25"
)
EMAIL_CONFIG = environ.Env.email_url_config(_email_url)
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Portal PMI <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
SMS_GATEWAY_URL = env.str("SMS_GATEWAY_URL", default="")
SMS_GATEWAY_TOKEN = env.str("SMS_GATEWAY_TOKEN", default="")
CRISIS_CENTER_PHONE = env.str("CRISIS_CENTER_PHONE", default="0800-1000")

# --- Inbound channels ---------------------------------------------------------------------------
# HMAC-SHA256 key of the gateway webhooks (X-Hub-Signature-256); empty refuses every webhook.
INBOUND_WEBHOOK_SECRET = env.str("INBOUND_WEBHOOK_SECRET", default="")
# The token WhatsApp Cloud API sends in its subscription handshake (GET hub.verify_token).
WHATSAPP_VERIFY_TOKEN = env.str("WHATSAPP_VERIFY_TOKEN", default="")
# imap://user:password@host:port or imaps://...; empty (default) switches the mailbox poller off.
INBOUND_IMAP_URL = env.str("INBOUND_IMAP_URL", default="")
INBOUND_IMAP_FOLDER = env.str("INBOUND_IMAP_FOLDER", default="INBOX")
# Larger mail is not turned into a case (it is recorded as ignored): attachments go through the
# same checks as the form's, whose limit is 10 MB a file.
INBOUND_MAIL_MAX_BYTES = env.int("INBOUND_MAIL_MAX_BYTES", default=25 * 1024 * 1024)
# The address the portal's mail comes from: a message from it is a loop, never a case.
INBOUND_MAIL_ADDRESS = env.str("INBOUND_MAIL_ADDRESS", default="")
# SP4N-LAPOR! live connection (interface only, complaints/inbound/lapor.py): off by default.
LAPOR_API_URL = env.str("LAPOR_API_URL", default="")

# --- Logging: no personal data ----------------------------------------------------------------
# LOG_FORMAT=json: one JSON object per line (python-json-logger) for a log collector; `make prod`
# sets it. Every line carries the request id; personal data is masked in both formats.
LOG_FORMAT = env.str("LOG_FORMAT", default="plain")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "scrub_pii": {"()": "portal.logging.ScrubPersonalDataFilter"},
        "request_id": {"()": "portal.request_id.RequestIdLogFilter"},
    },
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_FORMAT == "json" else "plain",
            "filters": ["request_id", "scrub_pii"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # The access log of runserver carries client addresses: keep it quiet.
        "django.server": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        # django-axes announces itself at every start; keep start-up output for what matters.
        "axes": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}

# --- Error reporting (optional) ---------------------------------------------------------------
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    from portal.sentry import sentry_init

    sentry_init(
        dsn=SENTRY_DSN,
        environment=env.str("SENTRY_ENVIRONMENT", default="production"),
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
    )
