"""The ORM under FastAPI neither leaks connections nor keeps dead ones after PostgreSQL restarts."""

import os
import shlex
import shutil
import subprocess
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg
import pytest
import requests

from devstack.stack import Stack, StackOptions
from testing.tokens import SigningKey, mint, session_claims
from users.profile_reader import ProfileReader

POOL_MAX_SIZE = 4


@pytest.fixture
def stack(database_server_url: str, stack_env: dict[str, str]) -> Iterator[Stack]:
    options = StackOptions(
        env={**stack_env, "DATABASE_POOL_MAX_SIZE": str(POOL_MAX_SIZE)}, database_server_url=database_server_url
    )
    stack = Stack(options).start()
    yield stack
    stack.stop()


def _me(stack: Stack, key: SigningKey, n: int) -> int:
    token = mint(key, session_claims(sub=f"user_restart_{n % 5}", sid=f"sess_{n}"))
    return requests.get(
        f"{stack.url}/api/v1/auth/me/", headers={"Authorization": f"Bearer {token}"}, timeout=10
    ).status_code


def _server_connections(database_server_url: str, database_url: str) -> int:
    name = database_url.rsplit("/", 1)[1]
    with psycopg.connect(database_server_url, autocommit=True) as connection:
        row = connection.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s", [name]).fetchone()
    assert row is not None
    return int(row[0])


def _restart_postgresql() -> None:
    """Restart the server of DATABASE_URL: TEST_POSTGRES_RESTART's command if set (CI's service
    container: `docker restart <id>`), else the local cluster through pg_ctlcluster."""
    command = os.environ.get("TEST_POSTGRES_RESTART", "").strip()
    if command:
        subprocess.run(shlex.split(command), check=True, capture_output=True)
        return
    versions = sorted(p.name for p in Path("/etc/postgresql").iterdir()) if Path("/etc/postgresql").is_dir() else []
    if not versions or shutil.which("pg_ctlcluster") is None:
        pytest.skip("needs the local PostgreSQL cluster controlled by pg_ctlcluster (or TEST_POSTGRES_RESTART)")
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", versions[-1], "main", "restart"],
        check=True,
        capture_output=True,
    )


@pytest.mark.postgres
def test_connections_are_returned_and_bounded_under_load(
    stack: Stack, stack_signing_key: SigningKey, database_server_url: str
) -> None:
    with ThreadPoolExecutor(max_workers=16) as pool:
        statuses = list(pool.map(lambda n: _me(stack, stack_signing_key, n), range(300)))
    assert statuses == [200] * 300
    assert stack.database_url is not None
    # Django's pool for the ORM, plus the async pool of the hot profile read.
    assert _server_connections(database_server_url, stack.database_url) <= POOL_MAX_SIZE + ProfileReader.MAX_IN_FLIGHT


@pytest.mark.postgres
def test_requests_succeed_again_after_postgresql_restarts(
    stack: Stack, stack_signing_key: SigningKey, database_server_url: str
) -> None:
    assert [_me(stack, stack_signing_key, n) for n in range(20)] == [200] * 20
    _restart_postgresql()
    deadline = time.monotonic() + 30
    while _me(stack, stack_signing_key, 0) != 200:
        assert time.monotonic() < deadline, "the backend never recovered after the database restart"
        time.sleep(0.2)
    # Every pooled connection died with the restart; none may be lent again.
    assert [_me(stack, stack_signing_key, n) for n in range(40)] == [200] * 40
    assert stack.backend is not None
    assert stack.backend.running  # recovered without restarting the server
