"""The webhook body is bounded before it is read: by its declared length, then byte by byte.

Posted straight to the ASGI app (no nginx in front, as when uvicorn is exposed directly):
400 MB offered by a client is answered 413 after at most 1 MiB and a chunk were read.
"""

import asyncio
import tracemalloc
from typing import Any

import pytest

from api.routes.webhooks import MAX_BODY_BYTES

URL = "/api/v1/auth/clerk_webhook/"
CHUNK = 64 * 1024
OFFERED = 400 * 1024 * 1024


def post_streamed(app: Any, *, declared_length: int | str | None) -> tuple[int, int, int]:
    """POST a 400 MB body in chunks made on demand; returns (status, bytes the app read, peak memory)."""
    headers = [(b"content-type", b"application/json")]
    if declared_length is not None:
        headers.append((b"content-length", str(declared_length).encode("utf-8")))
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": URL,
        "raw_path": URL.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
        "state": {},
    }
    read = 0
    answer: dict[str, Any] = {}

    async def receive() -> dict[str, Any]:
        nonlocal read
        if read >= OFFERED:
            return {"type": "http.disconnect"}
        read += CHUNK
        return {"type": "http.request", "body": b"x" * CHUNK, "more_body": read < OFFERED}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            answer["status"] = message["status"]

    tracemalloc.start()
    try:
        asyncio.run(app(scope, receive, send))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return answer["status"], read, peak


@pytest.mark.parametrize("declared", [OFFERED, None], ids=["declared-length", "chunked"])
def test_a_huge_body_is_refused_after_reading_at_most_the_limit(app: Any, declared: int | None) -> None:
    status, read, peak = post_streamed(app, declared_length=declared)
    assert status == 413
    if declared is not None:
        assert read == 0  # refused on its Content-Length alone
    else:
        assert read <= MAX_BODY_BYTES + CHUNK
    assert peak < 16 * 1024 * 1024  # a few MiB at most, not 400 MB


@pytest.mark.parametrize("declared", ["1e3", "-1", "١٢"], ids=["float", "negative", "arabic-digits"])
def test_a_content_length_that_is_not_a_plain_number_is_refused_unread(app: Any, declared: str) -> None:
    status, read, _ = post_streamed(app, declared_length=declared)
    assert (status, read) == (400, 0)
