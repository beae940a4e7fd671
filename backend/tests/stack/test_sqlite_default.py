"""The embedded default holds under concurrency: SQLite with IMMEDIATE transactions, WAL and a busy timeout.

A real uvicorn on the SQLite file a developer gets without DATABASE_URL, sent a shuffled,
duplicated history of signed deliveries from many connections at once: every answer is 2xx
and the end state is exactly the in-order one. (Before, 59 of 314 such deliveries answered
503 "database unavailable": SQLite's "database is locked".)
"""

import json
import sqlite3
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from devstack.stack import Stack, StackOptions
from testing.histories import build_history
from testing.svix import signed_delivery

WEBHOOK = "/api/v1/auth/clerk_webhook/"


@pytest.fixture
def sqlite_stack(stack_env: dict[str, str]) -> Iterator[Stack]:
    stack = Stack(StackOptions(env=stack_env)).start()  # no database server: the SQLite default
    yield stack
    stack.stop()


def test_concurrent_deliveries_on_sqlite_all_succeed_and_end_in_the_exact_state(
    sqlite_stack: Stack, stack_env: dict[str, str]
) -> None:
    path = sqlite_stack.backend_env()["DATABASE_URL"].removeprefix("sqlite:///")
    assert path.endswith(".sqlite3")
    history = build_history(users=80, prefix="lite")
    secret = stack_env["CLERK_WEBHOOK_SIGNING_SECRET"]

    def send(delivery: tuple[str, dict]) -> int:
        svix_id, event = delivery
        body, headers = signed_delivery(secret, json.dumps(event).encode(), msg_id=svix_id)
        return requests.post(f"{sqlite_stack.backend_url}{WEBHOOK}", data=body, headers=headers, timeout=60).status_code

    with ThreadPoolExecutor(max_workers=16) as pool:
        statuses = list(pool.map(send, history.deliveries))
    assert len(statuses) > 300
    assert sorted(set(statuses)) == [200], f"{sum(s != 200 for s in statuses)} deliveries failed: {set(statuses)}"

    with sqlite3.connect(path) as database:
        users = {
            row[0]: (row[1], row[2]) for row in database.execute("SELECT clerk_id, email, first_name FROM users_user")
        }
        organizations = dict(database.execute("SELECT clerk_id, name FROM users_organization").fetchall())
        memberships = dict(database.execute("SELECT clerk_id, role FROM users_organizationmembership").fetchall())
        (events,) = database.execute("SELECT count(*) FROM users_webhookevent WHERE status = 'processed'").fetchone()
    assert users == history.users
    assert organizations == history.organizations
    assert memberships == history.memberships
    assert events == history.unique_deliveries
