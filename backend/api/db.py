"""Using Django's ORM from FastAPI.

Django opens and recycles connections on its request signals, which FastAPI never
sends, and FastAPI may run a sync dependency and the endpoint on different threads.
So every unit of ORM work runs through `run_orm`: on one worker thread, which hands
its connection back (to the pool, or closes it) before the thread is reused. A
connection is never left behind, and one broken by a database restart is never
lent again.
"""

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import ParamSpec, TypeVar

from django.conf import settings
from django.db import close_old_connections, connections

P = ParamSpec("P")
T = TypeVar("T")


def _in_own_connection(fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    close_old_connections()
    try:
        return fn(*args, **kwargs)
    finally:
        connections.close_all()


# ORM work is Python that holds the GIL between its round trips to the database: a few
# threads keep the database busy, and past that each one more adds GIL contention, not
# throughput (webhook ingestion, one worker: 5 threads ~200/s, 10 threads ~160/s here;
# docs/performance.md).
MAX_ORM_THREADS = 5


def orm_threads(pool: object) -> int:
    """For the database's `OPTIONS["pool"]`: never more threads than pooled connections (the
    others would only queue for one)."""
    if isinstance(pool, dict) and "max_size" in pool:
        return min(int(pool["max_size"]), MAX_ORM_THREADS)
    return MAX_ORM_THREADS


_executor: ThreadPoolExecutor | None = None


async def run_orm(fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """Run `fn` with the ORM on a worker thread and release its database connection afterwards.

    A plain executor rather than anyio's worker threads: the hand-off is on every
    request's path, and this one costs a fraction of anyio's.
    """
    global _executor
    if _executor is None:
        _executor = ThreadPoolExecutor(
            max_workers=orm_threads(settings.DATABASES["default"].get("OPTIONS", {}).get("pool")),
            thread_name_prefix="orm",
        )
    return await asyncio.get_running_loop().run_in_executor(_executor, partial(_in_own_connection, fn, *args, **kwargs))
