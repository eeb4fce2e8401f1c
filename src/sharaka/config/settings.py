"""Sharaka settings: one module, driven by environment variables.

Environment variables:
    DATABASE_URL      any dj-database-url URL; default: SQLite file ``var/sharaka.sqlite3``
    SECRET_KEY        default: a random key generated once into ``var/secret_key``
    DEBUG             ``1``/``true`` to enable debug pages (never in production)
    ALLOWED_HOSTS     comma-separated; default ``127.0.0.1,localhost``
    CSRF_TRUSTED_ORIGINS  comma-separated origins, for deployments behind a proxy
    SHARAKA_VAR_DIR   where the SQLite database, secret key and uploads live; default ``var/``
    SHARAKA_SECURE    ``1`` to turn on HTTPS-only cookies, HSTS and SSL redirect
    REDIS_URL         a shared cache (``redis://host:6379/0``) for several server processes,
                      and the queue of background tasks (RQ); default: a cache in each
                      process's memory, tasks queued in the database
    SHARAKA_TASKS_BACKEND  the django-tasks backend, overriding the choice above
    SHARAKA_IMPORT_STALE_SECONDS  a queued import with no sign of life this long is taken
                      for crashed and re-queued (or failed): 120
    SHARAKA_SCHEDULER_TICK_SECONDS  how often `sharaka worker --with-scheduler` looks for
                      due periodic jobs: 30
    SHARAKA_TASK_RESULTS_KEEP_DAYS  days the database queue keeps a finished task's row: 14
    SHARAKA_CHAIN_KEY the key of the hash chain of decisions, votes and minutes (HMAC);
                      default: a random key generated on first use into
                      ``var/chain_key`` (mode 0600). Keep it out of database backups.
    EMAIL_URL-like settings are kept simple: EMAIL_BACKEND, DEFAULT_FROM_EMAIL
    SHARAKA_SITE_URL  the address the daily to-do e-mail puts before its links
                      (e.g. https://sharaka.example.ma); default: none (relative links)
    SHARAKA_API_TOKEN_DAYS       lifetime offered by default for a new API token (90 days)
    SHARAKA_API_TOKEN_MAX_DAYS   longest lifetime a new API token may be given (365 days)
    SHARAKA_PASSWORD_RESET_PER_IP       password-reset requests per hour from one address (10)
    SHARAKA_PASSWORD_RESET_PER_ACCOUNT  reset e-mails per hour to one account (3)
    SHARAKA_REQUESTS_KEEP_DAYS    days a closed information request keeps its requester's
                      personal data before a daily job anonymises it (365)
    SHARAKA_REQUESTS_REMIND_DAYS  working days before its due date that an open request is
                      e-mailed to its information officers every day (3)
    SHARAKA_REQUESTS_PER_IP       information requests per hour from one address (5)
    SHARAKA_SESSION_IDLE_MINUTES  a signed-in session ends after this long without a request (30)
    SHARAKA_SESSION_MAX_HOURS     and this long after sign-in, whatever the activity (12)
    SHARAKA_PRODUCTION  ``1`` in production (``sharaka serve`` sets it): DEBUG off, SECRET_KEY
                      required from the environment, hashed static files from ``collectstatic``,
                      persistent database connections (docs/serving.md)
    CONN_MAX_AGE      seconds a database connection is kept; default 60 in production, else 0
    SHARAKA_LOG_FORMAT  ``text`` (default) or ``json``: one JSON object a line
    LOG_LEVEL         the root logger's level (WARNING)
    SENTRY_DSN        report errors to this Sentry (or compatible) DSN; off when unset
    SENTRY_ENVIRONMENT, SENTRY_TRACES_SAMPLE_RATE  passed to sentry-sdk (none, 0)
    DATABASE_REPLICA_URL  a read replica for the public portal and open data (config/replica.py)
    SHARAKA_S3_BUCKET (and SHARAKA_S3_ENDPOINT_URL, _REGION, _ACCESS_KEY_ID,
                      _SECRET_ACCESS_KEY, _PREFIX, _ADDRESSING_STYLE): uploads in an
                      S3-compatible bucket instead of ``var/media`` (config/storage.py)
    docs/deploy.md has the table of every variable.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from sharaka.config import replica, storage
from sharaka.ops import reporting
from sharaka.ops.keys import secret_key_problem

django_stubs_ext.monkeypatch()  # lets forms.ModelForm[Model] and friends be subscripted


def _env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_int(name: str, default: int, *, minimum: int = 1) -> int:
    """A whole number from the environment, ``default`` when unset; anything else stops the
    start-up with a message naming the variable (a typo must not weaken a security setting)."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {value}")
    return value


def _env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


PACKAGE_DIR = Path(__file__).resolve().parent.parent
PROJECT_DIR = PACKAGE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("SHARAKA_VAR_DIR", PROJECT_DIR / "var")).resolve()


#: ``sharaka serve`` sets it; a deployment that runs the WSGI application another way sets it
#: too (docs/serving.md). The demo and the tests run without it, as before.
PRODUCTION = _env_bool("SHARAKA_PRODUCTION")


def _secret_key() -> str:
    key = os.environ.get("SECRET_KEY")
    if PRODUCTION:
        # In production the key must be given, and not a development one: every web process
        # (on every machine) must sign sessions with the same key (docs/serving.md).
        problem = secret_key_problem(key)
        if problem is not None:
            raise ImproperlyConfigured(problem)
    if key:
        return key
    key_file = VAR_DIR / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


SECRET_KEY = _secret_key()
DEBUG = _env_bool("DEBUG")
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must be off in production (SHARAKA_PRODUCTION=1)")
ALLOWED_HOSTS = _env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = _env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "template_partials",
    "simple_history",
    "axes",
    "ninja",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "django_tasks_db",
    "sharaka.core",
    "sharaka.accounts",
    "sharaka.directory",
    "sharaka.partnerships",
    "sharaka.governance",
    "sharaka.conventions",
    "sharaka.meetings",
    "sharaka.planning",
    "sharaka.structure",
    "sharaka.competences",
    "sharaka.partners",
    "sharaka.finance",
    "sharaka.transparency",
    "sharaka.evaluation",
    "sharaka.opendata",
    "sharaka.closure",
    "sharaka.audit",
    "sharaka.observatory",
]

MIDDLEWARE = [
    # first: every later log line of the request carries its id; /healthz and /readyz are
    # answered before any middleware that could touch the database or redirect (ops/health.py)
    "sharaka.ops.logs.RequestIdMiddleware",
    "sharaka.ops.health.HealthMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "sharaka.core.middleware.RequestSizeMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "sharaka.accounts.middleware.SessionLifetimeMiddleware",
    "sharaka.accounts.middleware.SecondFactorMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    "sharaka.core.middleware.DomainErrorMiddleware",
]

ROOT_URLCONF = "sharaka.config.urls"
WSGI_APPLICATION = "sharaka.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sharaka.core.context_processors.navigation",
            ],
            # |money, |amount, |percent in every template (core/templatetags/localized.py)
            "builtins": ["sharaka.core.templatetags.localized"],
        },
    },
]

# --- Cache ----------------------------------------------------------------------------------
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        }
        if os.environ.get("REDIS_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "sharaka"}
    )
}

# --- Database -------------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'sharaka.sqlite3'}"),
        # persistent connections in production (a new connection cost about 9 ms of a
        # request); checked before reuse, so a restarted database costs no failed request
        conn_max_age=_env_int("CONN_MAX_AGE", 60 if PRODUCTION else 0, minimum=0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # an unreachable server fails a request (and /readyz) in 10 s, not the TCP timeout
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 10)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while one writer writes; IMMEDIATE takes the write lock at the
    # start of a transaction so concurrent writers queue (busy timeout) instead of failing.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
    }
    DATABASES["default"]["TEST"] = {"NAME": ""}  # in-memory for tests
# A read replica for the public portal and open data (config/replica.py, docs/deploy.md).
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES[replica.REPLICA] = replica.database(
        os.environ["DATABASE_REPLICA_URL"], conn_max_age=DATABASES["default"]["CONN_MAX_AGE"]
    )
    DATABASE_ROUTERS = ["sharaka.config.replica.ReplicaRouter"]
    MIDDLEWARE.append("sharaka.config.replica.ReplicaMiddleware")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication -------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "partnerships:home"
# Second factor (TOTP) for administrators and treasurers: accounts/middleware.py. A wrong
# code waits 1, 2, 4, ... seconds before the next try (django-otp's throttling).
OTP_TOTP_ISSUER = "Sharaka"
OTP_TOTP_THROTTLE_FACTOR = 1
LOGOUT_REDIRECT_URL = "partnerships:home"
# Sessions end after SHARAKA_SESSION_IDLE_MINUTES without a request and, whatever the
# activity, SHARAKA_SESSION_MAX_HOURS after sign-in (accounts/middleware.py). The cookie and
# the stored session never outlive the latter.
SHARAKA_SESSION_IDLE_MINUTES = _env_int("SHARAKA_SESSION_IDLE_MINUTES", 30)
SHARAKA_SESSION_MAX_HOURS = _env_int("SHARAKA_SESSION_MAX_HOURS", 12)
SESSION_COOKIE_AGE = SHARAKA_SESSION_MAX_HOURS * 3600

AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
# Failures are counted per IP address (one address trying many accounts) and, separately,
# per account (one account tried from many addresses): either reaching the limit locks
# out for the cool-off time. docs/accounts.md says what this costs (a known username can be
# locked out on purpose for the cool-off time) and why it is worth it.
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
AXES_LOCKOUT_TEMPLATE = "accounts/pages/locked_out.html"
AXES_VERBOSE = False

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("ar", _("العربية")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
#: day-month-year dates and 24-hour times in every language, digit groups (ADR 0028)
FORMAT_MODULE_PATH = ["sharaka.core.formats"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Africa/Casablanca")
USE_I18N = True
USE_TZ = True

# --- Static files and uploads ---------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns when it is missing
MEDIA_URL = "media/"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # production: hashed, compressed copies made by collectstatic (sharaka serve runs
        # it), which WhiteNoise serves with far-future caching (ADR 0004, ADR 0015)
        "BACKEND": "sharaka.ops.static.StaticStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Outside production WhiteNoise serves straight from the app folders: no collectstatic step
# for a trial.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG

# Uploads on an S3-compatible bucket when SHARAKA_S3_BUCKET is set (config/storage.py).
STORAGES["default"] = storage.media_storage(os.environ)

# --- Security -------------------------------------------------------------------------------
SECURE = _env_bool("SHARAKA_SECURE")
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SECURE_SSL_REDIRECT = SECURE
SECURE_HSTS_SECONDS = 31536000 if SECURE else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = SECURE
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if SECURE else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# --- E-mail ---------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "sharaka@localhost")
SHARAKA_SITE_URL = os.environ.get("SHARAKA_SITE_URL", "")

# --- Background tasks (django-tasks), run by `sharaka worker` (ADR 0016): in the database, or
# in Redis through RQ when REDIS_URL is set; SHARAKA_TASKS_BACKEND overrides both.
TASKS_DATABASE_BACKEND = "django_tasks_db.DatabaseBackend"
TASKS_RQ_BACKEND = "django_tasks_rq.RQBackend"
TASKS = {
    "default": {
        "BACKEND": os.environ.get("SHARAKA_TASKS_BACKEND")
        or (TASKS_RQ_BACKEND if os.environ.get("REDIS_URL") else TASKS_DATABASE_BACKEND)
    }
}
if TASKS["default"]["BACKEND"] == TASKS_RQ_BACKEND:
    INSTALLED_APPS.append("django_rq")
    _rq_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    RQ_QUEUES = {"default": {"URL": _rq_url, "DEFAULT_TIMEOUT": 3600}}
SHARAKA_IMPORT_STALE_SECONDS = int(os.environ.get("SHARAKA_IMPORT_STALE_SECONDS", "120"))
SHARAKA_SCHEDULER_TICK_SECONDS = float(os.environ.get("SHARAKA_SCHEDULER_TICK_SECONDS", "30"))
SHARAKA_TASK_RESULTS_KEEP_DAYS = int(os.environ.get("SHARAKA_TASK_RESULTS_KEEP_DAYS", "14"))

# --- Logging: errors to stderr, never to the user; each line with its request's id ---------
LOG_FORMAT = os.environ.get("SHARAKA_LOG_FORMAT", "text").strip().lower() or "text"
if LOG_FORMAT not in {"text", "json"}:
    raise ImproperlyConfigured(f"SHARAKA_LOG_FORMAT must be text or json, not {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "sharaka.ops.logs.RequestIdFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "sharaka.ops.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# --- Error reporting: only when SENTRY_DSN is set, without personal data ---------------------
reporting.init_from_environment(os.environ)

# --- Sharaka --------------------------------------------------------------------------------
SHARAKA_CURRENCY = os.environ.get("SHARAKA_CURRENCY", "MAD")
# Uploads (core/uploads.py): documents (receipts, board and asset documents, signed copies)
# and import files (CSV, XLSX), in MB; a request body larger than the larger of the two
# (plus 1 MB) is refused before it is read.
SHARAKA_MAX_UPLOAD_MB = float(os.environ.get("SHARAKA_MAX_UPLOAD_MB", "10"))
SHARAKA_MAX_IMPORT_MB = float(os.environ.get("SHARAKA_MAX_IMPORT_MB", "100"))
# Days a stored import file is kept after its import ends (0: deleted as soon as it ends).
SHARAKA_IMPORT_KEEP_DAYS = int(os.environ.get("SHARAKA_IMPORT_KEEP_DAYS", "0"))
SHARAKA_PAGE_SIZE = 25
# API tokens: lifetime chosen at creation, this many days by default and at most that many.
SHARAKA_API_TOKEN_MAX_DAYS = _env_int("SHARAKA_API_TOKEN_MAX_DAYS", 365)
SHARAKA_API_TOKEN_DAYS = min(_env_int("SHARAKA_API_TOKEN_DAYS", 90), SHARAKA_API_TOKEN_MAX_DAYS)
# Password reset: requests per hour from one IP address (beyond: 429 page) and e-mails per
# hour to one account (beyond: the same "sent" page, no e-mail); counters in the cache.
SHARAKA_PASSWORD_RESET_PER_IP = _env_int("SHARAKA_PASSWORD_RESET_PER_IP", 10)
SHARAKA_PASSWORD_RESET_PER_ACCOUNT = _env_int("SHARAKA_PASSWORD_RESET_PER_ACCOUNT", 3)
# Requests for access to information (law 31-13, docs/transparency.md): the requester's
# personal data is anonymised this many days after the request is closed; open requests due
# within that many working days are e-mailed daily; the public form takes that many
# requests an hour from one address (beyond: 429 page; counters in the cache).
SHARAKA_REQUESTS_KEEP_DAYS = _env_int("SHARAKA_REQUESTS_KEEP_DAYS", 365, minimum=0)
SHARAKA_REQUESTS_REMIND_DAYS = _env_int("SHARAKA_REQUESTS_REMIND_DAYS", 3, minimum=0)
SHARAKA_REQUESTS_PER_IP = _env_int("SHARAKA_REQUESTS_PER_IP", 5)
# The hash chain's key (meetings/chain.py): this variable, else the file below, created on
# first use. Never stored in the database, so a database rewrite cannot recompute the chain.
SHARAKA_CHAIN_KEY = os.environ.get("SHARAKA_CHAIN_KEY", "")
SHARAKA_CHAIN_KEY_FILE = VAR_DIR / "chain_key"
