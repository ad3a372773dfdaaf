"""Settings for the competency portal, read once from the environment.

DJANGO_DEBUG       1 for development (off unless set)
DJANGO_SECRET_KEY  required when not in debug
DATABASE_URL       default: SQLite under var/ (refused outside debug)
DJANGO_ALLOWED_HOSTS  comma-separated host names
DJANGO_HTTPS       1 (default unless debug): HTTPS only; 0 for a plain-HTTP intranet
DJANGO_LOG_LEVEL   DEBUG, INFO (default), WARNING, ERROR or CRITICAL
PORTAL_DB_CONNECT_TIMEOUT    seconds to wait for a PostgreSQL connection (default 5)
PORTAL_DB_STATEMENT_TIMEOUT  seconds one statement may run (default 30; 0: no bound)
PORTAL_DB_CONN_MAX_AGE       seconds a connection is kept for the next requests (default 600)
PORTAL_HEALTH_REQUIRE_WORKER  1: /healthz answers 503 unless a task worker beat lately
PORTAL_HR_2FA      1: HR members and superusers must use two-factor sign-in (default 0)
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
import fontpkg_sarabun
from django.core.exceptions import ImproperlyConfigured

from competency_portal.lib.env import env_number
from competency_portal.lib.log import LEVELS as LOG_LEVELS
from competency_portal.lib.log import logging_config
from competency_portal.settings_pdf import (  # noqa: F401  the bounds of a printed form
    PORTAL_PDF_MAX_BYTES,
    PORTAL_PDF_MAX_PAGES,
    PORTAL_PDF_TIMEOUT_SECONDS,
)

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    """Read a yes/no variable; anything but 0/1/true/false/yes/no is an error."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be 0 or 1, not {raw!r}")


def env_log_level(name, default="INFO"):
    """Read a logging level name (DEBUG, INFO, WARNING, ERROR, CRITICAL; any case); anything
    else is an error."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().upper()
    if value not in LOG_LEVELS:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(LOG_LEVELS)}, not {raw!r}")
    return value


def env_list(name, default):
    raw = os.environ.get(name)
    if not raw:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG")

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set DJANGO_SECRET_KEY (or DJANGO_DEBUG=1 for development).")
    SECRET_KEY = "development-only-not-secret"  # noqa: S105

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

DATABASE_URL = os.environ.get("DATABASE_URL", "")
if not DATABASE_URL and not DEBUG:
    raise ImproperlyConfigured("Set DATABASE_URL in production (SQLite is for development).")
SQLITE_DEFAULT = f"sqlite:///{BASE_DIR / 'var' / 'portal.sqlite3'}"


def env_seconds(name, default, *, minimum=0, unit="seconds"):
    """Read a whole number (of seconds, or of `unit`), `minimum` or more; anything else is
    an error that stops the start."""
    return env_number(name, default, minimum=minimum, unit=unit)


# A server that vanished while a query runs is noticed by TCP: after 10 s of silence, three
# probes 3 s apart (about 20 s); data sent and never acknowledged gives up after 20 s too.
POSTGRES_KEEPALIVES = {
    "keepalives": 1,
    "keepalives_idle": 10,
    "keepalives_interval": 3,
    "keepalives_count": 3,
    "tcp_user_timeout": 20000,  # milliseconds
}


def database(url):
    """The DATABASES entry for `url`, with the bounds of the environment, so that no request
    waits on a dead database for longer than they say (tests/integration/test_db_timeouts.py):

    PORTAL_DB_CONNECT_TIMEOUT    seconds to wait for a PostgreSQL connection (default 5; libpq
                                 waits 2 at least)
    PORTAL_DB_STATEMENT_TIMEOUT  seconds one PostgreSQL statement may run before the server
                                 cancels it (default 30; 0: no bound, e.g. for `migrate`)
    PORTAL_DB_CONN_MAX_AGE       seconds a PostgreSQL connection is kept for the next requests
                                 (default 600; 0: one per request); checked before it is reused
    Options in the URL (`?sslmode=require`) are kept. SQLite waits 5 s for a lock.
    """
    config = dj_database_url.parse(
        url,
        conn_max_age=env_seconds("PORTAL_DB_CONN_MAX_AGE", 600),
        conn_health_checks=True,
    )
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # Concurrent writers wait for the lock instead of failing at once.
        config["CONN_MAX_AGE"] = 0
        config["OPTIONS"] = {
            "init_command": "PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL;",
            "transaction_mode": "IMMEDIATE",
        }
    elif config["ENGINE"] == "django.db.backends.postgresql":
        # a server that did not answer is not waited on again for connect_timeout seconds
        from competency_portal.lib.database import FailFastConnection

        from_url = config.get("OPTIONS", {})
        statement_ms = env_seconds("PORTAL_DB_STATEMENT_TIMEOUT", 30) * 1000
        options = f"-c statement_timeout={statement_ms} {from_url.get('options', '')}"
        config["OPTIONS"] = {
            "connect_timeout": env_seconds("PORTAL_DB_CONNECT_TIMEOUT", 5, minimum=1),
            **POSTGRES_KEEPALIVES,
            "connection_factory": FailFastConnection,
            **from_url,
            "options": options.strip(),
        }
    return config


DATABASES = {"default": database(DATABASE_URL or SQLITE_DEFAULT)}

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "bootstrap",
    "framework",
    # before django_tasks_db: its `db_worker` command is assessments' (with leases)
    "assessments",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "competency_portal.middleware.IdleSessionMiddleware",  # the idle timeout, inside it
    "competency_portal.middleware.ThaiFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # after AuthenticationMiddleware, as django-otp asks
    "competency_portal.middleware.PrivateNoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "competency_portal.middleware.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "competency_portal.urls"
WSGI_APPLICATION = "competency_portal.wsgi.application"

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
                "competency_portal.context_processors.portal",
            ],
        },
    },
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "competency_portal.passwords.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "th"
LANGUAGES = [("th", "ไทย"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Bangkok"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("fonts/sarabun", fontpkg_sarabun.ROOT / "files"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}


def s3_storage(environ):
    """The default storage in S3-compatible object storage (django-storages) when
    PORTAL_S3_BUCKET is set: every generated file (batch PDFs, cached forms, import files
    kept between preview and confirmation) is then shared by all web and worker hosts. Files
    are private and always served through the portal, which checks who asks."""
    bucket = environ.get("PORTAL_S3_BUCKET", "").strip()
    if not bucket:
        return None
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": environ.get("PORTAL_S3_ENDPOINT_URL", "").strip() or None,
            "access_key": environ.get("PORTAL_S3_ACCESS_KEY", ""),
            "secret_key": environ.get("PORTAL_S3_SECRET_KEY", ""),
            "region_name": environ.get("PORTAL_S3_REGION", "").strip() or None,
            "location": environ.get("PORTAL_S3_PREFIX", "competency-portal").strip("/"),
            "addressing_style": "path",  # MinIO, Ceph and most self-hosted stores
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }


STORAGES["default"] = s3_storage(os.environ) or STORAGES["default"]
# Generated files on the local disk (without PORTAL_S3_BUCKET). With several web or worker
# hosts this folder must be one shared folder (NFS), or batch PDFs printed by one host are
# missing on the others: object storage is the simpler way.
MEDIA_ROOT = Path(os.environ.get("PORTAL_MEDIA_ROOT", "").strip() or BASE_DIR / "var" / "media")
MEDIA_URL = "/media/"

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

# Background work (batch printing) through django-tasks, stored in the database; run the
# worker with `manage.py db_worker` (make run starts one).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# Processes one batch print may use (0: every core of the machine).
PRINT_WORKERS = int(os.environ.get("PORTAL_PRINT_WORKERS", "0"))
# Leases (assessments/services/leases.py): a worker beats every HEARTBEAT seconds; a running
# task silent for LEASE seconds lost its worker and is started again by another, at most
# MAX_ATTEMPTS times in all, then marked failed with the reason.
PORTAL_TASK_HEARTBEAT_SECONDS = env_seconds("PORTAL_TASK_HEARTBEAT_SECONDS", 10, minimum=1)
PORTAL_TASK_LEASE_SECONDS = env_seconds("PORTAL_TASK_LEASE_SECONDS", 120, minimum=2)
PORTAL_TASK_MAX_ATTEMPTS = env_seconds("PORTAL_TASK_MAX_ATTEMPTS", 3, minimum=1, unit="tries")
# /healthz (competency_portal/health.py) reports a worker whose beat is older than the lease
# as stale; with PORTAL_HEALTH_REQUIRE_WORKER=1, a stale or never seen worker is "down" (503).
PORTAL_HEALTH_REQUIRE_WORKER = env_bool("PORTAL_HEALTH_REQUIRE_WORKER")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Security and HTTPS. DJANGO_HTTPS (on unless debug is on) serves the portal over HTTPS only:
# plain HTTP is redirected, cookies are sent over HTTPS only, and browsers are told (HSTS) to
# use nothing else for a year. Behind a proxy that ends TLS, the proxy must set
# X-Forwarded-Proto. DJANGO_HTTPS=0 is for a plain-HTTP intranet; the check portal.W001
# and the web process's log then warn at start.
HTTPS = env_bool("DJANGO_HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
# A load balancer inside the network probes the health page over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
# No HSTS preload: putting the whole domain on the browsers' built-in list is for its owner (the
# organisation's IT) to decide, not for one application; so check --deploy is not asked about it.
SILENCED_SYSTEM_CHECKS = ["security.W021"]
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Request sizes agree with the imports' limit (MAX_UPLOAD_BYTES, 2 MB, in
# assessments/hr/people_forms.py): a form field or body up to the limit plus a margin is read;
# a bigger request is refused with the Thai 400 page.
DATA_UPLOAD_MAX_MEMORY_SIZE = 3 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 3 * 1024 * 1024

# Email (reminders). Development prints mail on the console; production sets a server.
EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_TLS")
# Seconds the background task waits for the mail server (to connect, and for each answer)
# before it counts the try as failed and schedules the next (assessments/services/reminders.py).
EMAIL_TIMEOUT = env_seconds("DJANGO_EMAIL_TIMEOUT", 10, minimum=1)
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_FROM_EMAIL", "portal@localhost")
# The portal's public address, for links in emails.
PORTAL_URL = os.environ.get("PORTAL_URL", "http://127.0.0.1:8000")

# The organisation this installation serves (a province-wide install may hold several).
PORTAL_ORGANISATION = os.environ.get("PORTAL_ORGANISATION", "องค์การบริหารส่วนตำบลคลองขวาง")
# Numbers in Thai digits (๑ ๒ ๓) where the framework shows them; 0 switches to Arabic digits.
PORTAL_THAI_DIGITS = env_bool("PORTAL_THAI_DIGITS", True)

# Logs go to the console (stderr): the root, Django's and the portal's loggers at this level.
LOG_LEVEL = env_log_level("DJANGO_LOG_LEVEL")
LOGGING = logging_config(LOG_LEVEL)


# ---------------------------------------------------------------- accounts (logins)
# Login lockout (django-axes), the forced password change after HR set a password
# (competency_portal/accounts.py) and idle sessions.


def env_minutes(name, default):
    """Read a whole number of minutes, 1 or more; anything else is an error."""
    return env_number(name, default, minimum=1, unit="minutes")


INSTALLED_APPS += ["axes", "django_otp", "django_otp.plugins.otp_totp"]
MIDDLEWARE += [
    # the code of the second step before anything else, the password change HR asked for next
    "competency_portal.twofactor.TwoFactorMiddleware",
    "competency_portal.accounts.ForcePasswordChangeMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
]
# django-axes first: a locked login is refused before its password hash is computed.
AUTHENTICATION_BACKENDS = [
    # django-axes' AxesStandaloneBackend, marking attempts refused during a lock
    "competency_portal.accounts.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5  # failed logins of one account from one address …
AXES_COOLOFF_TIME = timedelta(minutes=15)  # … lock them for this long
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Reverse proxies in front of the portal (nginx on the same host: 1); the lockout and the audit
# trail then read the client's address from X-Forwarded-For (competency_portal/lib/addresses.py).
PORTAL_PROXY_COUNT = env_seconds("PORTAL_PROXY_COUNT", 0, unit="proxies")
AXES_CLIENT_IP_CALLABLE = "competency_portal.lib.addresses.client_address"
AXES_LOCKOUT_TEMPLATE = "axes/lockout.html"
AXES_RESET_ON_SUCCESS = True
# A lock ends 15 minutes after the fifth failure: guesses refused during it neither extend it
# nor are written again (each write made a refused guess costlier; docs/reliability.md).
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# A session ends after this many minutes without a request.
PORTAL_SESSION_IDLE_MINUTES = env_minutes("PORTAL_SESSION_IDLE_MINUTES", 30)
SESSION_COOKIE_AGE = PORTAL_SESSION_IDLE_MINUTES * 60
# the expiry moves on as the person works, once a minute at most (IdleSessionMiddleware)
SESSION_SAVE_EVERY_REQUEST = False

# Two-factor sign-in (competency_portal/twofactor.py): HR members and superusers may turn on a
# TOTP authenticator app; PORTAL_HR_2FA=1 makes it mandatory for them.
PORTAL_HR_2FA = env_bool("PORTAL_HR_2FA")
OTP_TOTP_ISSUER = "Khlong Khwang Competency Portal"
OTP_TOTP_THROTTLE_FACTOR = 1  # after n wrong codes in a row, wait 2^(n-1) seconds
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # the admin lists devices without their keys
# A wrong code counts as a failed login: django-axes keeps no code (nor, as by default, the
# username and address in its log lines).
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "token"]
