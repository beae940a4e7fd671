"""Django settings, read from the environment (and the repository's root `.env`).

`DATABASE_URL` selects the database; without it an SQLite file under backend/ is the
embedded default. `DJANGO_SECRET_KEY` is always required: `make up` and `make dev` write a
random one into `.env` the first time they create it. `DJANGO_HTTPS=1` turns on what a site
served over https needs (redirects, HSTS, secure cookies).
"""

import os
import warnings
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

from clerk.config import ClerkSettings

BASE_DIR = Path(__file__).resolve().parent.parent
REPO_ROOT = BASE_DIR.parent

env = environ.Env()
# One .env at the repository root serves the whole project; values already in the
# process environment win over the file. DJANGO_ENV_FILE="" reads no file (tests).
ENV_FILE = env.str("DJANGO_ENV_FILE", default=str(REPO_ROOT / ".env"))
if ENV_FILE and Path(ENV_FILE).is_file():
    env.read_env(ENV_FILE, overwrite=False)


DEBUG = env.bool("DJANGO_DEBUG", default=False)
# No fallback, not even with debug on: a constant key in the repository signs every
# session and password-reset link of whoever forgets to set one (and `make tunnel`
# puts the app on the internet).
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        'DJANGO_SECRET_KEY is required: set it in .env (python -c "import secrets; print(secrets.token_urlsafe(50))")'
    )

# Hosts the admin answers on. ngrok's domains are included so `make tunnel` works out of the box.
ALLOWED_HOSTS = env.list(
    "DJANGO_ALLOWED_HOSTS",
    default=["localhost", "127.0.0.1", "[::1]", "backend", ".ngrok-free.app", ".ngrok.app", ".ngrok.io"],
)
CSRF_TRUSTED_ORIGINS = env.list(
    "DJANGO_CSRF_TRUSTED_ORIGINS",
    default=["https://*.ngrok-free.app", "https://*.ngrok.app", "https://*.ngrok.io"],
)
# nginx forwards the original host and scheme; without these the admin's CSRF origin
# check fails behind the proxy and ngrok's https would look like http.
USE_X_FORWARDED_HOST = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Served over https (production): redirect plain http, send HSTS, keep cookies off http.
# The admin and /static/ redirect; the API under /api/v1 is FastAPI's and never does.
HTTPS = env.bool("DJANGO_HTTPS", default=False)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS or env.bool("DJANGO_SECURE_COOKIES", default=False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=365 * 24 * 3600) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", default=True)
# Preloading puts the domain into browsers' https-only lists for good: an owner's decision,
# so it is opt-in, and `check --deploy` is told not to nag about it (security.W021).
SECURE_HSTS_PRELOAD = env.bool("DJANGO_HSTS_PRELOAD", default=False)
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]

# Clerk, read and validated once (ClerkConfigError names a malformed variable): the API,
# the management commands and the tests all use this object.
CLERK = ClerkSettings.from_env(os.environ)

# FastAPI's interactive docs and schema: on with debug, else only when asked for.
API_DOCS = env.bool("API_DOCS", default=DEBUG)
# GraphQL's introspection (a map of the API for whoever asks): likewise. GraphiQL: debug only.
GRAPHQL_INTROSPECTION = env.bool("GRAPHQL_INTROSPECTION", default=DEBUG)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "users",
    "projects",
]

MIDDLEWARE = [
    "config.middleware.AsyncFileStreamingMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

ASGI_APPLICATION = "config.asgi.application"


def _database() -> dict:
    url = env.str("DATABASE_URL", default="") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
    scheme = url.split("://", 1)[0]
    if scheme not in environ.Env.DB_SCHEMES:
        raise ImproperlyConfigured(f"DATABASE_URL has an unsupported scheme {scheme!r} (use postgres:// or sqlite:///)")
    database = env.db_url_config(url)
    if database["ENGINE"] == "django.db.backends.postgresql":
        # FastAPI routes use the ORM from worker threads and hand their connection back
        # after each unit of work (api/db.py); a pool makes that cheap, and checking a
        # connection before lending it means a database restart costs no failed request.
        if env.bool("DATABASE_POOL", default=True):
            database.setdefault("OPTIONS", {})["pool"] = {
                "min_size": env.int("DATABASE_POOL_MIN_SIZE", default=2),
                "max_size": env.int("DATABASE_POOL_MAX_SIZE", default=10),
                "timeout": env.float("DATABASE_POOL_TIMEOUT", default=10.0),
            }
        database["CONN_MAX_AGE"] = 0
        # With a pool, Django makes psycopg check each connection before lending it.
        database["CONN_HEALTH_CHECKS"] = True
        # A database behind a firewall that drops packets would hold each connection attempt
        # for libpq's default of minutes, and a pool waiting on it could only say that it
        # waited: within seconds psycopg says where and why (`?connect_timeout=` in the URL wins).
        database.setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
        # Statements run again and again are prepared on their connection after a few runs, so
        # PostgreSQL plans them once (planning a page of projects cost 1 ms of its CPU, running it
        # 0.2 ms). Off for a pooler that cannot keep prepared statements (PgBouncer before 1.21,
        # or without max_prepared_statements in transaction mode): DATABASE_PREPARED_STATEMENTS=0.
        if env.bool("DATABASE_PREPARED_STATEMENTS", default=True):
            database["OPTIONS"].update({"server_side_binding": True, "prepare_threshold": 5})
    elif database["ENGINE"] == "django.db.backends.sqlite3":
        # The embedded default serves concurrent webhooks too: a write transaction takes the
        # write lock when it begins (not half-way, when SQLite can only fail it), waits up to
        # the busy timeout for another writer, and WAL lets readers run alongside the writer.
        database.setdefault("OPTIONS", {}).update(
            {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            }
        )
    return database


DATABASES = {"default": _database()}

AUTH_USER_MODEL = "users.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Serve app static files straight from their apps when collectstatic has not run (dev, tests);
# WhiteNoise's warning about the then-missing STATIC_ROOT says nothing useful.
WHITENOISE_USE_FINDERS = True
warnings.filterwarnings("ignore", message="No directory at")
# Production collects static files under content-hashed names (DJANGO_STATIC_MANIFEST=1, set
# by the production image): WhiteNoise then serves them as immutable, cached for a year. It
# needs `collectstatic` to have run, so development and tests serve the files as they are.
STATIC_MANIFEST = env.bool("DJANGO_STATIC_MANIFEST", default=False)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if STATIC_MANIFEST
            else "whitenoise.storage.CompressedStaticFilesStorage"
        )
    },
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The webhook event log holds personal data: `manage.py clerk_purge_events` (run it daily)
# deletes applied events older than this; failed ones stay until an operator resolves them.
WEBHOOK_EVENT_RETENTION_DAYS = env.int("WEBHOOK_EVENT_RETENTION_DAYS", default=30)
if WEBHOOK_EVENT_RETENTION_DAYS < 3:
    raise ImproperlyConfigured("WEBHOOK_EVENT_RETENTION_DAYS must be at least 3 (Svix retries for about 28 hours)")

LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
# text: a plain line each, for people (development). json: one JSON object per line, for
# log collectors (production); every request's line carries its id, status, duration and
# the Clerk user and organization (config/request_log.py).
LOG_FORMAT = env.str("LOG_FORMAT", default="text")
if LOG_FORMAT not in ("text", "json"):
    raise ImproperlyConfigured(f"LOG_FORMAT must be text or json, not {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(levelname)s %(name)s %(message)s",
            "rename_fields": {"levelname": "level", "name": "logger"},
            "timestamp": "time",
        },
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # uvicorn's own lines (start-up, errors) in the same format; its access log is
        # replaced by the request log, so servers run with --no-access-log.
        "uvicorn": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False},
        "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
    },
}
