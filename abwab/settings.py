"""Abwab settings: everything that differs between a laptop and production comes from the environment."""

from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from abwab.env import email_config, env_bool, env_int, env_list, env_str, secret_key

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(env_str("ABWAB_VAR_DIR", str(BASE_DIR.parent / "var")))

DEBUG = env_bool("ABWAB_DEBUG", False)
SECRET_KEY = secret_key(VAR_DIR)
# Keys a rotation retired (comma-separated): what was signed or sealed under them still opens
# (sessions, links, the entries offline desks queued), while everything new uses SECRET_KEY.
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS", [])
ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if not DEBUG else ["*"]
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "abwab.core.admin_site.AbwabAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "abwab.core.tasks_app.BackgroundTasksConfig",  # django_tasks_db, with a translated name
    "ninja",  # the API docs page: Swagger UI from ninja's own static files, not from a CDN
    "abwab.core",
    "abwab.territory",
    "abwab.accounts",
    "abwab.people",
    "abwab.campaigns",
    "abwab.listening",
    "abwab.meetings",
    "abwab.reports",
    "abwab.public",
    "abwab.messaging",
    "abwab.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "abwab.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "abwab.core.security.SecurityMiddleware",
    "abwab.accounts.twofactor.SecondFactorMiddleware",
    "abwab.core.audit.AuditMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "abwab.urls"
WSGI_APPLICATION = "abwab.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["abwab.accounts.backends.ThrottledModelBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

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
            ],
            # Dates in the Moroccan style and direction helpers, in every template (abwab.core).
            "builtins": ["abwab.core.templatetags.display"],
        },
    },
]


def _database() -> dict:
    """DATABASE_URL when set (PostgreSQL in production), else an SQLite file in var/ in WAL mode."""
    url = env_str("DATABASE_URL")
    if url:
        config = dj_database_url.parse(url, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))
        config["CONN_HEALTH_CHECKS"] = True
        return config
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": VAR_DIR / "abwab.sqlite3",
        "OPTIONS": {
            # WAL lets readers work while one writer writes; IMMEDIATE takes the write lock at
            # BEGIN so two writers queue on the busy timeout instead of failing to upgrade a lock.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        },
        "TEST": {"NAME": VAR_DIR / "test.sqlite3"},
    }


DATABASES = {"default": _database()}
# Long work runs in `abwab db_worker`, queued in the database: no extra server to run.
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend"
        if env_bool("ABWAB_TASKS_IMMEDIATE")
        else "django_tasks_db.DatabaseBackend"
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "abwab.accounts.passwords.BreachedPasswordValidator"},
]

NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_LIMIT = 500
NINJA_PAGINATION_MAX_OFFSET = 10_000_000
NINJA_PAGINATION_CLASS = "abwab.api.pagination.BoundedLimitOffset"

LANGUAGE_CODE = "ar"
LANGUAGES = [("ar", _("Arabic")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["abwab.formats"]  # day-month-year in both languages (abwab/formats/)
TIME_ZONE = "Africa/Casablanca"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = Path(
    env_str("MEDIA_ROOT", str(VAR_DIR / "media"))
)  # never served directly: views check scope
VISITOR_RETENTION_DAYS = env_int(
    "VISITOR_RETENTION_DAYS", 180
)  # law 09-08: visitors who did not join
# Uploads (members' lists, meeting files) are for the server's user only; Django's defaults are
# 0644 files in directories the umask leaves open (0755).
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_MB", 10) * 1024 * 1024
IMPORT_MAX_BYTES = (
    env_int("IMPORT_MAX_MB", 200) * 1024 * 1024
)  # a million-line member list is ~80 MB
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

SESSION_COOKIE_HTTPONLY = True
# Sessions end after an idle hour (each request pushes the end back) and, whatever happens, after
# a working day; a disabled account's sessions end at its next request (Django drops inactive users).
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_SECONDS", 60 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_ABSOLUTE_SECONDS = env_int("SESSION_ABSOLUTE_SECONDS", 10 * 60 * 60)
# How long an offline door desk keeps an entry it could not send before wiping it (hours).
DOOR_QUEUE_HOURS = env_int("DOOR_QUEUE_HOURS", 72)
# The party's name as communiqués write it ("لحزب ...", "du ..."); empty: "للحزب", "du parti".
PARTY_NAME_AR = env_str("PARTY_NAME_AR", "")
PARTY_NAME_FR = env_str("PARTY_NAME_FR", "")
# The public open-doors site (abwab.public): what its consent texts name, and its abuse rules.
ABWAB_CNDP_REFERENCE = env_str("ABWAB_CNDP_REFERENCE", "")  # empty: a visible placeholder
ABWAB_PRIVACY_ADDRESS = env_str("ABWAB_PRIVACY_ADDRESS", "")  # where citizens use their rights
PUBLIC_POW_BITS = env_int("PUBLIC_POW_BITS", 16)  # leading zero bits of sha256(challenge+nonce)
PUBLIC_POW_MAX_AGE = env_int("PUBLIC_POW_MAX_AGE", 30 * 60)  # seconds a challenge stays valid
PUBLIC_MIN_FILL_SECONDS = env_int("PUBLIC_MIN_FILL_SECONDS", 3)  # faster than this: held
PUBLIC_RATE_WINDOW = env_int("PUBLIC_RATE_WINDOW", 60 * 60)  # seconds of one counting window
PUBLIC_RATE_PER_ADDRESS = env_int("PUBLIC_RATE_PER_ADDRESS", 10)  # forms per address per window
PUBLIC_RATE_PER_PHONE = env_int("PUBLIC_RATE_PER_PHONE", 3)  # forms per phone per window
PUBLIC_RATE_LOOKUPS = env_int("PUBLIC_RATE_LOOKUPS", 30)  # receipt look-ups per address per window
# Email and SMS (abwab.messaging). ABWAB_EMAIL_URL names the relay, e.g.
# smtp://user:password@relay.example.org:587?tls=1 (see abwab/env.py); unset, each email is written
# as a file into <var dir>/mail/ and nothing leaves the machine.
globals().update(email_config(env_str("ABWAB_EMAIL_URL"), VAR_DIR / "mail"))
DEFAULT_FROM_EMAIL = SERVER_EMAIL = env_str("ABWAB_EMAIL_FROM", "abwab@localhost")
ABWAB_SITE_URL = env_str("ABWAB_SITE_URL", "http://localhost:8000")  # links in emails and SMS
ABWAB_UNSUBSCRIBE_MAILTO = env_str("ABWAB_UNSUBSCRIBE_MAILTO", "")  # a mailbox someone reads
MESSAGING_RATES = {  # messages per second handed to each channel (the relay's or contract's limit)
    "email": env_int("MESSAGING_RATE_EMAIL", 20),
    "sms": env_int("MESSAGING_RATE_SMS", 10),
}
# No party news nor members' messages between these hours (Africa/Casablanca); convocations,
# answers and account notices go at any hour.
MESSAGING_QUIET_HOURS = (env_int("MESSAGING_QUIET_FROM", 21), env_int("MESSAGING_QUIET_UNTIL", 8))
MESSAGING_MAX_ATTEMPTS = env_int("MESSAGING_MAX_ATTEMPTS", 5)  # temporary failures, then failed
MESSAGING_RETRY_SECONDS = env_int("MESSAGING_RETRY_SECONDS", 60)  # doubled at each attempt
MESSAGING_UNSUBSCRIBE_DAYS = env_int("MESSAGING_UNSUBSCRIBE_DAYS", 400)  # link validity
# SMS (abwab.messaging.sms): smpp://system_id:password@host:2775?source=Abwab (smpps:// for TLS)
# or an HTTP gateway https://user:password@gateway.example/api/sms?source=Abwab; unset, each SMS is
# written into <var dir>/sms/outbox.jsonl and nothing leaves the machine.
ABWAB_SMS_URL = env_str("ABWAB_SMS_URL", "")
ABWAB_SMS_CALLBACK_SECRET = env_str("ABWAB_SMS_CALLBACK_SECRET", "")  # the gateway's callback
ABWAB_SMS_MAX_PARTS = env_int("ABWAB_SMS_MAX_PARTS", 10)  # a longer text is refused, not sent
LOGIN_WINDOW_SECONDS = 15 * 60
LOGIN_MAX_FAILURES_PER_ACCOUNT = env_int("LOGIN_MAX_FAILURES_PER_ACCOUNT", 5)
LOGIN_MAX_FAILURES_PER_ADDRESS = env_int("LOGIN_MAX_FAILURES_PER_ADDRESS", 30)
TRUSTED_PROXIES = env_int("TRUSTED_PROXIES", 0)
# National and regional roles must pass a second factor (TOTP); only the demo turns this off.
REQUIRE_2FA = env_bool("REQUIRE_2FA", True)
REAUTH_SECONDS = env_int(
    "REAUTH_SECONDS", 5 * 60
)  # how recent a password check sensitive actions need
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# Production speaks HTTPS only: plain http is redirected, and browsers are told to keep to HTTPS
# for a year (HSTS). Only debugging (the demo on a laptop) speaks plain http by default; turning
# either off in production takes an explicit setting (e.g. a proxy that redirects by itself).
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the proxy's liveness check may come over plain http
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_PROXY") else None
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 365 * 24 * 60 * 60)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", SECURE_HSTS_SECONDS > 0)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", SECURE_HSTS_SECONDS > 0)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
