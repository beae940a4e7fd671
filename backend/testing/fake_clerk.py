"""A real local HTTP server standing in for what lives at Clerk: the JWKS and the Backend API.

Only Clerk's side is faked, and at the HTTP level: the code under test makes real
requests with real timeouts. Every request is recorded so tests can count fetches.
"""

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class FakeClerkState:
    jwks: Any = field(default_factory=lambda: {"keys": []})
    jwks_status: int = 200
    jwks_raw: bytes | None = None  # when set, served instead of the JSON document (garbage tests)
    jwks_delay: float = 0.0
    secret_key: str = "sk_test_fake"
    users: list[dict[str, Any]] = field(default_factory=list)
    organizations: list[dict[str, Any]] = field(default_factory=list)
    memberships: list[dict[str, Any]] = field(default_factory=list)
    rate_limits: dict[str, int] = field(default_factory=dict)  # path -> how many 429s to answer first
    retry_after: str = "0"
    unlisted: set[str] = field(default_factory=set)  # ids left out of the listings, still found by id
    # When set, GET /v1/users/<id> waits for it: a Clerk that is slow for as long as a test wants.
    user_gate: threading.Event | None = None
    requests: list[str] = field(default_factory=list)


class FakeClerk:
    def __init__(self) -> None:
        self.state = FakeClerkState()
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        # stop() waits for the serving loop to look up: at the default half second, that wait
        # was most of the time of every test that starts a fake Clerk.
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)

    @property
    def url(self) -> str:
        port = self._server.server_address[1]
        return f"http://127.0.0.1:{port}"

    @property
    def jwks_url(self) -> str:
        return f"{self.url}/.well-known/jwks.json"

    @property
    def api_url(self) -> str:
        return f"{self.url}/v1"

    def count(self, path: str) -> int:
        with self._lock:
            return sum(1 for request in self.state.requests if urlsplit(request).path == path)

    def start(self) -> "FakeClerk":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
                return

            def do_GET(self) -> None:
                with fake._lock:
                    fake.state.requests.append(self.path)
                status, body, headers = fake._answer(self.path, self.headers.get("Authorization", ""))
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                try:
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    return  # the client stopped waiting: what the tests of a slow Clerk make it do

        return Handler

    def _answer(self, raw_path: str, authorization: str) -> tuple[int, bytes, dict[str, str]]:
        state = self.state
        parts = urlsplit(raw_path)
        path, query = parts.path, parse_qs(parts.query)
        if path == "/.well-known/jwks.json":
            if state.jwks_delay:
                time.sleep(state.jwks_delay)
            if state.jwks_raw is not None:
                return state.jwks_status, state.jwks_raw, {"Content-Type": "application/json"}
            return _json(state.jwks_status, state.jwks)
        if not path.startswith("/v1/"):
            return _json(404, {"errors": [{"code": "not_found"}]})
        if authorization != f"Bearer {state.secret_key}":
            return _json(401, {"errors": [{"code": "authentication_invalid"}]})
        with self._lock:
            remaining = state.rate_limits.get(path, 0)
            if remaining:
                state.rate_limits[path] = remaining - 1
        if remaining:
            return 429, b'{"errors":[{"code":"too_many_requests"}]}', {"Retry-After": state.retry_after}
        return self._backend_api(path.removeprefix("/v1"), query)

    def _backend_api(self, path: str, query: dict[str, list[str]]) -> tuple[int, bytes, dict[str, str]]:
        state = self.state
        limit = int(query.get("limit", ["10"])[0])
        offset = int(query.get("offset", ["0"])[0])
        segments = path.strip("/").split("/")
        if segments == ["users"]:
            return _json(200, _listed(state.users, state.unlisted)[offset : offset + limit])
        if segments == ["organizations"]:
            return _json(200, _page(_listed(state.organizations, state.unlisted), offset, limit))
        if segments == ["organization_memberships"]:
            return _json(200, _page(_listed(state.memberships, state.unlisted), offset, limit))
        if len(segments) == 2 and segments[0] == "users" and state.user_gate is not None:
            state.user_gate.wait(timeout=30)
        if len(segments) == 2 and segments[0] in ("users", "organizations"):
            items = state.users if segments[0] == "users" else state.organizations
            found = next((item for item in items if item["id"] == segments[1]), None)
            return _json(200, found) if found else _json(404, {"errors": [{"code": "resource_not_found"}]})
        if len(segments) == 3 and segments[0] == "organizations" and segments[2] == "memberships":
            members = [m for m in state.memberships if m["organization"]["id"] == segments[1]]
            return _json(200, _page(members, offset, limit))
        return _json(404, {"errors": [{"code": "resource_not_found"}]})


def _listed(items: list[dict[str, Any]], unlisted: set[str]) -> list[dict[str, Any]]:
    return [item for item in items if item["id"] not in unlisted]


def _page(items: list[dict[str, Any]], offset: int, limit: int) -> dict[str, Any]:
    return {"data": items[offset : offset + limit], "total_count": len(items)}


def _json(status: int, document: Any) -> tuple[int, bytes, dict[str, str]]:
    return status, json.dumps(document).encode(), {"Content-Type": "application/json"}


@contextmanager
def running_fake_clerk() -> Iterator[FakeClerk]:
    fake = FakeClerk().start()
    try:
        yield fake
    finally:
        fake.stop()
