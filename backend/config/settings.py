"""Django settings, read from the environment (and the repository's root `.env`).

`DATABASE_URL` selects the database; without it an SQLite file under backend/ is the
embedded default. With `DJANGO_DEBUG` off (the default) `DJANGO_SECRET_KEY` is required.
"""

import warnings
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
REPO_ROOT = BASE_DIR.parent

env = environ.Env()
# One .env at the repository root serves the whole project; values already in the
# process environment win over the file. DJANGO_ENV_FILE="" reads no file (tests).
ENV_FILE = env.str("DJANGO_ENV_FILE", default=str(REPO_ROOT / ".env"))
if ENV_FILE and Path(ENV_FILE).is_file():
    env.read_env(ENV_FILE, overwrite=False)


def _required_when_not_debug(name: str, debug_default: str) -> str:
    value = env.str(name, default="")
    if value:
        return value
    if DEBUG:
        return debug_default
    raise ImproperlyConfigured(f"{name} is required when DJANGO_DEBUG is off (set it in .env)")


DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = _required_when_not_debug("DJANGO_SECRET_KEY", "django-insecure-local-development-only")

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
SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "users",
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
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
