"""LEV settings: one module, configured only through environment variables.

DEBUG is off unless DJANGO_DEBUG says otherwise. Secrets can be given directly (NAME) or as a
file (NAME_FILE, for Docker/Kubernetes secrets). Without DATABASE_URL LEV runs on the embedded
default (SQLite with WAL); without REDIS_URL it runs without Redis (jobs through `run_jobs`).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import overload

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


@overload
def env(name: str, default: str) -> str: ...
@overload
def env(name: str, default: None = None) -> str | None: ...
def env(name: str, default: str | None = None) -> str | None:
    """Read NAME, or the contents of the file named by NAME_FILE."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        try:
            return Path(file_name).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE points to an unreadable file: {exc}") from exc
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = env(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in (env(name, default) or "").split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = env(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def env_required(name: str, *, hint: str = "") -> str:
    value = env(name)
    if not value:
        raise ImproperlyConfigured(
            f"{name} (or {name}_FILE) must be set: LEV does not start without it. {hint}".strip()
        )
    return value


DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = env_required(
    "DJANGO_SECRET_KEY",
    hint="Generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))'",
)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

# LEV_HTTPS=false only for a local `make run` over plain http.
HTTPS = env_bool("LEV_HTTPS", True)
# Demo accounts (known passwords and TOTP secrets) are refused by a system check unless allowed.
DEMO_ALLOWED = env_bool("LEV_DEMO", False)
DATA_DIR = Path(env("LEV_DATA_DIR", str(BASE_DIR / "var")) or BASE_DIR / "var")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "guardian",
    "csp",
    "django_htmx",
    "lev.accounts",
    "lev.schools",
    "lev.audit",
    "lev.dossier",
    "lev.jobs",
    "lev.deadlines",
    "lev.monitoring",
    "lev.web",
    "communications",
    "incidents",
    "crisis",
    "misconduct",
    "escalation",
    "meldcode",
]
ADMIN_ENABLED = env_bool("LEV_ADMIN", False)
if ADMIN_ENABLED:
    INSTALLED_APPS.insert(0, "django.contrib.admin")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "lev.accounts.middleware.SessionTimeoutMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "lev.accounts.middleware.TwoFactorRequiredMiddleware",
    "lev.schools.middleware.ActiveSchoolMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "lev.urls"
WSGI_APPLICATION = "lev.wsgi.application"

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
                "lev.web.context_processors.lev",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASE_URL = env("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(DATABASE_URL, conn_max_age=600, conn_health_checks=True),
    }
    EMBEDDED = False
else:
    # The embedded default for `make run`: SQLite with WAL, a busy timeout and IMMEDIATE
    # transactions so that the web server and the job runner do not deadlock.
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env("LEV_SQLITE_PATH") or str(DATA_DIR / "lev.sqlite3"),
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
    EMBEDDED = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis, cache, Celery -------------------------------------------------------------------
REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "lev",
            "TIMEOUT": 300,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "Europe/Amsterdam"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Keep LEV's JSON log configuration in the worker and beat (Celery would replace the root logger).
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# --- Authentication -------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "lev.accounts.backends.UsernameOrEmailBackend",
    "guardian.backends.ObjectPermissionBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:start"
LOGOUT_REDIRECT_URL = "accounts:login"

# Sessions live in the database (LEV keeps working when Redis is down).
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = 8 * 60 * 60  # absolute maximum: 8 hours
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
LEV_IDLE_TIMEOUT_SECONDS = 30 * 60
LEV_IDLE_TIMEOUT_SENSITIVE_SECONDS = 15 * 60
LEV_ABSOLUTE_TIMEOUT_SECONDS = SESSION_COOKIE_AGE

# django-otp
OTP_TOTP_ISSUER = "LEV"
OTP_TOTP_THROTTLE_FACTOR = 1

# django-axes: lock by the normalised account and by account + IP, with a cool-off, so thirty
# teachers behind one school NAT do not lock each other out and `jan` / `jan@school.nl` share one
# counter.
AXES_ENABLED = env_bool("LEV_AXES_ENABLED", True)
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours: 15 minutes
AXES_LOCKOUT_PARAMETERS = [["username"], ["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "lev.accounts.lockout.normalised_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_VERBOSE = False
AXES_IPWARE_PROXY_COUNT = env_int("LEV_PROXY_COUNT", 0)
AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]

# django-guardian: no anonymous user account.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False

# --- Security headers -----------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
CSRF_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = HTTPS and env_bool("LEV_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("LEV_BEHIND_PROXY", False) else None
SECURE_REDIRECT_EXEMPT = [r"^health$"]

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

# --- I18n -----------------------------------------------------------------------------------
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch"))]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["lev.formats"]

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env("LEV_STATIC_ROOT", str(DATA_DIR / "static")) or DATA_DIR / "static")
MEDIA_ROOT = Path(env("LEV_MEDIA_ROOT", str(DATA_DIR / "media")) or DATA_DIR / "media")
# Incident attachments: checked by content, at most this many bytes (a proxy in front needs a larger body limit).
LEV_ATTACHMENT_MAX_BYTES = env_int("LEV_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)
WHITENOISE_USE_FINDERS = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- E-mail ---------------------------------------------------------------------------------
EMAIL_BACKEND = env("LEV_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("LEV_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("LEV_EMAIL_PORT", 25)
EMAIL_HOST_USER = env("LEV_EMAIL_USER", "") or ""
EMAIL_HOST_PASSWORD = env("LEV_EMAIL_PASSWORD", "") or ""
EMAIL_USE_TLS = env_bool("LEV_EMAIL_TLS", False)
EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = env("LEV_FROM_EMAIL", "LEV <noreply@lev.invalid>")
LEV_BASE_URL = env("LEV_BASE_URL", "http://localhost:8000")

# --- Logging: structured (JSON lines), never personal data ----------------------------------
LOG_LEVEL = (env("LEV_LOG_LEVEL", "INFO") or "INFO").upper()
if LOG_LEVEL not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
    raise ImproperlyConfigured(
        f"LEV_LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL, not {LOG_LEVEL!r}"
    )
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"scrub": {"()": "lev.logging.ScrubFilter"}},
    "formatters": {"json": {"()": "lev.logging.JsonFormatter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "json", "filters": ["scrub"]},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Replaces Django's default handlers: no plain-text console copy, and no mail_admins
        # (an error e-mail would carry request details out of the building).
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.request": {"level": "ERROR", "propagate": True},
        "django.server": {"handlers": [], "level": "WARNING", "propagate": True},
        "axes": {"level": "WARNING", "propagate": True},
        # WeasyPrint reports every rendering step at INFO: only problems are worth a log line.
        "weasyprint": {"level": "WARNING", "propagate": True},
        "fontTools": {"level": "WARNING", "propagate": True},
    },
}
