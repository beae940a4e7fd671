"""Provisioning a user whose webhook is late: one Backend API call, however many requests, off the ORM threads."""

import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from starlette.testclient import TestClient

from clerk import samples
from testing.fake_clerk import FakeClerk
from users.models import User

ME = "/api/v1/auth/me/"


def get_me(client: TestClient, token: str) -> Any:
    return client.get(ME, headers={"Authorization": f"Bearer {token}"})


def wait_for(condition: Callable[[], bool], timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.01)


def test_a_user_clerk_does_not_know_is_asked_about_once_not_on_every_request(
    client: TestClient, token: Callable[..., str], clerk_backend_api: FakeClerk
) -> None:
    for n in range(100):
        response = get_me(client, token(sub="user_unknown", sid=f"sess_{n}"))
        assert response.status_code == 401
        assert response.json()["code"] == "user-deleted"
    assert clerk_backend_api.count("/v1/users/user_unknown") == 1
    assert not User.objects.filter(clerk_id="user_unknown").exists()


def test_concurrent_first_requests_of_one_user_share_one_backend_api_call(
    client: TestClient, token: Callable[..., str], clerk_backend_api: FakeClerk
) -> None:
    clerk_backend_api.state.users = [samples.user_data(user_id="user_new", email="new@example.com", first_name="New")]
    gate = clerk_backend_api.state.user_gate = threading.Event()
    with ThreadPoolExecutor(max_workers=40) as pool:
        futures = [pool.submit(get_me, client, token(sub="user_new", sid=f"sess_{n}")) for n in range(40)]
        wait_for(lambda: clerk_backend_api.count("/v1/users/user_new") == 1)
        time.sleep(0.3)  # let the other 39 reach the provisioner while Clerk is still answering
        gate.set()
        responses = [future.result(timeout=30) for future in futures]
    assert {(r.status_code, r.json()["first_name"]) for r in responses} == {(200, "New")}
    assert clerk_backend_api.count("/v1/users/user_new") == 1
    assert User.objects.filter(clerk_id="user_new").count() == 1


def test_a_slow_clerk_never_holds_up_the_orm_for_anyone_else(
    client: TestClient, token: Callable[..., str], clerk_backend_api: FakeClerk, deliver: Callable[..., Any]
) -> None:
    """First requests of many new users wait on Clerk; a webhook meanwhile is answered at once."""
    waiting = 15  # more than the ORM worker threads (the connection pool's 10)
    clerk_backend_api.state.users = [samples.user_data(user_id=f"user_slow_{n}") for n in range(waiting)]
    gate = clerk_backend_api.state.user_gate = threading.Event()
    with ThreadPoolExecutor(max_workers=waiting) as pool:
        firsts = [pool.submit(get_me, client, token(sub=f"user_slow_{n}")) for n in range(waiting)]
        wait_for(lambda: sum(clerk_backend_api.count(f"/v1/users/user_slow_{n}") for n in range(waiting)) >= 4)
        with ThreadPoolExecutor(max_workers=1) as other:
            webhook = other.submit(deliver, samples.event("user.created", samples.user_data(user_id="user_other")))
            # Not a timing assertion: before the fix this never returned while Clerk was stuck.
            assert webhook.result(timeout=20).json() == {"status": "processed"}
        assert not any(first.done() for first in firsts)  # Clerk is still holding them
        gate.set()
        assert {first.result(timeout=30).status_code for first in firsts} == {200}


def test_an_unreadable_profile_from_clerk_provisions_a_stand_in_that_the_webhook_completes(
    client: TestClient, token: Callable[..., str], clerk_backend_api: FakeClerk, deliver: Callable[..., Any]
) -> None:
    clerk_backend_api.state.users = [samples.user_data(user_id="user_long", first_name="N" * 300)]
    first = get_me(client, token(sub="user_long"))
    assert first.status_code == 200
    assert first.json()["profile_complete"] is False
    deliver(samples.event("user.created", samples.user_data(user_id="user_long", first_name="Fixed")))
    again = get_me(client, token(sub="user_long", sid="sess_again")).json()
    assert (again["first_name"], again["profile_complete"]) == ("Fixed", True)
    assert clerk_backend_api.count("/v1/users/user_long") == 1
