"""Settings for the test suite: the developer's .env is not read, so tests see only what they set."""

import os
from pathlib import Path

os.environ["DJANGO_ENV_FILE"] = ""
os.environ.setdefault("DJANGO_SECRET_KEY", "tests-only-not-secret")

from config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast logins in admin tests

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, as the embedded default is: SQLite's in-memory test database shares one cache
    # between connections, whose table locks ignore the busy timeout the file mode relies on.
    import tempfile

    DATABASES["default"]["TEST"] = {"NAME": str(Path(tempfile.gettempdir()) / f"saas-tests-{os.getpid()}.sqlite3")}  # noqa: F405
