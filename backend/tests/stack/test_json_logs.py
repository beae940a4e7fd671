"""In production (LOG_FORMAT=json) a real uvicorn writes one JSON object per request line."""

import json
import time
from collections.abc import Iterator

import pytest
import requests

from devstack.stack import Stack, StackOptions
from testing.tokens import SigningKey, mint, session_claims


@pytest.fixture(scope="module")
def stack(database_server_url: str, stack_env: dict[str, str]) -> Iterator[Stack]:
    stack = Stack(StackOptions(env={**stack_env, "LOG_FORMAT": "json"}, database_server_url=database_server_url))
    stack.start()
    yield stack
    stack.stop()


def test_every_request_is_one_json_line_naming_the_caller(stack: Stack, stack_signing_key: SigningKey) -> None:
    token = mint(stack_signing_key, session_claims(sub="user_json", o={"id": "org_json", "rol": "member"}))
    me = requests.get(
        f"{stack.backend_url}/api/v1/auth/me/",
        headers={"Authorization": f"Bearer {token}", "X-Request-ID": "req-json-1"},
        timeout=10,
    )
    assert me.status_code == 200
    assert requests.get(f"{stack.backend_url}/admin/login/", timeout=10).status_code == 200

    assert stack.backend is not None
    # A request's line is written once its answer is sent: wait for the last one to land.
    deadline = time.monotonic() + 10
    while '"path": "/admin/login/"' not in (log := stack.backend.log_path.read_text()):
        assert time.monotonic() < deadline, log
        time.sleep(0.05)
    assert token not in log
    lines = [json.loads(line) for line in log.splitlines() if line.startswith("{")]
    assert all(set(line) >= {"time", "level", "logger", "message"} for line in lines)
    requests_logged = [line for line in lines if line["logger"] == "requests"]
    me_line = next(line for line in requests_logged if line["path"] == "/api/v1/auth/me/")
    assert me_line["request_id"] == "req-json-1"
    assert (me_line["method"], me_line["status"]) == ("GET", 200)
    assert (me_line["user_id"], me_line["organization_id"]) == ("user_json", "org_json")
    assert isinstance(me_line["duration_ms"], float)
    assert me_line["host"]
    admin_line = next(line for line in requests_logged if line["path"] == "/admin/login/")
    assert (admin_line["status"], admin_line["user_id"]) == (200, None)
