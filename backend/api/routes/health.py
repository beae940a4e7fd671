"""Liveness and readiness, for the probes (Kubernetes, compose healthchecks) that reach a replica directly.

nginx does not route `/api/v1/ready` from outside (its answer is for the probes, and each
fresh one costs a database round trip); where no nginx stands in front (an Ingress), the
answer is still cheap and says nothing about the database: computed at most every
`READINESS_TTL` seconds per process, and `unavailable` without why (the log says why).
"""

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from api.db import run_orm
from api.schemas import ReadinessOut, StatusOut
from config.readiness import database_readiness

router = APIRouter(tags=["health"])
logger = logging.getLogger(__name__)

READINESS_TTL = 5.0


@router.get("/health", response_model=StatusOut)
async def health() -> StatusOut:
    """Liveness: the process answers. Touches no database."""
    return StatusOut(status="ok")


class Readiness:
    """`await readiness.ready()`: the last answer of `check` (None: ready, else why not), at most `ttl` old."""

    def __init__(self, check: Callable[[], Awaitable[str | None]], *, ttl: float) -> None:
        self._check = check
        self._ttl = ttl
        self._ready = False
        self._checked_at = float("-inf")
        self._lock = asyncio.Lock()

    async def ready(self) -> bool:
        async with self._lock:  # one check at a time: a burst of probes shares it
            if time.monotonic() - self._checked_at >= self._ttl:
                problem = await self._check()
                if problem is not None:
                    logger.warning("Not ready: %s", problem)
                self._ready, self._checked_at = problem is None, time.monotonic()
            return self._ready


async def _database_readiness() -> str | None:
    return await run_orm(database_readiness)


_readiness = Readiness(_database_readiness, ttl=READINESS_TTL)


@router.get("/ready", response_model=ReadinessOut, responses={503: {"model": ReadinessOut}})
async def ready() -> JSONResponse:
    """Readiness: the database answers and every migration is applied (checked every few seconds)."""
    if await _readiness.ready():
        return JSONResponse({"status": "ok"})
    return JSONResponse({"status": "unavailable"}, status_code=503)
