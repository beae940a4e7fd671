"""docker-compose.yml, checked offline (no Docker engine here) with Compose v2's own parser and the spec schema."""

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

REPO_ROOT = Path(__file__).resolve().parents[3]
COMPOSE_FILE = REPO_ROOT / "docker-compose.yml"
COMPOSE_BIN = (
    Path(sys.prefix)
    / "lib"
    / f"python{sys.version_info.major}.{sys.version_info.minor}"
    / "site-packages"
    / "compose"
    / "docker-compose"
)
REQUIRED = {"NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY": "pk_test_Y2xlcmsuZXhhbXBsZS50ZXN0JA", "CLERK_SECRET_KEY": "sk_test_x"}


def compose(*args: str, env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env_file = tmp_path / "compose.env"
    env_file.write_text("".join(f"{k}={v}\n" for k, v in env.items()))
    clean = {k: v for k, v in os.environ.items() if k not in REQUIRED and not k.startswith(("CLERK_", "NEXT_PUBLIC_"))}
    return subprocess.run(
        [str(COMPOSE_BIN), "-f", str(COMPOSE_FILE), "--env-file", str(env_file), *args],
        capture_output=True,
        text=True,
        env=clean,
        cwd=tmp_path,
        check=False,
    )


@pytest.fixture
def model(tmp_path: Path) -> dict[str, Any]:
    result = compose("--profile", "tunnel", "config", "--format", "json", env=REQUIRED, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_compose_file_is_valid_for_compose_v2(tmp_path: Path) -> None:
    result = compose("config", "-q", env=REQUIRED, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr


def test_the_compose_file_matches_the_compose_spec_schema() -> None:
    result = subprocess.run(
        [
            str(Path(sys.prefix) / "bin" / "check-jsonschema"),
            "--builtin-schema",
            "vendor.compose-spec",
            str(COMPOSE_FILE),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("missing", sorted(REQUIRED))
def test_a_missing_required_variable_fails_loudly_naming_it(tmp_path: Path, missing: str) -> None:
    env = {k: v for k, v in REQUIRED.items() if k != missing}
    result = compose("config", "-q", env=env, tmp_path=tmp_path)
    assert result.returncode != 0
    assert missing in result.stderr
    assert "in .env" in result.stderr


def test_the_database_is_healthchecked_and_persisted(model: dict[str, Any]) -> None:
    db = model["services"]["db"]
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])
    assert any(volume["type"] == "volume" and volume["source"] == "pgdata" for volume in db["volumes"])
    assert "pgdata" in model["volumes"]


def test_the_backend_migrates_then_serves_with_reload_once_the_database_is_healthy(model: dict[str, Any]) -> None:
    backend = model["services"]["backend"]
    command = " ".join(backend["command"])
    assert command.index("migrate") < command.index("uvicorn config.asgi:application")
    assert "--reload" in command
    assert backend["depends_on"]["db"]["condition"] == "service_healthy"
    assert backend["environment"]["DATABASE_URL"].startswith("postgres://")


def test_the_frontend_runs_next_dev_and_reaches_the_backend_internally(model: dict[str, Any]) -> None:
    frontend = model["services"]["frontend"]
    assert frontend["environment"]["BACKEND_INTERNAL_URL"] == "http://backend:8000"
    dockerfile = (REPO_ROOT / "frontend" / "Dockerfile").read_text()
    assert "npm ci" in dockerfile
    assert "dev" in dockerfile


def test_nginx_publishes_the_app_from_the_project_template(model: dict[str, Any]) -> None:
    nginx = model["services"]["nginx"]
    assert any(port["target"] == 80 for port in nginx["ports"])
    mounts = {volume["target"]: volume["source"] for volume in nginx["volumes"]}
    assert Path(mounts["/etc/nginx/templates"]) == REPO_ROOT / "nginx" / "templates"
    assert nginx["environment"]["BACKEND_UPSTREAM"] == "backend:8000"
    assert nginx["environment"]["FRONTEND_UPSTREAM"] == "frontend:3000"


def test_ngrok_is_only_in_the_tunnel_profile_and_exposes_nginx(model: dict[str, Any], tmp_path: Path) -> None:
    ngrok = model["services"]["ngrok"]
    assert ngrok["profiles"] == ["tunnel"]
    assert "nginx:80" in ngrok["command"]
    default = compose("config", "--services", env=REQUIRED, tmp_path=tmp_path)
    assert "ngrok" not in default.stdout.split()
