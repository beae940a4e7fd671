"""Bad configuration stops the server at start-up with one line naming the variable, never a stack trace."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

BACKEND_DIR = Path(__file__).resolve().parents[2]
VALID = {"DJANGO_ENV_FILE": "", "DJANGO_DEBUG": "1", "DJANGO_SECRET_KEY": "startup-tests", "DATABASE_URL": ""}


def run(command: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """`command` in backend/ with only the VALID variables, `env` on top, and none of the developer's."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("CLERK_", "NEXT_PUBLIC_", "DJANGO_", "DATABASE"))}
    return subprocess.run(
        command, cwd=BACKEND_DIR, env={**base, **VALID, **env}, capture_output=True, text=True, timeout=60, check=False
    )


def start_uvicorn(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return run([sys.executable, "-m", "uvicorn", "config.asgi:application", "--port", "0"], env)


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


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return run([sys.executable, "manage.py", *args], env)


@pytest.mark.parametrize(
    ("command", "env", "variable"),
    [
        (["clerk_sync", "--dry-run"], {"CLERK_API_URL": "api.clerk.com"}, "CLERK_API_URL"),
        (
            ["clerk_webhook", "user.created"],
            {"CLERK_WEBHOOK_SIGNING_SECRET": "not-a-whsec"},
            "CLERK_WEBHOOK_SIGNING_SECRET",
        ),
    ],
)
def test_management_commands_read_the_same_settings_and_stop_on_the_same_line(
    command: list[str], env: dict[str, str], variable: str
) -> None:
    result = manage(*command, env=env)
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert f"Configuration error: {variable}" in output
    assert "Traceback" not in output


def test_with_debug_off_authorized_parties_are_required_to_serve() -> None:
    """Clerk warns that an unchecked azp lets a token minted for another site in."""
    from testing.tokens import make_publishable_key

    key = make_publishable_key("clerk.example.test")
    refused = start_uvicorn({"DJANGO_DEBUG": "0", "NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY": key})
    assert "Configuration error: CLERK_AUTHORIZED_PARTIES" in refused.stdout + refused.stderr
    assert "Traceback" not in refused.stdout + refused.stderr
