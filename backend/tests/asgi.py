"""Calling the composed ASGI app directly, as a server would, with a body made on demand and counted."""

import asyncio
import time
import tracemalloc
from dataclasses import dataclass
from typing import Any

CHUNK = 64 * 1024


@dataclass(frozen=True)
class StreamedAnswer:
    status: int
    body: bytes
    read: int  # how many bytes of the offered body the application took
    peak_memory: int  # bytes, traced while the request ran
    cpu_seconds: float  # this thread's CPU time for the whole request (the app runs on it)


def post_streamed(
    app: Any, path: str, *, offered: int, declared_length: int | str | None, headers: dict[str, str] | None = None
) -> StreamedAnswer:
    """POST `offered` bytes in chunks made on demand, with that Content-Length (or another, or none)."""
    raw_headers = [(b"content-type", b"application/json")]
    raw_headers += [(name.lower().encode(), value.encode("latin-1")) for name, value in (headers or {}).items()]
    if declared_length is not None:
        raw_headers.append((b"content-length", str(declared_length).encode("utf-8")))
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": raw_headers,
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
        "state": {},
    }
    read = 0
    answer: dict[str, Any] = {"body": b""}
    answered = asyncio.Event()

    async def receive() -> dict[str, Any]:
        nonlocal read
        if read >= offered:  # as a server does: nothing more until the client goes away
            await answered.wait()
            return {"type": "http.disconnect"}
        size = min(CHUNK, offered - read)
        read += size
        return {"type": "http.request", "body": b" " * size, "more_body": read < offered}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            answer["status"] = message["status"]
        elif message["type"] == "http.response.body":
            answer["body"] += message.get("body", b"")
            if not message.get("more_body", False):
                answered.set()

    async def call() -> None:
        await app(scope, receive, send)
        answered.set()

    tracemalloc.start()
    started = time.thread_time()
    try:
        asyncio.run(call())
        cpu = time.thread_time() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return StreamedAnswer(answer["status"], answer["body"], read, peak, cpu)
