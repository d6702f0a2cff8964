"""Settings shared by every environment, read from the environment (12-factor).

`make run` works with nothing set: SQLite, tasks in-process, files on local disk.
Set DATABASE_URL and REDIS_URL for PostgreSQL and a real Celery broker.
"""

import os
from datetime import time, timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _
from kombu import Queue

from .storage import file_storage

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", default=False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY and DEBUG:
    SECRET_KEY = "insecure-local-development-key-never-used-in-production"  # noqa: S105
# Without a key and without DEBUG, the settings that load these refuse to start, each with its own advice
# (production.py: set a long random key; local.py: or turn DEBUG back on).

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "csp",
    "portal",
    "procedures",
    "dossiers",
    "payments",
    "postal",
    "reporting",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # The Content-Security-Policy of CONTENT_SECURITY_POLICY on every response the portal makes.
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.middleware.PortalLanguageMiddleware",
    # A body larger than a request may be refused from its Content-Length before anything reads it (the CSRF
    # check below reads the form, and Django writes the files to disk as it does); after the language is chosen.
    "portal.middleware.RequestBodyLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # No shared cache or shared PC's browser keeps what a signed-in user, a token or a POST was answered.
    "portal.middleware.NoStoreForPersonalDataMiddleware",
    # Before any view or URL converter reads the path (after authentication, so the 404 page knows who is
    # signed in); and a database, or a rate limit's Redis, that cannot be reached answers 503, not 500.
    "portal.middleware.RejectNulMiddleware",
    "portal.middleware.ServiceUnavailableMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a lockout raised by the backend into a response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "portal.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        # A kept connection is checked before a request reuses it: after a database restart the request gets
        # a new connection instead of failing on the dead one.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation for the portal's queries: PostgreSQL compiles a query whose estimated cost passes
    # jit_above_cost, and the leader's queue counts (the risk queue's subqueries) pass it at 1,000,000 dossiers:
    # EXPLAIN ANALYZE 95 ms with 57 ms of compiling, 25 ms without, on every approver's page (issue 12); the
    # statistics' full recompute compiled for 2.4 s too.
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = f"{options.get('options', '')} -c jit=off".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "portal.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "portal.auth.EmailOrIdentifierBackend",
]
# Argon2 first (portal/hashers.py: its parameters and why); PBKDF2 stays so that the hashes made before check
# once more and are rewritten with Argon2 at the user's next sign-in.
PASSWORD_HASHERS = [
    "portal.hashers.PortalArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "portal:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Repeated failed logins lock the (username, address) pair for a while.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The login form's field (axes would otherwise read USERNAME_FIELD, "email", find nothing and lock
# only failures, letting a right guess through).
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "portal.auth.lockout_key"
AXES_LOCKOUT_TEMPLATE = "portal/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# How many reverse proxies stand in front of gunicorn (0: none, the socket's address is the visitor's;
# 1: one TLS proxy that appends the visitor's address to X-Forwarded-For). portal.ratelimit.client_address
# reads it for the rate limits, and django-axes asks the same function (django-ipware is not installed, so
# axes' AXES_IPWARE_* settings would have no effect): sign-in lockouts and lookup limits always agree.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "portal.ratelimit.axes_client_address"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded files are private: no URL serves MEDIA_ROOT directly, views stream files after a
# permission check.
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"
# The files themselves: MEDIA_ROOT on this node's disk (STORAGE=local, `make run`), or one bucket that every web
# node and worker shares (STORAGE=s3: config/settings/storage.py, docs/decisions.md "Files in object storage").
STORAGES = {
    "default": file_storage(),
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# What a dossier's files may weigh (dossiers/uploads.py checks them all in one place, before anything is written):
# one file; the files of one request (count and megabytes); the files of one component (or one supplement) in
# one request; everything a dossier keeps; and everything an applicant has uploaded to its dossiers (its quota).
DOSSIER_UPLOAD_MAX_BYTES = int(os.environ.get("DOSSIER_UPLOAD_MAX_MB", "10")) * 1024 * 1024
DOSSIER_REQUEST_MAX_BYTES = int(os.environ.get("DOSSIER_REQUEST_MAX_MB", "50")) * 1024 * 1024
# A supplement request's deadline when the officer sets none (calendar days), and how many days before it the
# applicant is reminded (dossiers/services/supplements.py).
SUPPLEMENT_RESPONSE_DAYS = int(os.environ.get("SUPPLEMENT_RESPONSE_DAYS", "15"))
SUPPLEMENT_REMINDER_DAYS = int(os.environ.get("SUPPLEMENT_REMINDER_DAYS", "2"))
DOSSIER_REQUEST_MAX_FILES = int(os.environ.get("DOSSIER_REQUEST_MAX_FILES", "30"))
DOSSIER_COMPONENT_MAX_FILES = int(os.environ.get("DOSSIER_COMPONENT_MAX_FILES", "20"))
DOSSIER_TOTAL_MAX_BYTES = int(os.environ.get("DOSSIER_TOTAL_MAX_MB", "100")) * 1024 * 1024
USER_STORAGE_QUOTA_BYTES = int(os.environ.get("USER_STORAGE_QUOTA_MB", "500")) * 1024 * 1024
# Blank form templates of required documents, uploaded by administrators and served publicly.
PROCEDURE_TEMPLATE_MAX_BYTES = int(os.environ.get("PROCEDURE_TEMPLATE_MAX_MB", "10")) * 1024 * 1024
# What Django itself reads: the form fields other than files (Django's default), and no more files than a request
# may store; beyond them Django refuses the request (400, the portal's page or JSON: portal/errors.py).
DATA_UPLOAD_MAX_MEMORY_SIZE = int(2.5 * 1024 * 1024)
DATA_UPLOAD_MAX_NUMBER_FILES = DOSSIER_REQUEST_MAX_FILES
# A body larger than a request's files and fields (with room for the multipart framing) is refused from its
# Content-Length before anything is read or written to disk (portal.middleware.RequestBodyLimitMiddleware); the
# reverse proxy's own limit (nginx's client_max_body_size) should match it.
REQUEST_BODY_MAX_BYTES = DOSSIER_REQUEST_MAX_BYTES + DATA_UPLOAD_MAX_MEMORY_SIZE + 1024 * 1024

REDIS_URL = os.environ.get("REDIS_URL", "")
# Seconds a Redis call may wait to connect, then for each answer, before its caller takes the degraded answer
# (docs/decisions.md, "Redis down"): a Redis that is down or hung must not hold a request longer than this.
REDIS_TIMEOUT_SECONDS = float(os.environ.get("REDIS_TIMEOUT_SECONDS", "0.5"))
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": REDIS_TIMEOUT_SECONDS, "socket_timeout": REDIS_TIMEOUT_SECONDS},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Rendered fragments that are dear to render and change seldom (the officer queues' filter form, its procedures):
# in each process's memory, so a page never waits on Redis for them and Redis down changes nothing; a change
# shows within TIMEOUT seconds.
CACHES["fragments"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "fragments",
    "TIMEOUT": 60,
    # The lookup's answer sections (one per dossier and language) share it with the menus and forms: room for a
    # kiosk's day of codes, so that they do not push the shell's parts out (300 by default; a few KB each).
    "OPTIONS": {"MAX_ENTRIES": 5000},
}
# The statistics pages' parts of the present generation, in each process's memory beside Redis, for the few seconds
# the process trusts the generation (reporting.pagecache): a few hundred pages and filters at some 50 KB each.
CACHES["statistics_pages"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "statistics-pages",
    "TIMEOUT": 5,
    "OPTIONS": {"MAX_ENTRIES": 300},
}

EMAIL_BACKEND = os.environ.get("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Cổng Dịch vụ công <no-reply@dichvucong.local>")

# Celery. With no broker configured, tasks run in-process so a bare machine works (the in-memory broker's URL
# names a host: kombu warns about one without).
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
# No task's result is read, so none is stored: sending a task then never touches the result backend, whose
# reconnect loop (20 x 1 s) would hold the request after every commit while Redis is down. A task whose result
# is read says so itself (`ignore_result=False`).
CELERY_TASK_IGNORE_RESULT = True
# Publishing waits on the broker no longer than the cache does (REDIS_TIMEOUT_SECONDS); the worker's BRPOP is
# read only when the socket is readable, so the read timeout does not cut its long polls.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": REDIS_TIMEOUT_SECONDS,
    "socket_timeout": REDIS_TIMEOUT_SECONDS,
    # A task taken by a worker that died before acknowledging it (acks late) is handed out again this many seconds
    # after it was taken; longer than any task runs (the outbox relay stops within its lease, below).
    "visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT_SECONDS", "3600")),
}
# Seconds a message claimed by the outbox relay belongs to it (portal/notifications.py); a relay that died with
# it leaves it to the next relay after that.
OUTBOX_CLAIM_LEASE_SECONDS = int(os.environ.get("OUTBOX_CLAIM_LEASE_SECONDS", "300"))
# Every task is acknowledged after it ran (a worker lost mid-task leaves it to another): each one is safe to run
# twice (docs/operations.md, "Queues per workload", says why, task by task). A task that is not says
# `acks_late=False` itself.
CELERY_TASK_ACKS_LATE = True
# One queue per workload, so a slow one (the nightly statistics, a carrier that answers slowly) never holds back
# another (the e-mails of a submission): `celery worker -Q <queues>` places each on the machines meant for it
# (README, deploy/). A worker started without -Q takes every queue below (`make run`, the drills).
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_QUEUES = [Queue(name) for name in ("celery", "notifications", "deadlines", "statistics", "partners")]
CELERY_TASK_ROUTES = {
    "portal.tasks.relay_outbox": {"queue": "notifications"},
    "dossiers.tasks.*": {"queue": "deadlines"},
    "reporting.tasks.*": {"queue": "statistics"},
    "payments.tasks.*": {"queue": "partners"},
    "postal.tasks.*": {"queue": "partners"},
}
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "health-heartbeat": {"task": "portal.tasks.heartbeat", "schedule": timedelta(minutes=5)},
    "outbox-relay": {"task": "portal.tasks.relay_outbox", "schedule": timedelta(minutes=1)},
    "deadline-watch": {"task": "dossiers.tasks.watch_deadlines", "schedule": timedelta(minutes=15)},
    "supplement-reminders": {"task": "dossiers.tasks.remind_supplements", "schedule": timedelta(hours=1)},
    "pending-uploads-cleanup": {"task": "dossiers.tasks.discard_stale_pending_uploads", "schedule": timedelta(hours=1)},
    "payment-reconciliation": {"task": "payments.tasks.reconcile_payments", "schedule": timedelta(minutes=15)},
    "postal-send-pending": {"task": "postal.tasks.send_pending_shipments", "schedule": timedelta(minutes=5)},
    # The statistics: what changed since the last run every 5 minutes, everything afresh at 01:30 each night.
    "statistics-update": {"task": "reporting.tasks.update_statistics", "schedule": timedelta(minutes=5)},
    "statistics-recompute": {"task": "reporting.tasks.recompute_statistics", "schedule": crontab(hour=1, minute=30)},
}

SMS_BACKEND = os.environ.get("SMS_BACKEND", "portal.sms.LogSmsBackend")

REST_FRAMEWORK = {
    # Token first: an API client without credentials is told 401 with `WWW-Authenticate: Token`; the session
    # serves a signed-in browser (the pages' own calls, the browsable API).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "portal.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    # drf-spectacular's, with the error answers of every operation documented in one place.
    "DEFAULT_SCHEMA_CLASS": "portal.api_errors.ApiAutoSchema",
    "DEFAULT_VERSIONING_CLASS": "rest_framework.versioning.NamespaceVersioning",
    "EXCEPTION_HANDLER": "portal.api_errors.api_exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Cổng Dịch vụ công API",
    "DESCRIPTION": "Thủ tục hành chính, hồ sơ và tra cứu công khai.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Name the shared enums once, so every app's "status" or "action" field does not clash.
    "ENUM_NAME_OVERRIDES": {
        "DossierStatusEnum": "dossiers.constants.DossierStatus",
        "DossierActionEnum": "dossiers.constants.Action",
        "ResultStatusEnum": "dossiers.constants.ResultStatus",
    },
}

# Content-Security-Policy (django-csp 4): everything from the portal's own origin, no inline script or style
# (templates load static/js and static/css; the API docs use drf-spectacular's split Swagger view), no plugins,
# never framed. Images may be data: URIs (the Swagger UI's icons).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
    },
}

# The province this portal serves, shown in the site shell.
PORTAL_PROVINCE_NAME = os.environ.get("PORTAL_PROVINCE_NAME", "tỉnh Thái Bình")
# The portal's support line, on the home page and in the footer.
PORTAL_HOTLINE = os.environ.get("PORTAL_HOTLINE", "1900 0000")

# Office hours of the one-stop desks: a working day is these two sessions (8 hours).
WORKING_SESSIONS = [(time(7, 0), time(11, 30)), (time(13, 30), time(17, 0))]
# Each step's own share of a dossier's allowed time (the control sheet's step deadlines, the risk queue): the desk
# forwards within a tenth, the specialist proposes within seven tenths, the leader decides within two.
STEP_TIME_SHARES = {"received": 0.1, "processing": 0.7, "awaiting_approval": 0.2}
# A dossier is at risk of being late when less than this share of its allowed time is left (dossiers/deadlines).
DEADLINE_RISK_SHARE = float(os.environ.get("DEADLINE_RISK_SHARE", "0.25"))

LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    # Django's default logging gives "django" a console handler of its own (in DEBUG): with the root's, each of
    # its lines would print twice. Its records go to the root's handler only. ("django.server", runserver's
    # request lines, keeps Django's handler and does not propagate: printed once too.)
    # fontTools (fpdf2's font subsetting, on every issued PDF) narrates each subset at INFO: only its warnings.
    "loggers": {
        "django": {"handlers": [], "level": LOG_LEVEL, "propagate": True},
        "fontTools": {"level": "WARNING"},
    },
}

# Public dossier lookup: attempts per client address and minute (kiosk page and API together), and failed
# attempts per dossier code before that code is refused for an hour (from any address).
LOOKUP_RATE_LIMIT = int(os.environ.get("LOOKUP_RATE_LIMIT", "20"))
LOOKUP_CODE_FAILURE_LIMIT = int(os.environ.get("LOOKUP_CODE_FAILURE_LIMIT", "10"))
# Seconds a successful lookup's answer is kept in the cache (dossiers/lookup/cache.py; a transition drops it at
# once, this bounds how late other changes show, such as a renamed agency); 0 turns the cache off.
LOOKUP_CACHE_SECONDS = int(os.environ.get("LOOKUP_CACHE_SECONDS", "60"))

# A Unicode TrueType font for the PDFs the portal issues (Debian's fonts-dejavu-core).
PDF_FONT_PATH = os.environ.get("PDF_FONT_PATH", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
PDF_FONT_BOLD_PATH = os.environ.get("PDF_FONT_BOLD_PATH", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")

# The address printed in QR codes of issued documents (the public lookup lives under it). `make run`
# (scripts/serve.sh) sets it from the HOST and PORT it serves on.
PORTAL_BASE_URL = os.environ.get("PORTAL_BASE_URL", "http://127.0.0.1:8000")

# Seconds an SMTP connection may wait on the mail server (connect, each command) before the outbox relay
# gives up on that message and retries it later; without it a hung server would stall the relay.
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "20"))

# Sessions in the database, read with one plain query (portal/sessions.py: Django's query cost ~0.7 ms of CPU to
# build on every signed-in page).
SESSION_ENGINE = "portal.sessions"
# Sessions end when the browser closes and after 8 hours at most: officers and citizens use shared
# counter and kiosk PCs, where the next person must not find the previous one still signed in.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE_HOURS", "8")) * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Registration attempts per client address and hour.
REGISTRATION_RATE_LIMIT = int(os.environ.get("REGISTRATION_RATE_LIMIT", "20"))

# Password reset requests per client address and hour (the page answers 429 beyond), and reset mails per
# e-mail address and hour (beyond, the page still says "sent" and nothing is sent: a mailbox is not flooded).
PASSWORD_RESET_ADDRESS_LIMIT = int(os.environ.get("PASSWORD_RESET_ADDRESS_LIMIT", "20"))
PASSWORD_RESET_ACCOUNT_LIMIT = int(os.environ.get("PASSWORD_RESET_ACCOUNT_LIMIT", "3"))

# Hours an API token opens the API after it is obtained (30 days); a password change ends it at once.
API_TOKEN_LIFETIME_HOURS = int(os.environ.get("API_TOKEN_LIFETIME_HOURS", str(24 * 30)))

# Payments (docs/payments.md). The providers a payer is offered, by name, in order (payments/providers/); each
# one's configuration below, from the environment. Production refuses an enabled provider without its merchant
# code and secret, and any address of the sandbox bank.
PAYMENT_PROVIDERS = env_list("PAYMENT_PROVIDERS", "counter")
# Minutes a payer has to finish an online payment at the provider (VNPay's vnp_ExpireDate).
PAYMENT_ATTEMPT_MINUTES = int(os.environ.get("PAYMENT_ATTEMPT_MINUTES", "15"))
VNPAY = {
    "TMN_CODE": os.environ.get("VNPAY_TMN_CODE", ""),
    "HASH_SECRET": os.environ.get("VNPAY_HASH_SECRET", ""),
    "PAYMENT_URL": os.environ.get("VNPAY_PAYMENT_URL", ""),
    "API_URL": os.environ.get("VNPAY_API_URL", ""),
    "TIMEOUT": int(os.environ.get("VNPAY_TIMEOUT_SECONDS", "10")),
    # The address the portal's server calls the merchant API from (querydr and refund name it).
    "SERVER_IP": os.environ.get("VNPAY_SERVER_IP", "127.0.0.1"),
}
# The postal service (docs/postal.md): the carriers results are sent through, by name, in order (postal/carriers/);
# the first takes new hand-overs. Each one's configuration below, from the environment; production refuses an
# enabled carrier without its customer code, token, secret and address, and any address of the sandbox carrier.
POSTAL_CARRIERS = env_list("POSTAL_CARRIERS", "")
VNPOST = {
    "CUSTOMER_CODE": os.environ.get("VNPOST_CUSTOMER_CODE", ""),
    "API_TOKEN": os.environ.get("VNPOST_API_TOKEN", ""),
    "WEBHOOK_SECRET": os.environ.get("VNPOST_WEBHOOK_SECRET", ""),
    "API_URL": os.environ.get("VNPOST_API_URL", ""),
    "TIMEOUT": int(os.environ.get("VNPOST_TIMEOUT_SECONDS", "10")),
}
# The sandboxes (sandboxes/: stand-ins for the outside parties, over HTTP): local and test settings mount them
# (config/settings/sandboxes.py), another settings module with PORTAL_SANDBOXES=1; production refuses them.
SANDBOXES_MOUNTED = env_bool("PORTAL_SANDBOXES", default=False)
if SANDBOXES_MOUNTED:
    INSTALLED_APPS += ["sandboxes.bank", "sandboxes.carrier"]

# Electronic results (dossiers/signing, docs/signing.md): the signer (a ResultSigner class), the agencies' PKCS#12
# files (an agency's SigningCredential in the admin, else <dir>/<agency code>.p12 with the password below), the
# roots the verification page trusts (PEM or DER files) and the largest PDF it checks. Local development and the
# tests sign with the demo root (config/settings/signing_demo.py), whose certificates carry the marker below;
# production refuses it.
RESULT_SIGNER = os.environ.get("RESULT_SIGNER", "dossiers.signing.pkcs12.Pkcs12Signer")
RESULT_SIGNING_PKCS12_DIR = os.environ.get("RESULT_SIGNING_PKCS12_DIR", "")
RESULT_SIGNING_PKCS12_PASSWORD = os.environ.get("RESULT_SIGNING_PKCS12_PASSWORD", "")
RESULT_SIGNING_TRUST_ROOTS = env_list("RESULT_SIGNING_TRUST_ROOTS")
RESULT_SIGNING_DEMO_MARKER = "DEMO - khong dung cho van ban that"
RESULT_VERIFY_MAX_BYTES = int(os.environ.get("RESULT_VERIFY_MAX_MB", "20")) * 1024 * 1024
# PDFs one client address may ask the verification page and API to check per minute (each is a signature check).
RESULT_VERIFY_RATE_LIMIT = int(os.environ.get("RESULT_VERIFY_RATE_LIMIT", "20"))
