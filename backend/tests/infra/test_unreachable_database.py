"""A backend that cannot reach PostgreSQL says where it looked and what the driver answered.

The connection pool on its own says only that it waited ("couldn't get a connection after 10.00
sec"), which is all `migrate` printed when a firewall dropped the database's packets.
"""

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import requests

from clerk.samples import sample_event
from devstack.processes import free_port
from testing.svix import new_signing_secret, signed_delivery
from tests.infra.test_startup_configuration import BACKEND_DIR, VALID, manage

WEBHOOK_PATH = "/api/v1/auth/clerk_webhook/"


@pytest.fixture
def closed_port() -> int:
    """A port nothing listens on: connections are refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A port that takes connections and never answers, as a database behind a firewall that
    drops its replies looks to a client (the kernel completes the handshake; nobody speaks)."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(64)
        yield int(listener.getsockname()[1])


def database_url(port: int) -> str:
    return f"postgres://postgres@127.0.0.1:{port}/app"


def database_error_line(output: str) -> str:
    lines = [line for line in output.splitlines() if line.startswith("Database error: ")]
    assert len(lines) == 1, output
    return lines[0]


def test_migrate_against_a_closed_port_names_the_address_and_the_refusal(closed_port: int) -> None:
    result = manage("migrate", env={"DATABASE_URL": database_url(closed_port), "DATABASE_POOL_TIMEOUT": "2"})
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    line = database_error_line(output)
    assert line.startswith(f"Database error: PostgreSQL at 127.0.0.1:{closed_port} (database 'app', user 'postgres')")
    assert f'connection to server at "127.0.0.1", port {closed_port} failed: Connection refused' in line
    assert "Traceback" not in output


def test_migrate_against_a_database_that_never_answers_says_so_within_seconds(silent_port: int) -> None:
    started = time.monotonic()
    result = manage("migrate", env={"DATABASE_URL": database_url(silent_port), "DATABASE_POOL_TIMEOUT": "2"})
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    line = database_error_line(output)
    assert line.startswith(f"Database error: PostgreSQL at 127.0.0.1:{silent_port} ")
    assert line.endswith("cannot be reached: connection timeout expired")
    assert "Traceback" not in output
    assert time.monotonic() - started < 45  # not libpq's default of minutes per attempt


def test_without_the_pool_the_same_line_names_the_cause(closed_port: int) -> None:
    env = {"DATABASE_URL": database_url(closed_port), "DATABASE_POOL": "0"}
    result = manage("showmigrations", env=env)
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Connection refused" in database_error_line(output)
    assert "Traceback" not in output


def test_a_request_while_the_database_never_answers_is_a_503_and_the_log_says_where_and_why(
    silent_port: int, tmp_path: Path
) -> None:
    secret = new_signing_secret()
    port = free_port()
    log_path = tmp_path / "uvicorn.log"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("CLERK_", "NEXT_PUBLIC_", "DJANGO_", "DATABASE"))},
        **VALID,
        "DATABASE_URL": database_url(silent_port),
        "DATABASE_POOL_TIMEOUT": "8",  # longer than an attempt (5 s): the pool's own warning comes first
        "CLERK_WEBHOOK_SIGNING_SECRET": secret,
    }
    command = [sys.executable, "-m", "uvicorn", "config.asgi:application", "--port", str(port)]
    with log_path.open("wb") as log:
        server = subprocess.Popen(command, cwd=BACKEND_DIR, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_for(lambda: requests.get(f"{base}/api/v1/health", timeout=2).ok, what="uvicorn to start")
        body, headers = signed_delivery(secret, sample_event("user.created"))
        response = requests.post(f"{base}{WEBHOOK_PATH}", data=body, headers=headers, timeout=60)
    finally:
        server.terminate()
        server.wait(timeout=30)
    log = log_path.read_text()

    assert response.status_code == 503
    assert response.json() == {"detail": "database unavailable", "code": "database-unavailable"}
    assert (
        f"Database error on POST {WEBHOOK_PATH}: OperationalError: couldn't get a connection after 8.00 sec "
        f"(PostgreSQL at 127.0.0.1:{silent_port})"
    ) in log
    assert re.search(r"WARNING psycopg\.pool: error connecting in '[\w-]+': connection timeout expired", log), log
    assert "Traceback" not in log


def _wait_for(check: Callable[[], bool], *, what: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")
