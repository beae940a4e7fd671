"""Both compose files, checked offline with Compose v2's own parser and the spec schema (tests/compose runs them)."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

REPO_ROOT = Path(__file__).resolve().parents[3]
COMPOSE_FILE = REPO_ROOT / "docker-compose.yml"
PRODUCTION_FILE = REPO_ROOT / "docker-compose.prod.yml"
COMPOSE_BIN = (
    Path(sys.prefix)
    / "lib"
    / f"python{sys.version_info.major}.{sys.version_info.minor}"
    / "site-packages"
    / "compose"
    / "docker-compose"
)
REQUIRED = {"NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY": "pk_test_Y2xlcmsuZXhhbXBsZS50ZXN0JA", "CLERK_SECRET_KEY": "sk_test_x"}
PRODUCTION_REQUIRED = {
    **REQUIRED,
    "POSTGRES_PASSWORD": "pg-secret",
    "DJANGO_SECRET_KEY": "a-long-random-key",
    "DJANGO_ALLOWED_HOSTS": "app.example.com",
    "CLERK_AUTHORIZED_PARTIES": "https://app.example.com",
    "CLERK_WEBHOOK_SIGNING_SECRET": "whsec_c2VjcmV0",
}


def compose(
    *args: str,
    env: dict[str, str],
    tmp_path: Path,
    file: Path = COMPOSE_FILE,
    exported: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """compose with `env` as its .env file and `exported` as the calling shell's only variables of ours."""
    env_file = tmp_path / "compose.env"
    env_file.write_text("".join(f"{k}={v}\n" for k, v in env.items()))
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in PRODUCTION_REQUIRED and not k.startswith(("CLERK_", "NEXT_PUBLIC_", "DJANGO_", "NGINX_", "APP_"))
    }
    return subprocess.run(
        [str(COMPOSE_BIN), "-f", str(file), "--env-file", str(env_file), *args],
        capture_output=True,
        text=True,
        env={**clean, **(exported or {})},
        cwd=tmp_path,
        check=False,
    )


@pytest.fixture
def model(tmp_path: Path) -> dict[str, Any]:
    result = compose("--profile", "tunnel", "config", "--format", "json", env=REQUIRED, tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture
def production(tmp_path: Path) -> dict[str, Any]:
    result = compose("config", "--format", "json", env=PRODUCTION_REQUIRED, tmp_path=tmp_path, file=PRODUCTION_FILE)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize(("file", "env"), [(COMPOSE_FILE, REQUIRED), (PRODUCTION_FILE, PRODUCTION_REQUIRED)])
def test_the_compose_files_are_valid_for_compose_v2(tmp_path: Path, file: Path, env: dict[str, str]) -> None:
    result = compose("config", "-q", env=env, tmp_path=tmp_path, file=file)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("file", [COMPOSE_FILE, PRODUCTION_FILE])
def test_the_compose_files_match_the_compose_spec_schema(file: Path) -> None:
    result = subprocess.run(
        [
            str(Path(sys.prefix) / "bin" / "check-jsonschema"),
            "--builtin-schema",
            "vendor.compose-spec",
            str(file),
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


def test_the_backend_migrates_then_execs_uvicorn_with_reload_once_the_database_is_healthy(
    model: dict[str, Any],
) -> None:
    backend = model["services"]["backend"]
    command = " ".join(backend["command"])
    assert command.index("migrate") < command.index("exec uvicorn config.asgi:application")
    assert "--reload" in command
    assert backend["build"]["target"] == "development"
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
    assert {port["host_ip"] for port in nginx["ports"]} == {"127.0.0.1"}
    mounts = {volume["target"]: volume["source"] for volume in nginx["volumes"]}
    assert Path(mounts["/etc/nginx/templates"]) == REPO_ROOT / "nginx" / "templates"
    assert nginx["environment"]["BACKEND_UPSTREAM"] == "backend:8000"
    assert nginx["environment"]["FRONTEND_UPSTREAM"] == "frontend:3000"


def test_ngrok_is_only_in_the_tunnel_profile_and_exposes_nginx(model: dict[str, Any], tmp_path: Path) -> None:
    ngrok = model["services"]["ngrok"]
    assert ngrok["profiles"] == ["tunnel"]
    assert {port["host_ip"] for port in ngrok["ports"]} == {"127.0.0.1"}
    assert "nginx:80" in ngrok["command"]
    default = compose("config", "--services", env=REQUIRED, tmp_path=tmp_path)
    assert "ngrok" not in default.stdout.split()


def test_debug_is_off_unless_env_turns_it_on_and_the_tunnel_forces_it_off(tmp_path: Path) -> None:
    def backend_debug(env: dict[str, str], exported: dict[str, str] | None = None) -> str:
        result = compose("config", "--format", "json", env=env, tmp_path=tmp_path, exported=exported)
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)["services"]["backend"]["environment"]["DJANGO_DEBUG"]

    assert backend_debug(REQUIRED) == "0"
    assert backend_debug({**REQUIRED, "DJANGO_DEBUG": "1"}) == "1"
    # What `make tunnel` does: the shell's DJANGO_DEBUG=0 wins over the .env file's 1.
    assert backend_debug({**REQUIRED, "DJANGO_DEBUG": "1"}, exported={"DJANGO_DEBUG": "0"}) == "0"
    assert "DJANGO_DEBUG=0 $(COMPOSE) --profile tunnel up" in (REPO_ROOT / "Makefile").read_text()


@pytest.mark.parametrize("missing", sorted(PRODUCTION_REQUIRED))
def test_production_refuses_to_start_without_a_required_variable(tmp_path: Path, missing: str) -> None:
    env = {k: v for k, v in PRODUCTION_REQUIRED.items() if k != missing}
    result = compose("config", "-q", env=env, tmp_path=tmp_path, file=PRODUCTION_FILE)
    assert result.returncode != 0
    assert missing in result.stderr


def test_production_has_a_healthcheck_and_a_restart_policy_on_every_server(production: dict[str, Any]) -> None:
    servers = {name: service for name, service in production["services"].items() if name != "migrate"}
    assert set(servers) == {"db", "backend", "frontend", "nginx"}
    for name, service in servers.items():
        assert service["healthcheck"]["test"], name
        assert service["restart"] == "unless-stopped", name


def test_production_migrates_once_in_a_job_the_backend_waits_for(production: dict[str, Any]) -> None:
    migrate, backend = production["services"]["migrate"], production["services"]["backend"]
    assert migrate["command"] == ["python", "manage.py", "migrate", "--noinput"]
    assert migrate["restart"] == "no"
    assert backend["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert backend.get("command") is None  # the image's CMD: uvicorn, never migrate
    assert migrate["image"] == backend["image"]


def test_production_runs_the_production_images_with_production_settings(production: dict[str, Any]) -> None:
    services = production["services"]
    assert services["backend"]["build"]["target"] == "production"
    assert services["frontend"]["build"]["target"] == "production"
    assert (
        services["frontend"]["build"]["args"]["NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY"]
        == REQUIRED["NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY"]
    )
    environment = services["backend"]["environment"]
    assert environment["DJANGO_DEBUG"] == "0"
    assert environment["DJANGO_HTTPS"] == "1"
    assert environment["LOG_FORMAT"] == "json"
    assert environment["API_DOCS"] == "0"
    assert "ports" not in services["backend"]  # reachable through nginx only


def test_production_nginx_believes_no_forwarded_header_unless_told_which_proxy_to_trust(
    production: dict[str, Any], tmp_path: Path
) -> None:
    assert production["services"]["nginx"]["environment"]["NGINX_TRUSTED_PROXY"] == "0.0.0.0/32"
    result = compose(
        "config", "--format", "json", env={**PRODUCTION_REQUIRED, "NGINX_TRUSTED_PROXY": "10.0.0.0/8"},
        tmp_path=tmp_path, file=PRODUCTION_FILE,
    )  # fmt: skip
    assert json.loads(result.stdout)["services"]["nginx"]["environment"]["NGINX_TRUSTED_PROXY"] == "10.0.0.0/8"


def test_both_compose_files_set_every_variable_of_the_nginx_template(
    model: dict[str, Any], production: dict[str, Any]
) -> None:
    template = (REPO_ROOT / "nginx" / "templates" / "default.conf.template").read_text()
    variables = set(re.findall(r"\$\{([A-Z_]+)\}", template))
    assert set(model["services"]["nginx"]["environment"]) == variables
    assert set(production["services"]["nginx"]["environment"]) == variables
