"""Concurrent requests share one profile read (the DataLoader pattern).

Under load many requests wait on the database at once. Instead of one statement
each, the loader collects the Clerk ids asked for while earlier reads are in flight
and reads them together in one statement, so the per-statement cost (pool, protocol,
planning, the server's work) is paid once per batch. An idle server still answers a
lone request on the next loop tick: batching only ever happens under load.
"""

import asyncio

from psycopg_pool import AsyncConnectionPool

from api.read_pool import READ_POOL_SIZE, read
from users.profile_query import read_profiles
from users.selectors import Profile


class ProfileLoader:
    def __init__(self, pool: AsyncConnectionPool, *, max_in_flight: int = READ_POOL_SIZE, max_batch: int = 200) -> None:
        self._pool = pool
        self._max_in_flight = max_in_flight
        self._max_batch = max_batch
        self._pending: dict[str, list[asyncio.Future[Profile | None]]] = {}
        self._in_flight = 0
        self._scheduled = False
        self._tasks: set[asyncio.Task[None]] = set()  # the loop keeps only weak references to tasks

    async def load(self, clerk_id: str) -> Profile | None:
        """The user's profile, or None when the user has no row yet."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Profile | None] = loop.create_future()
        self._pending.setdefault(clerk_id, []).append(future)
        if not self._scheduled:
            self._scheduled = True
            loop.call_soon(self._dispatch)  # after this tick, so requests arriving together share a read
        return await future

    def _dispatch(self) -> None:
        self._scheduled = False
        while self._pending and self._in_flight < self._max_in_flight:
            ids = list(self._pending)[: self._max_batch]
            batch = {clerk_id: self._pending.pop(clerk_id) for clerk_id in ids}
            self._in_flight += 1
            task = asyncio.ensure_future(self._run(batch))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _run(self, batch: dict[str, list[asyncio.Future[Profile | None]]]) -> None:
        try:
            profiles = await read(self._pool, read_profiles, clerk_ids=list(batch))
        except Exception as error:  # every waiter gets the failure (answered 503 by the error handlers)
            for futures in batch.values():
                for future in futures:
                    if not future.done():
                        future.set_exception(error)
            return
        finally:
            self._in_flight -= 1
            if self._pending and not self._scheduled:
                self._scheduled = True
                asyncio.get_running_loop().call_soon(self._dispatch)
        for clerk_id, futures in batch.items():
            for future in futures:
                if not future.done():  # a request whose client went away
                    future.set_result(profiles.get(clerk_id))
