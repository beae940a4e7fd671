"""One ASGI application: a path prefix goes to FastAPI, everything else to Django."""

from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send


class PrefixDispatcher:
    def __init__(self, *, prefix: str, prefixed: ASGIApp, default: Any) -> None:  # Django's handler types differ
        self._prefix = prefix.rstrip("/")
        self._prefix_slash = self._prefix + "/"
        self._prefixed = prefixed
        self._default = default

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> Any:
        if scope["type"] == "lifespan":  # Django has no lifespan protocol; FastAPI does
            return await self._prefixed(scope, receive, send)
        path: str = scope.get("path", "")
        if path == self._prefix or path.startswith(self._prefix_slash):
            return await self._prefixed(scope, receive, send)
        return await self._default(scope, receive, send)
