"""The production environment passes Django's deployment checklist; API docs stay off unless asked for."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

from django.test import override_settings
from starlette.testclient import TestClient

BACKEND_DIR = Path(__file__).resolve().parents[2]

PRODUCTION = {
    "DJANGO_ENV_FILE": "",
    "DJANGO_DEBUG": "0",
    "DJANGO_HTTPS": "1",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_ALLOWED_HOSTS": "app.example.com",
    "DJANGO_CSRF_TRUSTED_ORIGINS": "https://app.example.com",
    "DATABASE_URL": "",
}


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("CLERK_", "NEXT_PUBLIC_", "DJANGO_", "DATABASE"))}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BACKEND_DIR,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_check_deploy_prints_no_warning_in_production() -> None:
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNINGS" not in result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_warns_when_https_is_off() -> None:
    result = manage("check", "--deploy", env={**PRODUCTION, "DJANGO_HTTPS": "0"})
    assert "security.W004" in result.stderr  # no HSTS
    assert "security.W008" in result.stderr  # no redirect to https


def test_the_api_docs_are_off_unless_asked_for() -> None:
    from api.app import create_app
    from clerk.config import ClerkSettings

    for enabled, expected in ((False, 404), (True, 200)):
        with override_settings(API_DOCS=enabled), TestClient(create_app(ClerkSettings.from_env({}))) as client:
            assert client.get("/api/v1/docs").status_code == expected
            assert client.get("/api/v1/openapi.json").status_code == expected


def test_postgresql_statements_are_prepared_unless_a_pooler_cannot_keep_them() -> None:
    import subprocess
    import sys

    def options(**env: str) -> str:
        code = "from django.conf import settings; print(sorted(settings.DATABASES['default']['OPTIONS'].items()))"
        command = [sys.executable, "-c", f"import django; django.setup(); {code}"]
        base = {"DJANGO_SETTINGS_MODULE": "config.settings", "DJANGO_SECRET_KEY": "x", "DJANGO_ENV_FILE": ""}
        result = subprocess.run(
            command,
            env={**base, "DATABASE_URL": "postgres://u@db/app", **env},
            capture_output=True,
            text=True,
            check=True,
        )
        return result.stdout

    assert "('prepare_threshold', 5)" in options()
    assert "('server_side_binding', True)" in options()
    assert "prepare_threshold" not in options(DATABASE_PREPARED_STATEMENTS="0")
