"""The project's own files that the deployment files must agree with, read the way their tools read them."""

import re
import sys
from pathlib import Path
from typing import Any

import yaml

REPO_ROOT = Path(__file__).resolve().parents[3]
ENV_EXAMPLE = REPO_ROOT / ".env.example"
PRODUCTION_COMPOSE = REPO_ROOT / "docker-compose.prod.yml"
NGINX_TEMPLATE = REPO_ROOT / "nginx" / "templates" / "default.conf.template"
MAKEFILE = REPO_ROOT / "Makefile"
# Tools the dev dependencies install next to the interpreter running the tests.
VENV_BIN = Path(sys.prefix) / "bin"


def documented_variables() -> set[str]:
    """Every variable .env.example names, set or commented out (`# NAME=…`)."""
    return set(re.findall(r"^#?\s?([A-Z][A-Z0-9_]*)=", ENV_EXAMPLE.read_text(), re.MULTILINE))


def production_compose() -> dict[str, Any]:
    return yaml.safe_load(PRODUCTION_COMPOSE.read_text())


def production_compose_environment(service: str) -> set[str]:
    """The variables docker-compose.prod.yml gives `service` (YAML merge keys resolved)."""
    return set(production_compose()["services"][service].get("environment", {}))


def nginx_routes() -> dict[str, str]:
    """`location` path → the upstream it proxies to, from the nginx template."""
    template = NGINX_TEMPLATE.read_text()
    return dict(re.findall(r"location\s+(\S+)\s*\{[^}]*?proxy_pass\s+http://(\w+);", template))


def nginx_upstream_addresses() -> dict[str, str]:
    """Upstream name → the variable holding its host:port, e.g. {"backend": "BACKEND_UPSTREAM"}."""
    return dict(re.findall(r"upstream\s+(\w+)\s*\{\s*server\s+\$\{(\w+)\}", NGINX_TEMPLATE.read_text()))


def dockerfile_stage(dockerfile: Path, stage: str) -> list[str]:
    """The instructions of one stage (continuation lines joined, comments dropped)."""
    joined = re.sub(r"\\\n\s*", " ", dockerfile.read_text())
    lines = [line.strip() for line in joined.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    instructions: list[str] = []
    current: str | None = None
    for line in lines:
        match = re.match(r"FROM\s+\S+(?:\s+AS\s+(\S+))?", line, re.IGNORECASE)
        if match:
            current = match.group(1)
            continue
        if current == stage:
            instructions.append(line)
    if not instructions:
        raise AssertionError(f"{dockerfile} has no stage {stage!r}")
    return instructions


def dockerfile_base_image(dockerfile: Path, stage: str) -> str:
    """The image the stage is built `FROM`."""
    match = re.search(rf"^FROM\s+(\S+)\s+AS\s+{re.escape(stage)}\s*$", dockerfile.read_text(), re.MULTILINE)
    if match is None:
        raise AssertionError(f"{dockerfile} has no stage {stage!r}")
    return match.group(1)


def makefile_variable(name: str) -> str:
    match = re.search(rf"^{name}\s*:?=\s*(\S+)", MAKEFILE.read_text(), re.MULTILINE)
    if match is None:
        raise AssertionError(f"the Makefile sets no {name}")
    return match.group(1)
