"""An async psycopg pool for the API's hot reads (see users/profile_query.py).

Writes and everything else go through Django's ORM on worker threads (api/db.py).
The pool is opened in the app's lifespan and only exists on PostgreSQL; on SQLite the
hot read falls back to the ORM. After a database restart, pooled connections are dead:
the first failure makes the pool check every idle connection, and the read is retried.
"""

from collections.abc import Awaitable, Callable, Mapping
from typing import Any, TypeVar

import psycopg
from psycopg.conninfo import make_conninfo
from psycopg_pool import AsyncConnectionPool

T = TypeVar("T")

# The profile loader keeps at most two reads in flight (api/profile_loader.py).
READ_POOL_SIZE = 2


def build_read_pool(database: Mapping[str, Any]) -> AsyncConnectionPool | None:
    """A closed pool for Django's `DATABASES["default"]`, or None when it is not PostgreSQL."""
    if database["ENGINE"] != "django.db.backends.postgresql":
        return None
    params = {
        "dbname": database.get("NAME") or None,
        "user": database.get("USER") or None,
        "password": database.get("PASSWORD") or None,
        "host": database.get("HOST") or None,
        "port": str(database["PORT"]) if database.get("PORT") else None,
    }
    conninfo = make_conninfo("", **{k: v for k, v in params.items() if v is not None})
    return AsyncConnectionPool(
        conninfo,
        min_size=1,
        max_size=READ_POOL_SIZE,
        timeout=10.0,
        kwargs={"autocommit": True},
        open=False,
        name="api-reads",
    )


async def read(pool: AsyncConnectionPool, query: Callable[..., Awaitable[T]], **arguments: Any) -> T:
    """Run `query(connection, **arguments)`; on a dead connection, check the pool and retry once."""
    try:
        async with pool.connection() as connection:
            return await query(connection, **arguments)
    except psycopg.OperationalError:
        await pool.check()  # drops every idle connection the restart killed
        async with pool.connection() as connection:
            return await query(connection, **arguments)
