"""Using Django's ORM from FastAPI.

Django opens and recycles connections on its request signals, which FastAPI never
sends, and FastAPI may run a sync dependency and the endpoint on different threads.
So every unit of ORM work runs through `run_orm`: on one worker thread, which hands
its connection back (to the pool, or closes it) before the thread is reused. A
connection is never left behind, and one broken by a database restart is never
lent again.
"""

from collections.abc import Callable
from functools import partial
from typing import ParamSpec, TypeVar

from anyio import to_thread
from django.db import close_old_connections, connections

P = ParamSpec("P")
T = TypeVar("T")


def _in_own_connection(fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    close_old_connections()
    try:
        return fn(*args, **kwargs)
    finally:
        connections.close_all()


async def run_orm(fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """Run `fn` with the ORM on a worker thread and release its database connection afterwards."""
    return await to_thread.run_sync(partial(_in_own_connection, fn, *args, **kwargs))
