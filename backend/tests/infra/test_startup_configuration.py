"""Bad configuration stops the server at start-up with one line naming the variable, never a stack trace."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

BACKEND_DIR = Path(__file__).resolve().parents[2]
VALID = {"DJANGO_ENV_FILE": "", "DJANGO_DEBUG": "1", "DJANGO_SECRET_KEY": "startup-tests", "DATABASE_URL": ""}


def start_uvicorn(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("CLERK_", "NEXT_PUBLIC_", "DJANGO_", "DATABASE"))}
    return subprocess.run(
        [sys.executable, "-m", "uvicorn", "config.asgi:application", "--port", "0"],
        cwd=BACKEND_DIR,
        env={**base, **VALID, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        # Debug or not: a constant fallback key would sign sessions of everyone who forgot it.
        ({"DJANGO_SECRET_KEY": ""}, "DJANGO_SECRET_KEY"),
        ({"DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": ""}, "DJANGO_SECRET_KEY"),
        ({"LOG_FORMAT": "xml"}, "LOG_FORMAT"),
        ({"DATABASE_URL": "mongodb://localhost/app"}, "DATABASE_URL"),
        ({"NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY": "pk_live_@@@"}, "NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY"),
        ({"CLERK_JWT_KEY": "-----BEGIN PUBLIC KEY-----\\nnope\\n-----END PUBLIC KEY-----"}, "CLERK_JWT_KEY"),
        ({"CLERK_AUTHORIZED_PARTIES": "localhost:3000"}, "CLERK_AUTHORIZED_PARTIES"),
        ({"CLERK_WEBHOOK_SIGNING_SECRET": "secret"}, "CLERK_WEBHOOK_SIGNING_SECRET"),
    ],
)
def test_a_bad_value_is_one_clear_line(env: dict[str, str], variable: str) -> None:
    result = start_uvicorn(env)
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert f"Configuration error: {variable}" in output
    assert "Traceback" not in output
