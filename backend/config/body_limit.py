"""Every request body is bounded below the frameworks: by its declared length, then byte by byte.

Django spools a body to a temporary file and FastAPI holds it in memory before any view or
route sees it (96 MiB to the admin's login page was spooled whole before its 403; 64 MiB to
the API was held before its 422). So the composed ASGI app is wrapped once, with a limit per
path prefix (`BodyLimits`): the declared `Content-Length` is checked when the application
first reads the body, before a byte is taken, and the bytes are counted as they arrive, for
bodies sent without a length (chunked) or lying about it.

Checked at the first read, not on arrival: the API authenticates before it reads, so a
request without a session is answered 401 with its body unread, whatever it declares.
Past the limit, `receive` raises `BodyTooLarge`, an HTTP 413 the API answers like its other
errors (`{"detail", "code"}`); when it escapes the application (Django reads the body before
any view), it is answered here in the same shape. Starlette's own RequestBodyLimitMiddleware
was tried: it replaces whatever the application answered with a plain-text 413 whenever the
declared length is too large (a 401 included), and is configured apart for each framework.
"""

import json
from collections.abc import Mapping

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class BodyTooLarge(HTTPException):
    def __init__(self) -> None:
        super().__init__(413, "body too large")


class BodyLimits:
    """The limit of a path: that of its longest matching prefix, else the default."""

    def __init__(self, *, default: int, by_prefix: Mapping[str, int]) -> None:
        self.default = default
        self._by_prefix = sorted(by_prefix.items(), key=lambda item: len(item[0]), reverse=True)

    def for_path(self, path: str) -> int:
        return next((limit for prefix, limit in self._by_prefix if path.startswith(prefix)), self.default)


class BodyLimitMiddleware:
    def __init__(self, app: ASGIApp, limits: BodyLimits) -> None:
        self.app = app
        self.limits = limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limits.for_path(scope["path"])
        declared = _declared_length(scope)
        received = 0
        read_before = False
        started = False

        async def bounded_receive() -> Message:
            nonlocal received, read_before
            if not read_before:
                read_before = True
                # A length that is not plain digits counts as too large: nothing honest sends one.
                if declared is not None and (declared < 0 or declared > limit):
                    raise BodyTooLarge()
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge()
            return message

        async def send_noting_start(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, bounded_receive, send_noting_start)
        except BodyTooLarge as refusal:
            if started:  # the application answered already: nothing more can be said
                return
            body = json.dumps({"detail": refusal.detail, "code": "body-too-large"}).encode()
            headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
            await send({"type": "http.response.start", "status": 413, "headers": headers})
            await send({"type": "http.response.body", "body": body})


def _declared_length(scope: Scope) -> int | None:
    """The declared length; None without one; -1 for anything but plain ASCII digits."""
    for name, value in scope["headers"]:
        if name == b"content-length":
            # bytes.isdigit() is ASCII-only: "1e3", "-1" and other scripts' digits are refused.
            return int(value) if value.isdigit() and len(value) <= 18 else -1
    return None
