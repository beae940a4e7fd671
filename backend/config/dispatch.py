"""One ASGI application: a path prefix goes to FastAPI, everything else to Django.

Nothing here speaks WebSocket (GraphQL has no subscriptions), so every upgrade is refused
before either framework sees it: an open socket would be a transport that no body limit,
request log or authentication dependency covers.
"""

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
        if scope["type"] == "websocket":
            # Closing before accepting: the server answers the upgrade request with 403.
            return await send({"type": "websocket.close", "code": 1008})
        path: str = scope.get("path", "")
        if path == self._prefix or path.startswith(self._prefix_slash):
            return await self._prefixed(scope, receive, send)
        return await self._default(scope, receive, send)
