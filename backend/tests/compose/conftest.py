"""The compose tests: a private Docker engine for the session, the project's stacks on it, logs on failure."""

import difflib
import os
import signal
import sys
from collections.abc import Iterator
from types import FrameType
from typing import NoReturn

import pytest

from tests.compose import host_firewall
from tests.compose.engine import EngineUnavailable, PrivateEngine, ensure_engine_installed
from tests.compose.project import ComposeProject
from tests.compose.stack_env import ClerkForTests, production_env


def _interrupt_on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def pytest_configure(config: pytest.Config) -> None:
    # pytest tears fixtures down on KeyboardInterrupt (Ctrl-C); make `kill` (CI cancelling a
    # job) take the same path, so containers, volumes and the daemon never outlive the run.
    signal.signal(signal.SIGTERM, _interrupt_on_sigterm)


@pytest.fixture(scope="session")
def engine() -> Iterator[PrivateEngine]:
    """The private engine for the whole session; the host's firewall is checked to be left as found."""
    try:
        if os.geteuid() != 0:
            raise EngineUnavailable("dockerd needs root (run as root, or through make test-compose with sudo)")
        ensure_engine_installed()
        engine = PrivateEngine()  # waits for another session on this machine to finish
    except EngineUnavailable as reason:
        _skip_or_fail(reason)
    found = host_firewall.snapshot()
    try:
        try:
            engine.start()
        except EngineUnavailable as reason:
            _skip_or_fail(reason)
        yield engine
    finally:
        try:
            engine.stop()
            _assert_left_as_found(found)
        finally:
            engine.release()


def _skip_or_fail(reason: EngineUnavailable) -> NoReturn:
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true and Docker cannot run: {reason}", pytrace=False)
    message = f"SKIPPED LOUDLY: the compose tests need Docker, which cannot run here: {reason}"
    print(f"\n{'!' * 100}\n{message}\n{'!' * 100}", file=sys.stderr)
    pytest.skip(message)


def _assert_left_as_found(found: str) -> None:
    left = host_firewall.snapshot()
    if left != found:
        diff = "".join(difflib.unified_diff(found.splitlines(True), left.splitlines(True), "found", "left"))
        pytest.fail(f"the compose tests changed the host's firewall (iptables-save, sysctls):\n{diff}", pytrace=False)


@pytest.fixture(scope="session")
def clerk() -> ClerkForTests:
    return ClerkForTests.generate()


@pytest.fixture(scope="session")
def production(
    engine: PrivateEngine, clerk: ClerkForTests, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[ComposeProject]:
    """The production compose, shared by the production and scale-out tests (its images are built once)."""
    project = ComposeProject(
        engine,
        name="prodtest",
        compose_file="docker-compose.prod.yml",
        env=production_env(clerk, engine),
        workdir=tmp_path_factory.mktemp("production"),
    )
    try:
        print("base images: " + "; ".join(project.build()), file=sys.stderr)
        project.up()
        yield project
    finally:
        project.down(volumes=True)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    report = yield
    if report.failed:
        for value in getattr(item, "funcargs", {}).values():
            if isinstance(value, ComposeProject):
                report.sections.append((f"container logs of {value.name}", value.logs()))
    return report
