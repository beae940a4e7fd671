"""One log line per request of the ASGI app (API and admin alike), with its request id.

The id comes from the `X-Request-ID` header when it looks like one (nginx sends its
`$request_id`), so the proxy's and the backend's lines of a request share it; otherwise
one is made here. Either way it is echoed in the response. The signed-in Clerk user and
organization are filled in by the API's session dependency (`RequestLog.current()`), so the
line names who made the request; the token itself is never logged.
"""

import logging
import re
import socket
import time
import uuid
from contextvars import ContextVar
from dataclasses import dataclass

from starlette.types import ASGIApp, Message, Receive, Scope, Send

logger = logging.getLogger("requests")

_SANE_REQUEST_ID = re.compile(rb"[A-Za-z0-9._-]{1,128}")
_HOST = socket.gethostname()  # which replica answered, when several run behind nginx


@dataclass(slots=True)
class RequestLog:
    """What the line of the request being served will say about its caller."""

    request_id: str
    user_id: str | None = None
    organization_id: str | None = None
    actor_id: str | None = None  # `act.sub`: who acts on the user's behalf (impersonation, agents)

    @staticmethod
    def current() -> "RequestLog | None":
        return _current.get()


_current: ContextVar[RequestLog | None] = ContextVar("request_log", default=None)


class RequestLogMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        request_id = _request_id(scope)
        record = RequestLog(request_id=request_id)
        token = _current.set(record)
        status = 500  # what the client gets if the app fails before answering
        held_start: Message | None = None

        async def send_with_id(message: Message) -> None:
            nonlocal status, held_start
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", ()), (b"x-request-id", request_id.encode())]
                # Held until the first part of the body: the server then writes both in the same
                # tick, so a replica killed mid-answer (docker kill, OOM) cannot leave nginx with
                # a head already forwarded and no body, which it could no longer retry elsewhere.
                held_start = message
                return
            if held_start is not None:
                start, held_start = held_start, None
                await send(start)
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            _current.reset(token)
            duration_ms = round((time.perf_counter() - started) * 1000, 2)
            who = (("user", record.user_id), ("org", record.organization_id), ("actor", record.actor_id))
            caller = "".join(f" {label}={value}" for label, value in who if value)
            logger.info(
                "%s %s %s %.1fms id=%s%s",
                scope["method"],
                scope["path"],
                status,
                duration_ms,
                request_id,
                caller,
                extra={
                    "request_id": request_id,
                    "method": scope["method"],
                    "path": scope["path"],
                    "status": status,
                    "duration_ms": duration_ms,
                    "user_id": record.user_id,
                    "organization_id": record.organization_id,
                    "actor_id": record.actor_id,
                    "host": _HOST,
                },
            )


def _request_id(scope: Scope) -> str:
    for name, value in scope["headers"]:
        if name == b"x-request-id" and _SANE_REQUEST_ID.fullmatch(value):
            return value.decode("ascii")
    return uuid.uuid4().hex
