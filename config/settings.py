"""Binôme's settings: every environment variable is declared once below, with its default."""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env(
    DEBUG=(bool, False),
    SECRET_KEY=(str, ""),
    ALLOWED_HOSTS=(list, ["127.0.0.1", "localhost", "testserver"]),
    DATABASE_URL=(str, f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
    EMAIL_URL=(str, "consolemail://"),
    DEFAULT_FROM_EMAIL=(str, "Binôme <no-reply@binome.localhost>"),
    SITE_URL=(str, "http://127.0.0.1:8000"),
    CSRF_TRUSTED_ORIGINS=(list, []),
    SECURE_COOKIES=(bool, False),
    SECURE_SSL_REDIRECT=(bool, False),
    SECURE_HSTS_SECONDS=(int, 0),
    SECURE_HSTS_INCLUDE_SUBDOMAINS=(bool, False),
    SECURE_HSTS_PRELOAD=(bool, False),
    BEHIND_TLS_PROXY=(bool, False),
    SESSION_IDLE_MINUTES=(int, 8 * 60),
    LOG_LEVEL=(str, "INFO"),
    AXES_FAILURE_LIMIT=(int, 5),
    AXES_COOLOFF_MINUTES=(int, 15),
    LOGIN_FAILURE_RATE=(str, "20/15m"),
    APPLY_RATE=(str, "10/h"),
    CACHE_URL=(str, "dbcache://binome_cache?timeout=86400&max_entries=20000"),
    TRUSTED_PROXY_COUNT=(int, 0),
    IMPORT_MAX_BYTES=(int, 5 * 1024 * 1024),
    RESOURCE_MAX_BYTES=(int, 10 * 1024 * 1024),
    IMPORT_MAX_ROWS=(int, 20_000),
    IMPORT_MAX_COLUMNS=(int, 200),
    VIDEO_BASE_URL=(str, "https://meet.jit.si"),
    FOLLOW_UP_MONTHS=(int, 3),
    FOLLOW_UP_LINK_DAYS=(int, 60),
    UNSUBSCRIBE_LINK_DAYS=(int, 365),
    MEETING_REMINDER_HOURS=(int, 24),
    AUDIT_RETENTION_DAYS=(int, 1826),
    FIELD_ENCRYPTION_KEYS=(list, []),
    MEDIA_ROOT=(str, str(BASE_DIR / "media")),
    RETENTION_CLOSED_DAYS=(int, 730),
    RETENTION_REJECTED_DAYS=(int, 365),
    RETENTION_SCAN_DAYS=(int, 1826),
    AGREEMENT_RETENTION_YEARS=(int, 5),
    TASKS_BACKEND=(str, "django_tasks_db.DatabaseBackend"),
    TASK_LEASE_SECONDS=(int, 60),
    TASK_MAX_ATTEMPTS=(int, 3),
    NOTIFICATIONS_EVERY_SECONDS=(int, 60),
    LOG_FORMAT=(str, "text"),
    STATIC_ROOT=(str, str(BASE_DIR / "staticfiles")),
    STATIC_COLLECTED=(bool, False),
    S3_BUCKET=(str, ""),
    S3_ENDPOINT_URL=(str, ""),
    S3_REGION=(str, ""),
    S3_ACCESS_KEY_ID=(str, ""),
    S3_SECRET_ACCESS_KEY=(str, ""),
    HEALTHZ_NOTIFICATIONS_MAX_MINUTES=(int, 60),
)

DEBUG = env("DEBUG")
SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        # A key everyone can read lets anyone sign sessions, password-reset and unsubscribe
        # links: refuse to start rather than run with one.
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment to a long random value, e.g. "
            "SECRET_KEY=\"$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')\", "
            "and keep it secret and unchanged across restarts. `make run` and `make test` set "
            "one of their own (.secret_key), the tests too; DEBUG=true runs with a public one."
        )
    SECRET_KEY = "debug-only-insecure-key"  # noqa: S105 (DEBUG on: a developer's machine)
ALLOWED_HOSTS = env("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env("CSRF_TRUSTED_ORIGINS")
SITE_URL = env("SITE_URL")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "django_htmx",
    "axes",
    # Two-factor authentication: its middleware, authenticator apps (TOTP), recovery codes.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "binome.core",
    "binome.encryption",
    # Before django_tasks_db: its `db_worker` command is Binôme's (heartbeat, recovery, schedule).
    "binome.jobs",
    "django_tasks_db",
    # No models: installed for its template tags (dates and lists from CLDR, `{% load cldr %}`).
    "binome.reference",
    "binome.accounts",
    "binome.programmes",
    "binome.people",
    "binome.matching",
    "binome.duos",
    "binome.notifications",
    "binome.partners",
    "binome.community",
    "binome.resources",
    "binome.training",
    "binome.questionnaires",
    "binome.evaluation",
    "binome.privacy",
    "binome.ops",
    "binome.demo",
]

MIDDLEWARE = [
    # First: times the whole request and logs one line for it (binome/core/logs.py).
    "binome.core.logs.RequestLog",
    "django.middleware.security.SecurityMiddleware",
    # Pages compressed for browsers that ask (a mentee's page: ~4 kB instead of ~15 kB on a slow
    # phone plan). BREACH: Django masks the CSRF token in each response and pads the gzip header
    # with random bytes (Django 4.2+); static files are compressed ahead by WhiteNoise instead.
    "django.middleware.gzip.GZipMiddleware",
    # Content-Security-Policy on every response (SECURE_CSP below).
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.otp_device: the device a code was given with in this session, else None.
    "django_otp.middleware.OTPMiddleware",
    # Sessions listed on the Security page; a session owing its second factor reaches nothing else.
    "binome.accounts.middleware.AccountSecurityMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, so that a locked-out login is answered before the view runs.
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
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "binome.accounts.context_processors.site",
            ],
        },
    },
]

# Form widgets may use the project's templates (the language-levels widget does).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("TEST", {})
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Wait for a concurrent writer instead of failing at once; WAL lets readers go on meanwhile.
    # IMMEDIATE: a transaction takes the write lock when it begins, so two saves of the same
    # objective queue up and the second meets the version check (SQLite has no row locks;
    # a deferred transaction would fail with "database is locked" when it came to write).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            # secure_delete: SQLite zeroes what it deletes or overwrites, instead of leaving the
            # text of an erased participant in the file's free pages (some builds do by default).
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA secure_delete=ON;",
            "transaction_mode": "IMMEDIATE",
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
# Applied wherever a password is chosen: the invitation's and the reset's link, the change.
# 10 characters at least: above the 8 that NIST SP 800-63B and the CNIL accept when failed logins
# are throttled (they are, per account and per address), long enough that the short passwords
# guessed first are out, short enough for a mentee typing on a phone. Length alone does not make
# a password strong: the breached-password check refuses the long ones everybody tries.
PASSWORD_MIN_LENGTH = 10
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": PASSWORD_MIN_LENGTH},
    },
    # Django's 20,000 common passwords and 112,130 more from breaches, offline (data/README.md).
    {"NAME": "binome.accounts.passwords.BreachedPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
# The name an authenticator app shows beside the account.
OTP_TOTP_ISSUER = "Binôme"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

AXES_FAILURE_LIMIT = env("AXES_FAILURE_LIMIT")
AXES_COOLOFF_TIME = env("AXES_COOLOFF_MINUTES") / 60  # hours
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_USERNAME_FORM_FIELD = "username"
# One counter per account, however its address is typed (Carla@… and carla@… are one account).
AXES_USERNAME_CALLABLE = "binome.accounts.throttle.lockout_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
# Axes would otherwise log the e-mail address typed at each failure.
AXES_VERBOSE = False
# Failed logins one client address may make per window, whatever the accounts (password spraying):
# past it, that address waits for the window to end; no account is locked by it.
LOGIN_FAILURE_RATE = env("LOGIN_FAILURE_RATE")

LANGUAGE_CODE = "fr"
LANGUAGES = [
    ("fr", _("French")),
    ("en", _("English")),
    ("ar", _("Arabic")),
    ("uk", _("Ukrainian")),
]
# Mentee-facing pages exist in every language above; coordinator screens in these two.
STAFF_LANGUAGES = ["fr", "en"]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env("STATIC_ROOT"))
MEDIA_ROOT = Path(env("MEDIA_ROOT"))
# In production `manage.py collectstatic` copies the static files to STATIC_ROOT under names that
# carry a hash of their content, with .gz and .br versions beside them; STATIC_COLLECTED=true then
# has WhiteNoise serve them from the app, cached for a year (a changed file gets a new name).
# Off (`make run`, the tests): plain names, no collectstatic needed.
STATIC_COLLECTED = env("STATIC_COLLECTED")
# Uploaded files (signature scans): on the local disk under MEDIA_ROOT, or, with S3_BUCKET set,
# in a private bucket of an S3-compatible store (AWS, Scaleway, OVH, MinIO, Garage…), so that
# several web servers share them. Binôme reads them back itself and serves them only to staff:
# the bucket is never public and its URLs are never given out.
_s3_options = {
    "bucket_name": env("S3_BUCKET"),
    "endpoint_url": env("S3_ENDPOINT_URL") or None,
    "region_name": env("S3_REGION") or None,
    "access_key": env("S3_ACCESS_KEY_ID") or None,
    "secret_key": env("S3_SECRET_ACCESS_KEY") or None,
    "default_acl": "private",
    "querystring_auth": True,
    "file_overwrite": False,
}
STORAGES = {
    "default": (
        {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": _s3_options}
        if _s3_options["bucket_name"]
        else {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    ),
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if STATIC_COLLECTED
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
if STATIC_COLLECTED:
    # Right after SecurityMiddleware, as WhiteNoise asks: static files skip sessions and the rest.
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
        "whitenoise.middleware.WhiteNoiseMiddleware",
    )

_email = env.email_url("EMAIL_URL")
_smtp_options = {
    "host": _email.get("EMAIL_HOST"),
    "port": _email.get("EMAIL_PORT"),
    "username": _email.get("EMAIL_HOST_USER") or None,
    "password": _email.get("EMAIL_HOST_PASSWORD") or None,
    "use_tls": _email.get("EMAIL_USE_TLS", False),
    "use_ssl": _email.get("EMAIL_USE_SSL", False),
}
_mail_options: dict[str, object] = {}
if _email["EMAIL_BACKEND"].endswith("smtp.EmailBackend"):
    _mail_options = _smtp_options
elif _email["EMAIL_BACKEND"].endswith("filebased.EmailBackend"):
    # EMAIL_URL=filemail:///var/tmp/binome-mail writes each e-mail into that folder (tests).
    _mail_options = {"file_path": _email["EMAIL_FILE_PATH"]}
MAILERS = {"default": {"BACKEND": _email["EMAIL_BACKEND"], "OPTIONS": _mail_options}}
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL")

# Each duo gets a room on this video service (a Jitsi server, say): VIDEO_BASE_URL/binome-<room>.
# Empty: no video links.
VIDEO_BASE_URL = env("VIDEO_BASE_URL")
# When the questionnaire goes to both sides after a duo closes.
FOLLOW_UP_MONTHS = env("FOLLOW_UP_MONTHS")
# How long the links e-mailed without a login keep working, counted from the e-mail. Each one
# opens something to whoever holds it, and old mailboxes leak. The questionnaire link: two
# months, time enough for people who read their e-mail late; the one-click unsubscribe link: a
# year, because a dead one in an old e-mail pushes people to the spam button instead, and each
# new e-mail carries a fresh one.
FOLLOW_UP_LINK_DAYS = env("FOLLOW_UP_LINK_DAYS")
UNSUBSCRIBE_LINK_DAYS = env("UNSUBSCRIBE_LINK_DAYS")
# How long before a planned meeting its reminder is sent.
MEETING_REMINDER_HOURS = env("MEETING_REMINDER_HOURS")
# /healthz fails (503) when the notification job last finished longer ago than this; 0: the age
# is reported but never fails the check (a web-only machine's load balancer probe, say).
HEALTHZ_NOTIFICATIONS_MAX_MINUTES = env("HEALTHZ_NOTIFICATIONS_MAX_MINUTES")
# How long audit events are kept: five years, then `manage.py audit_purge` deletes them.
AUDIT_RETENTION_DAYS = env("AUDIT_RETENTION_DAYS")
# Fernet keys of the fields encrypted at rest (legal status, phone, coordinators' notes…), comma
# separated: the first encrypts, every one decrypts (binome/encryption/keys.py). Empty: one key
# derived from SECRET_KEY, for a clone and the tests; a server sets its own (check --deploy).
FIELD_ENCRYPTION_KEYS = env("FIELD_ENCRYPTION_KEYS")
# Each organisation's retention periods start from these (its admin changes them on its
# retention page; `manage.py privacy_retention`, run daily, applies them): closed or withdrawn
# participants are anonymised two years after leaving, rejected applications after one, paper
# signature scans are deleted five years after their duo closed. A signed agreement is kept
# AGREEMENT_RETENTION_YEARS after its duo ended (the limitation period for contracts in France
# and Belgium is five years): until then its signers cannot be erased.
RETENTION_CLOSED_DAYS = env("RETENTION_CLOSED_DAYS")
RETENTION_REJECTED_DAYS = env("RETENTION_REJECTED_DAYS")
RETENTION_SCAN_DAYS = env("RETENTION_SCAN_DAYS")
AGREEMENT_RETENTION_YEARS = env("AGREEMENT_RETENTION_YEARS")

# Background work (matching runs, the notifications run) goes through Django's tasks interface,
# stored in the database and run by `manage.py db_worker` (one or more, on any machine): nothing
# but the database is needed. A worker that dies holding a task (killed, machine lost) stops
# renewing its lease; after TASK_LEASE_SECONDS another worker puts the task back in the queue,
# up to TASK_MAX_ATTEMPTS claims in all, then marks it failed (see binome/jobs/).
# TASKS_BACKEND=django.tasks.backends.immediate.ImmediateBackend runs them inside the request.
TASKS = {"default": {"BACKEND": env("TASKS_BACKEND")}}
TASK_LEASE_SECONDS = env("TASK_LEASE_SECONDS")
TASK_MAX_ATTEMPTS = env("TASK_MAX_ATTEMPTS")
# Tasks the workers enqueue themselves, every so many seconds (one enqueue per period, however
# many workers run).
# NOTIFICATIONS_EVERY_SECONDS=0: the workers never enqueue it (cron runs send_notifications).
PERIODIC_TASKS = {
    path: every
    for path, every in [
        ("binome.notifications.tasks.send_notifications", env("NOTIFICATIONS_EVERY_SECONDS")),
    ]
    if every > 0
}

# The rate limits' counters: in the database by default, so that every worker process of every
# machine shares one budget per client (core's migration creates the table). Its default timeout
# is a day because the rate limit's increment re-saves a counter with it: a shorter one would
# reset a counter before its window ends. It keeps up to 20,000 counters (Django's 300 would
# drop live ones on a busy day). Increments are read-then-write: two requests at the same
# instant may count once, a try more for that client at worst.
CACHES = {"default": env.cache_url("CACHE_URL")}
RATELIMIT_USE_CACHE = "default"
APPLY_RATE = env("APPLY_RATE")
# How many proxies (load balancer, reverse proxy) stand between the clients and Binôme, each
# appending to X-Forwarded-For; 0: none, the client is REMOTE_ADDR (see binome/core/http.py).
TRUSTED_PROXY_COUNT = env("TRUSTED_PROXY_COUNT")
RATELIMIT_IP_META_KEY = "binome.core.http.client_address"
AXES_CLIENT_IP_CALLABLE = "binome.core.http.client_address"
SILENCED_SYSTEM_CHECKS = [
    # Axes locks the account (5 failures, 15 minutes), whatever address tries it; an address
    # is slowed down by the login view's own limit on failures (LOGIN_FAILURE_RATE), which
    # never locks an account.
    "axes.W006",
]

IMPORT_MAX_BYTES = env("IMPORT_MAX_BYTES")
# The largest document a coordinator may add to the resource library.
RESOURCE_MAX_BYTES = env("RESOURCE_MAX_BYTES")
IMPORT_MAX_ROWS = env("IMPORT_MAX_ROWS")
IMPORT_MAX_COLUMNS = env("IMPORT_MAX_COLUMNS")
DATA_UPLOAD_MAX_MEMORY_SIZE = IMPORT_MAX_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = max(IMPORT_MAX_BYTES, RESOURCE_MAX_BYTES) + 1024 * 1024
# Signed agreements carry names and signatures: readable by the account that runs Binôme only,
# not by every user of the machine (the umask's 0644 and 0755 otherwise).
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700

SESSION_COOKIE_SECURE = env("SECURE_COOKIES")
CSRF_COOKIE_SECURE = env("SECURE_COOKIES")
SESSION_COOKIE_HTTPONLY = True
# Logged out after this long without a request (a shared computer at an association, a lost
# phone): each request saves the session again and so pushes its end back.
SESSION_COOKIE_AGE = env("SESSION_IDLE_MINUTES") * 60
SESSION_SAVE_EVERY_REQUEST = True
X_FRAME_OPTIONS = "DENY"

# Over HTTPS only (set in production, see the README): browsers are told to come back over HTTPS
# (HSTS, for SECURE_HSTS_SECONDS) and plain HTTP is redirected. Behind a reverse proxy that ends
# TLS, BEHIND_TLS_PROXY trusts its X-Forwarded-Proto header to tell HTTPS requests apart.
SECURE_SSL_REDIRECT = env("SECURE_SSL_REDIRECT")
SECURE_HSTS_SECONDS = env("SECURE_HSTS_SECONDS")
SECURE_HSTS_INCLUDE_SUBDOMAINS = env("SECURE_HSTS_INCLUDE_SUBDOMAINS")
SECURE_HSTS_PRELOAD = env("SECURE_HSTS_PRELOAD")
# /healthz answers plain HTTP too: a load balancer or supervisor on the local network probes it
# without TLS (see binome/ops/views.py).
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
if env("BEHIND_TLS_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Scripts and styles come from Binôme's own static files only: no inline script or style, no
# eval, so an injected <script> or on*= attribute does not run. A template that ever needs an
# inline script gives it nonce="{{ csp_nonce }}".
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    # Training modules embed their video from these two players only (binome/training/video.py).
    "frame-src": [CSP.SELF, "https://www.youtube-nocookie.com", "https://player.vimeo.com"],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Searches put people's names in query strings (?q=haddad): the request loggers drop them.
    "filters": {"no_query_strings": {"()": "binome.core.logs.DropQueryStrings"}},
    # runserver's access log, as Django sets it up, with the filter above; `json`: one JSON object
    # per line for a log collector (LOG_FORMAT=json), every logger's records included.
    "formatters": {
        "default": {"()": "binome.core.logs.JsonFormatter"}
        if env("LOG_FORMAT") == "json"
        else {"format": "{levelname} {name}: {message}", "style": "{"},
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "default"},
        "django.server": {
            "level": "INFO",
            "class": "logging.StreamHandler",
            "formatter": "django.server",
        },
    },
    # Request bodies and form values never reach the logs: only levels and messages we write.
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL")},
    "loggers": {
        "django.server": {
            "handlers": ["django.server"],
            "level": "INFO",
            "propagate": False,
            "filters": ["no_query_strings"],
        },
        "django.request": {"filters": ["no_query_strings"]},
        # One line per request (binome/core/logs.py: RequestLog), at INFO whatever LOG_LEVEL.
        "binome.requests": {"level": "INFO"},
        "axes": {"level": "WARNING"},
        # fontTools (under fpdf2) logs every glyph of an agreement's PDF at INFO: names included.
        "fontTools": {"level": "WARNING"},
    },
}
