"""Settings for the test suite: the developer's .env is not read, so tests see only what they set."""

import os

os.environ["DJANGO_ENV_FILE"] = ""
os.environ.setdefault("DJANGO_SECRET_KEY", "tests-only-not-secret")

from config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast logins in admin tests
