"""deploy/kubernetes: rendered by kubectl's kustomize, valid for the stated Kubernetes versions, and in
agreement with what the app actually serves (the nginx template's routes, the images' ports and users,
the API's health routes, the variables .env.example and the production compose file name).

No cluster runs here: these tests prove the manifests, not a rollout.
"""

import ipaddress
import os
import re
import secrets
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import kubernetes_validate
import pytest
import yaml
from starlette.testclient import TestClient

from tests.deploy.kubernetes import (
    ADMIN_INTERNAL_COMPONENT,
    BASE,
    KUSTOMIZE_DIR,
    PRODUCTION_OVERLAY,
    SECRET_EXAMPLE,
    config_map_values,
    container_environment,
    find,
    pod_spec,
    pod_template,
    render,
    workloads,
)
from tests.deploy.network_policies import Address, Pod, admits, connects, policies_selecting, sends
from tests.deploy.sources import (
    REPO_ROOT,
    dockerfile_stage,
    documented_variables,
    nginx_routes,
    nginx_upstream_addresses,
    production_compose,
    production_compose_environment,
)

# The oldest Kubernetes the manifests are written for and the newest whose schema is bundled
# (the README says the same).
KUBERNETES_VERSIONS = ("1.34.0", "1.37.0")
BACKEND_DIR = REPO_ROOT / "backend"
HARDENING_DOC = REPO_ROOT / "docs" / "kubernetes-hardening.md"
# A pod IP and port: what the kubelet sends as Host with an httpGet probe.
KUBELET_HOST = "10.42.0.7:8000"


@pytest.fixture(scope="module")
def resources() -> list[dict[str, Any]]:
    return render(PRODUCTION_OVERLAY)


def _container(resources: list[dict[str, Any]], kind: str, name: str) -> dict[str, Any]:
    (container,) = pod_spec(find(resources, kind, name))["containers"]
    return container


def _image_name(container: dict[str, Any]) -> str:
    """backend or frontend: the last path element of the image, without its tag."""
    return container["image"].rsplit(":", 1)[0].rsplit("/", 1)[-1]


def _clean_environment(env: dict[str, str]) -> dict[str, str]:
    """`env` and the process's own variables, less any of the app's (a developer's .env included)."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("CLERK_", "NEXT_PUBLIC_", "DJANGO_", "DATABASE"))}
    return {**base, "DJANGO_ENV_FILE": "", **env}


# --- the manifests themselves --------------------------------------------------------------


@pytest.mark.parametrize("version", KUBERNETES_VERSIONS)
def test_every_resource_is_valid_for_the_stated_kubernetes_versions(
    resources: list[dict[str, Any]], version: str
) -> None:
    secret = yaml.safe_load(SECRET_EXAMPLE.read_text())
    kinds = set()
    for resource in [*resources, secret]:
        # strict: a misspelt or misplaced field is an error, not silently ignored by the cluster
        kubernetes_validate.validate(resource, version, strict=True)
        kinds.add(resource["kind"])
    assert {"Deployment", "Service", "HorizontalPodAutoscaler", "PodDisruptionBudget", "Job", "CronJob"} <= kinds
    assert {"Ingress", "ConfigMap", "Secret", "Namespace", "NetworkPolicy"} <= kinds


def test_the_secret_example_is_not_applied_with_the_manifests(resources: list[dict[str, Any]]) -> None:
    assert not [r for r in resources if r["kind"] == "Secret"]


def test_the_secret_example_holds_placeholders_only() -> None:
    values = yaml.safe_load(SECRET_EXAMPLE.read_text())["stringData"]
    assert values
    for key, value in values.items():
        assert re.fullmatch(r"<[^<>]+>", value), f"{key} is not a <placeholder>: {value!r}"


# --- routes, ports, probes -----------------------------------------------------------------


def test_the_ingress_routes_are_the_nginx_templates(resources: list[dict[str, Any]]) -> None:
    (rule,) = find(resources, "Ingress")["spec"]["rules"]
    ingress_routes = {path["path"]: path["backend"]["service"]["name"] for path in rule["http"]["paths"]}
    assert {path["pathType"] for path in rule["http"]["paths"]} == {"Prefix"}
    assert ingress_routes == nginx_routes()
    assert set(ingress_routes.values()) == {"backend", "frontend"}


def test_each_service_is_where_nginx_finds_that_upstream_in_production(resources: list[dict[str, Any]]) -> None:
    nginx_environment = production_compose()["services"]["nginx"]["environment"]
    for upstream, variable in nginx_upstream_addresses().items():
        host, port = nginx_environment[variable].split(":")
        service = find(resources, "Service", host)
        assert service["spec"]["type"] == "ClusterIP"
        assert [p["port"] for p in service["spec"]["ports"]] == [int(port)], upstream


@pytest.mark.parametrize("name", ["backend", "frontend"])
def test_each_service_reaches_the_port_its_image_listens_on(resources: list[dict[str, Any]], name: str) -> None:
    production_stage = dockerfile_stage(REPO_ROOT / name / "Dockerfile", "production")
    exposed = [line.split()[1] for line in production_stage if line.startswith("EXPOSE")]
    container = _container(resources, "Deployment", name)
    (port,) = container["ports"]
    assert [str(port["containerPort"])] == exposed
    (service_port,) = find(resources, "Service", name)["spec"]["ports"]
    assert service_port["targetPort"] == port["name"]
    assert find(resources, "Service", name)["spec"]["selector"].items() <= pod_labels(resources, name).items()


def pod_labels(resources: list[dict[str, Any]], deployment: str) -> dict[str, str]:
    return find(resources, "Deployment", deployment)["spec"]["template"]["metadata"]["labels"]


def test_the_backends_probes_are_the_apis_liveness_and_readiness_routes(resources: list[dict[str, Any]]) -> None:
    from api.app import API_PREFIX
    from api.routes import health

    endpoints = {API_PREFIX + route.path: route.endpoint for route in health.router.routes}
    container = _container(resources, "Deployment", "backend")
    for probe in ("startupProbe", "livenessProbe"):
        assert endpoints[container[probe]["httpGet"]["path"]] is health.health, probe
    assert endpoints[container["readinessProbe"]["httpGet"]["path"]] is health.ready
    # The production compose file gates nginx on the same readiness route.
    compose_check = " ".join(production_compose()["services"]["backend"]["healthcheck"]["test"])
    assert container["readinessProbe"]["httpGet"]["path"] in compose_check


def test_the_frontends_probes_fetch_what_its_compose_healthcheck_fetches(resources: list[dict[str, Any]]) -> None:
    compose_check = " ".join(production_compose()["services"]["frontend"]["healthcheck"]["test"])
    (url,) = re.findall(r"https?://[^'\"]+", compose_check)
    container = _container(resources, "Deployment", "frontend")
    for probe in ("startupProbe", "livenessProbe", "readinessProbe"):
        assert container[probe]["httpGet"]["path"] == urlsplit(url).path
        assert container[probe]["httpGet"]["port"] == container["ports"][0]["name"]


def test_the_backends_probes_answer_200_with_the_kubelets_host_header(
    resources: list[dict[str, Any]], client: TestClient
) -> None:
    """The kubelet sends the pod's IP as Host: the probed routes must not refuse it as an unknown host."""
    container = _container(resources, "Deployment", "backend")
    paths = {container[probe]["httpGet"]["path"] for probe in ("startupProbe", "livenessProbe", "readinessProbe")}
    for path in sorted(paths):
        response = client.get(path, headers={"Host": KUBELET_HOST, "User-Agent": "kube-probe/1.34"})
        assert response.status_code == 200, (path, response.text)


# --- security, resources, scaling ----------------------------------------------------------


def test_the_namespace_enforces_the_restricted_pod_security_standard(resources: list[dict[str, Any]]) -> None:
    namespace = find(resources, "Namespace")
    assert namespace["metadata"]["labels"]["pod-security.kubernetes.io/enforce"] == "restricted"
    assert {r["metadata"].get("namespace") for r in resources if r["kind"] != "Namespace"} == {
        namespace["metadata"]["name"]
    }


def test_every_pod_runs_as_a_non_root_user_on_a_read_only_root(resources: list[dict[str, Any]]) -> None:
    checked = 0
    for workload in workloads(resources):
        spec = pod_spec(workload)
        name = workload["metadata"]["name"]
        context = spec["securityContext"]
        assert context["runAsNonRoot"] is True, name
        assert context["runAsUser"] > 0, name
        assert context["seccompProfile"]["type"] == "RuntimeDefault", name
        assert spec["automountServiceAccountToken"] is False, name
        volumes = {volume["name"]: volume for volume in spec.get("volumes", [])}
        for container in spec["containers"]:
            security = container["securityContext"]
            assert security["readOnlyRootFilesystem"] is True, name
            assert security["allowPrivilegeEscalation"] is False, name
            assert security["capabilities"]["drop"] == ["ALL"], name
            mounts = container.get("volumeMounts", [])
            # What the servers write goes to scratch space of the pod's own.
            assert all("emptyDir" in volumes[mount["name"]] for mount in mounts), name
            assert "/tmp" in {mount["mountPath"] for mount in mounts}, name
            checked += 1
    assert checked == 4  # backend, frontend, migrate, clerk-purge-events


def test_pods_run_as_the_user_their_image_creates(resources: list[dict[str, Any]]) -> None:
    backend_image = "\n".join(dockerfile_stage(REPO_ROOT / "backend" / "Dockerfile", "production"))
    (backend_uid,) = re.findall(r"useradd [^\n]*--uid (\d+)[^\n]* app\b", backend_image)
    assert "USER app" in backend_image
    # The frontend runs as the node images' own `node` user, uid 1000.
    assert "USER node" in dockerfile_stage(REPO_ROOT / "frontend" / "Dockerfile", "production")
    expected = {"backend": int(backend_uid), "frontend": 1000}
    for workload in workloads(resources):
        spec = pod_spec(workload)
        (container,) = spec["containers"]
        assert spec["securityContext"]["runAsUser"] == expected[_image_name(container)], workload["metadata"]["name"]


def test_every_container_has_cpu_and_memory_requests_and_limits(resources: list[dict[str, Any]]) -> None:
    for workload in workloads(resources):
        for container in pod_spec(workload)["containers"]:
            for bound in ("requests", "limits"):
                assert set(container["resources"][bound]) == {"cpu", "memory"}, (workload["metadata"]["name"], bound)


def test_the_backend_scales_on_cpu_from_two_replicas_and_loses_one_pod_at_a_time(
    resources: list[dict[str, Any]],
) -> None:
    deployment = find(resources, "Deployment", "backend")
    autoscaler = find(resources, "HorizontalPodAutoscaler", "backend")
    assert autoscaler["spec"]["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment", "name": "backend"}
    assert autoscaler["spec"]["minReplicas"] >= 2
    (metric,) = autoscaler["spec"]["metrics"]
    assert metric["resource"]["name"] == "cpu"
    # The autoscaler owns the count: a `replicas` here would be reset on every `kubectl apply`.
    assert "replicas" not in deployment["spec"]
    budget = find(resources, "PodDisruptionBudget", "backend")
    assert budget["spec"]["maxUnavailable"] == 1
    assert budget["spec"]["selector"]["matchLabels"].items() <= pod_labels(resources, "backend").items()


def test_the_frontend_runs_two_replicas_and_loses_one_pod_at_a_time(resources: list[dict[str, Any]]) -> None:
    assert find(resources, "Deployment", "frontend")["spec"]["replicas"] >= 2
    budget = find(resources, "PodDisruptionBudget", "frontend")
    assert budget["spec"]["maxUnavailable"] == 1
    assert budget["spec"]["selector"]["matchLabels"].items() <= pod_labels(resources, "frontend").items()


@pytest.mark.parametrize("name", ["backend", "frontend"])
def test_a_rollout_keeps_the_old_pods_until_new_ones_are_ready(resources: list[dict[str, Any]], name: str) -> None:
    deployment = find(resources, "Deployment", name)
    assert deployment["spec"]["strategy"]["rollingUpdate"]["maxUnavailable"] == 0
    (container,) = pod_spec(deployment)["containers"]
    assert container["readinessProbe"]["httpGet"]["path"]


def test_the_backend_lets_in_flight_requests_finish_before_it_is_killed(resources: list[dict[str, Any]]) -> None:
    backend_image = " ".join(dockerfile_stage(REPO_ROOT / "backend" / "Dockerfile", "production"))
    (graceful,) = re.findall(r'"--timeout-graceful-shutdown", "(\d+)"', backend_image)
    spec = pod_spec(find(resources, "Deployment", "backend"))
    (container,) = spec["containers"]
    pause = container["lifecycle"]["preStop"]["sleep"]["seconds"]
    assert spec["terminationGracePeriodSeconds"] > pause + int(graceful)


# --- who may connect to whom (network-policies.yaml) ---------------------------------------

# The production overlay's Ingress class is `nginx`: ingress-nginx, in its own namespace.
INGRESS_CONTROLLER = Pod("ingress controller", "ingress-nginx", {"app.kubernetes.io/name": "ingress-nginx"})
CLUSTER_DNS = Pod("cluster DNS", "kube-system", {"k8s-app": "kube-dns"})
# Any address on the internet (TEST-NET-3 stands for one): where Clerk's API and JWKS answer.
PUBLIC_ADDRESS = Address("203.0.113.10")
CLOUD_METADATA = Address("169.254.169.254")
PRIVATE_ADDRESS = Address("10.200.0.7")


@pytest.fixture(scope="module")
def policies(resources: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [r for r in resources if r["kind"] == "NetworkPolicy"]


@pytest.fixture(scope="module")
def app_pods(resources: list[dict[str, Any]]) -> dict[str, Pod]:
    """A pod of each Deployment, Job and CronJob, as the cluster would run it."""
    namespace = find(resources, "Namespace")["metadata"]
    pods = {}
    for workload in workloads(resources):
        template = pod_template(workload)
        containers = template["spec"]["containers"]
        ports = {port["name"]: port["containerPort"] for c in containers for port in c.get("ports", [])}
        name = workload["metadata"]["name"]
        pods[name] = Pod(name, namespace["name"], template["metadata"]["labels"], namespace.get("labels", {}), ports)
    assert set(pods) == {"backend", "frontend", "migrate", "clerk-purge-events"}
    return pods


@pytest.fixture(scope="module")
def strangers(app_pods: dict[str, Pod]) -> list[Pod]:
    """Pods that are none of the app's: one started by hand in its namespace, one elsewhere in the cluster."""
    namespace = app_pods["backend"].namespace
    return [
        Pod("kubectl run in the app's namespace", namespace, {"run": "debug"}),
        Pod("another team's pod", "default", {"app.kubernetes.io/name": "backend"}),
    ]


def _database_address() -> Address:
    """An address inside the range the production overlay names for PostgreSQL."""
    patch = yaml.safe_load((PRODUCTION_OVERLAY / "database-address.yaml").read_text())
    (rule,) = patch["spec"]["egress"]
    (peer,) = rule["to"]
    return Address(str(next(ipaddress.ip_network(peer["ipBlock"]["cidr"]).hosts())))


def test_every_pod_of_the_namespace_is_shut_both_ways_unless_a_policy_opens_a_connection(
    policies: list[dict[str, Any]], app_pods: dict[str, Pod], strangers: list[Pod]
) -> None:
    default_deny = find(policies, "NetworkPolicy", "default-deny")["spec"]
    assert default_deny == {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}
    for pod in [*app_pods.values(), strangers[0]]:
        for direction in ("Ingress", "Egress"):
            assert policies_selecting(policies, pod, direction), (pod.name, direction)


def test_the_backend_admits_only_the_ingress_controller_and_the_frontend(
    policies: list[dict[str, Any]], resources: list[dict[str, Any]], app_pods: dict[str, Pod], strangers: list[Pod]
) -> None:
    """Which is what lets the backend believe X-Forwarded-For/-Proto from whoever connects."""
    backend = app_pods["backend"]
    (port,) = backend.ports.values()
    sources = [INGRESS_CONTROLLER, CLUSTER_DNS, *app_pods.values(), *strangers]
    # The backend's own policies decide, whatever a sender's egress allows.
    admitted = {source.name for source in sources if admits(policies, backend, source, port)}
    assert admitted == {"ingress controller", "frontend"}
    assert connects(policies, INGRESS_CONTROLLER, backend, port)
    assert connects(policies, app_pods["frontend"], backend, port)
    assert not admits(policies, backend, INGRESS_CONTROLLER, port + 1)
    environment = container_environment(_container(resources, "Deployment", "backend"), resources).literal
    assert environment["FORWARDED_ALLOW_IPS"] == "*"


def test_the_frontend_admits_only_the_ingress_controller(
    policies: list[dict[str, Any]], app_pods: dict[str, Pod], strangers: list[Pod]
) -> None:
    frontend = app_pods["frontend"]
    (port,) = frontend.ports.values()
    sources = [INGRESS_CONTROLLER, CLUSTER_DNS, *app_pods.values(), *strangers]
    assert {source.name for source in sources if admits(policies, frontend, source, port)} == {"ingress controller"}
    assert connects(policies, INGRESS_CONTROLLER, frontend, port)


def test_no_pod_of_the_app_admits_anyone_else(policies: list[dict[str, Any]], app_pods: dict[str, Pod]) -> None:
    for name in ("migrate", "clerk-purge-events"):
        for source in [INGRESS_CONTROLLER, *app_pods.values()]:
            assert not admits(policies, app_pods[name], source, 8000), (source.name, name)


def test_one_policy_names_the_ingress_controllers_namespace(policies: list[dict[str, Any]]) -> None:
    """The one value to set for another controller: a single namespaceSelector admits it to both servers."""
    selectors = [
        entry["namespaceSelector"]
        for policy in policies
        for rule in policy["spec"].get("ingress", [])
        for entry in rule.get("from", [])
        if "namespaceSelector" in entry
    ]
    assert selectors == [{"matchLabels": {"kubernetes.io/metadata.name": INGRESS_CONTROLLER.namespace}}]
    assert f"kubernetes.io/metadata.name: {INGRESS_CONTROLLER.namespace}" in HARDENING_DOC.read_text()


def test_only_the_pods_of_the_backends_image_reach_postgresql(
    policies: list[dict[str, Any]], app_pods: dict[str, Pod]
) -> None:
    database = _database_address()
    reaching = {name for name, pod in app_pods.items() if connects(policies, pod, database, 5432)}
    assert reaching == {"backend", "migrate", "clerk-purge-events"}
    backend = app_pods["backend"]
    # The overlay narrowed PostgreSQL's port to the database's address, and the address to that port.
    assert not connects(policies, backend, PUBLIC_ADDRESS, 5432)
    assert not connects(policies, backend, PRIVATE_ADDRESS, 5432)
    assert not connects(policies, backend, database, 22)


def test_the_base_alone_lets_the_database_pods_reach_postgresqls_port_anywhere() -> None:
    """Before an overlay names the database's address: the port rule alone, for the same three pods."""
    (policy,) = [r for r in render(BASE) if r["kind"] == "NetworkPolicy" and r["metadata"]["name"] == "to-database"]
    assert policy["spec"]["egress"] == [{"ports": [{"protocol": "TCP", "port": 5432}]}]


def test_the_servers_reach_clerk_over_https_and_nothing_private(
    policies: list[dict[str, Any]], app_pods: dict[str, Pod]
) -> None:
    reaching = {name for name, pod in app_pods.items() if connects(policies, pod, PUBLIC_ADDRESS, 443)}
    assert reaching == {"backend", "frontend"}
    for name in ("backend", "frontend"):
        pod = app_pods[name]
        assert not connects(policies, pod, PUBLIC_ADDRESS, 80), name
        assert not connects(policies, pod, CLOUD_METADATA, 443), name
        assert not connects(policies, pod, CLOUD_METADATA, 80), name
        assert not connects(policies, pod, PRIVATE_ADDRESS, 443), name


def test_the_frontend_reaches_the_backend_and_no_other_pod(
    policies: list[dict[str, Any]], app_pods: dict[str, Pod], strangers: list[Pod]
) -> None:
    frontend = app_pods["frontend"]
    targets = [*app_pods.values(), *strangers, INGRESS_CONTROLLER]
    # The frontend's own egress decides, whatever the receivers' policies allow.
    reached = {pod.name for pod in targets if any(sends(policies, frontend, pod, port) for port in (3000, 8000))}
    assert reached == {"backend"}


def test_every_pod_resolves_names_with_the_clusters_dns_only(
    policies: list[dict[str, Any]], app_pods: dict[str, Pod]
) -> None:
    for pod in app_pods.values():
        for protocol in ("UDP", "TCP"):
            assert connects(policies, pod, CLUSTER_DNS, 53, protocol), (pod.name, protocol)
            assert not connects(policies, pod, PUBLIC_ADDRESS, 53, protocol), (pod.name, protocol)
            assert not sends(policies, pod, INGRESS_CONTROLLER, 53, protocol), (pod.name, protocol)


def test_the_base_renders_its_policies_valid_on_its_own() -> None:
    base = render(BASE)
    assert {r["metadata"]["name"] for r in base if r["kind"] == "NetworkPolicy"} >= {"default-deny", "to-database"}
    for resource in base:
        kubernetes_validate.validate(resource, KUBERNETES_VERSIONS[0], strict=True)


# --- the admin off the public routes (components/admin-internal) ----------------------------


def _render_with_the_admin_internal(tmp_path: Path) -> list[dict[str, Any]]:
    """The overlay after the edit its kustomization describes: the `components:` lines uncommented."""
    copy = tmp_path / "kubernetes"
    shutil.copytree(KUSTOMIZE_DIR, copy)
    overlay = copy / PRODUCTION_OVERLAY.relative_to(KUSTOMIZE_DIR)
    kustomization = overlay / "kustomization.yaml"
    text = kustomization.read_text()
    component = ADMIN_INTERNAL_COMPONENT.relative_to(KUSTOMIZE_DIR)
    commented = f"# components:\n#   - ../../{component}\n"
    assert commented in text
    kustomization.write_text(text.replace(commented, f"components:\n  - ../../{component}\n"))
    return render(overlay)


def _routes(ingress: dict[str, Any]) -> dict[str, str]:
    (rule,) = ingress["spec"]["rules"]
    return {path["path"]: path["backend"]["service"]["name"] for path in rule["http"]["paths"]}


def test_the_admin_internal_component_takes_the_admin_off_the_public_ingress(tmp_path: Path) -> None:
    resources = _render_with_the_admin_internal(tmp_path)
    public, admin = find(resources, "Ingress", "app"), find(resources, "Ingress", "admin")
    assert "/admin/" not in _routes(public)
    assert "/static/" not in _routes(public)
    assert _routes(admin) == {"/admin/": "backend", "/static/": "backend"}
    # Between them, every route nginx serves, each once.
    assert {**_routes(public), **_routes(admin)} == nginx_routes()
    assert set(_routes(public)).isdisjoint(_routes(admin))
    # Same host, certificate and controller: the allowlist applies to the admin's paths alone.
    for key in ("ingressClassName", "tls"):
        assert admin["spec"][key] == public["spec"][key]
    assert admin["spec"]["rules"][0]["host"] == public["spec"]["rules"][0]["host"]
    allowlist = admin["metadata"]["annotations"]["nginx.ingress.kubernetes.io/allowlist-source-range"]
    assert [ipaddress.ip_network(cidr.strip()) for cidr in allowlist.split(",")]
    assert "annotations" not in public["metadata"]
    for version in KUBERNETES_VERSIONS:
        for resource in resources:
            kubernetes_validate.validate(resource, version, strict=True)


def test_the_admin_internal_component_admits_nobody_until_addresses_are_listed(tmp_path: Path) -> None:
    admin = find(_render_with_the_admin_internal(tmp_path), "Ingress", "admin")
    allowlist = admin["metadata"]["annotations"]["nginx.ingress.kubernetes.io/allowlist-source-range"]
    assert all(ipaddress.ip_network(cidr.strip()).is_loopback for cidr in allowlist.split(","))


# --- migrations and the purge --------------------------------------------------------------


def test_migrations_run_once_in_a_job_with_the_backends_image_and_settings(resources: list[dict[str, Any]]) -> None:
    job = find(resources, "Job", "migrate")
    migrate = _container(resources, "Job", "migrate")
    backend = _container(resources, "Deployment", "backend")
    assert migrate["command"] == production_compose()["services"]["migrate"]["command"]
    assert migrate["image"] == backend["image"]
    assert migrate["envFrom"] == backend["envFrom"]
    assert "command" not in backend  # the image's uvicorn, never migrate
    assert "args" not in backend
    assert job["spec"]["backoffLimit"] == 0  # a failed migration is looked at, not retried blindly
    assert pod_spec(job)["restartPolicy"] == "Never"


def test_the_webhook_event_purge_runs_daily_with_the_backends_image_and_settings(
    resources: list[dict[str, Any]],
) -> None:
    from django.core.management import get_commands

    cronjob = find(resources, "CronJob", "clerk-purge-events")
    minute, hour, day, month, weekday = cronjob["spec"]["schedule"].split()
    assert (day, month, weekday) == ("*", "*", "*")
    assert minute.isdigit()
    assert hour.isdigit()
    assert cronjob["spec"]["concurrencyPolicy"] == "Forbid"
    purge = _container(resources, "CronJob", "clerk-purge-events")
    python, manage, command = purge["command"]
    assert (python, manage) == ("python", "manage.py")
    assert command in get_commands()
    backend = _container(resources, "Deployment", "backend")
    assert purge["image"] == backend["image"]
    assert purge["envFrom"] == backend["envFrom"]


# --- the variables the containers get ------------------------------------------------------


def _compose_service_of(workload: dict[str, Any], container: dict[str, Any]) -> str:
    """The production compose service in the same role: the one-off `migrate` for a Job or CronJob (a
    management command with the backend's settings), else the server of the same image."""
    return "migrate" if workload["kind"] in ("Job", "CronJob") else _image_name(container)


def test_every_variable_a_container_gets_is_documented(resources: list[dict[str, Any]]) -> None:
    documented = documented_variables()
    for workload in workloads(resources):
        (container,) = pod_spec(workload)["containers"]
        names = container_environment(container, resources).names
        known = documented | production_compose_environment(_compose_service_of(workload, container))
        assert names - known == set(), workload["metadata"]["name"]


def test_the_frontend_gets_the_one_secret_it_needs(resources: list[dict[str, Any]]) -> None:
    frontend = container_environment(_container(resources, "Deployment", "frontend"), resources)
    assert frontend.from_secrets == {"CLERK_SECRET_KEY"}


def _render_with_the_pem_public_key(tmp_path: Path, pem: str) -> list[dict[str, Any]]:
    """The overlay after the edit its kustomization describes: the `files:` lines uncommented, the PEM saved."""
    copy = tmp_path / "kubernetes"
    shutil.copytree(KUSTOMIZE_DIR, copy)
    overlay = copy / PRODUCTION_OVERLAY.relative_to(KUSTOMIZE_DIR)
    kustomization = overlay / "kustomization.yaml"
    text = kustomization.read_text()
    commented = "    # files:\n    #   - CLERK_JWT_KEY=clerk-jwt-key.pem\n"
    assert commented in text
    kustomization.write_text(text.replace(commented, "    files:\n      - CLERK_JWT_KEY=clerk-jwt-key.pem\n"))
    (overlay / "clerk-jwt-key.pem").write_text(pem)
    return render(overlay)


def test_the_pem_public_key_reaches_both_servers_with_its_line_breaks(tmp_path: Path, signing_key: Any) -> None:
    resources = _render_with_the_pem_public_key(tmp_path, signing_key.public_pem)
    (config_map,) = [r for r in resources if r["kind"] == "ConfigMap"]
    assert config_map["data"]["CLERK_JWT_KEY"] == signing_key.public_pem
    assert "\n" in config_map["data"]["CLERK_JWT_KEY"].strip()
    for kind, name in (("Deployment", "backend"), ("Deployment", "frontend")):
        assert "CLERK_JWT_KEY" in container_environment(_container(resources, kind, name), resources).names


def test_the_servers_get_every_variable_the_production_compose_file_gives_them(
    tmp_path: Path, signing_key: Any
) -> None:
    """With the optional PEM key configured, nothing compose passes to a server is missing on Kubernetes."""
    resources = _render_with_the_pem_public_key(tmp_path, signing_key.public_pem)
    for workload in workloads(resources):
        (container,) = pod_spec(workload)["containers"]
        service = _compose_service_of(workload, container)
        given = container_environment(container, resources).names
        assert production_compose_environment(service) - given == set(), workload["metadata"]["name"]


# --- the settings, run by the backend itself -----------------------------------------------


def _backend_settings(resources: list[dict[str, Any]], secrets_: dict[str, str]) -> dict[str, str]:
    """The backend container's variables: its ConfigMap values, its literal values and `secrets_`."""
    container = _container(resources, "Deployment", "backend")
    literal = container_environment(container, resources).literal
    return {**config_map_values(container, resources), **literal, **secrets_}


def test_the_secret_example_applied_unchanged_stops_the_migration_naming_a_variable(
    resources: list[dict[str, Any]],
) -> None:
    migrate = _container(resources, "Job", "migrate")
    placeholders = yaml.safe_load(SECRET_EXAMPLE.read_text())["stringData"]
    env = {**config_map_values(migrate, resources), **placeholders}
    command = [sys.executable if part == "python" else part for part in migrate["command"]]
    result = subprocess.run(
        command, cwd=BACKEND_DIR, env=_clean_environment(env), capture_output=True, text=True, timeout=60, check=False
    )
    output = result.stdout + result.stderr
    assert result.returncode != 0
    named = re.findall(r"Configuration error: (\w+)", output)
    assert named, output
    assert set(named) <= set(placeholders), output
    assert "Traceback" not in output


def test_the_backends_rendered_settings_pass_djangos_deployment_checklist(resources: list[dict[str, Any]]) -> None:
    generated = {
        "DATABASE_URL": "postgres://app:password@db.invalid:5432/app",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "CLERK_SECRET_KEY": "sk_live_" + secrets.token_hex(16),
        "CLERK_WEBHOOK_SIGNING_SECRET": "whsec_" + "c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0",
    }
    assert set(generated) == set(yaml.safe_load(SECRET_EXAMPLE.read_text())["stringData"])
    env = _backend_settings(resources, generated)
    assert env["NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY"].startswith("pk_live_")
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BACKEND_DIR,
        env=_clean_environment(env),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
