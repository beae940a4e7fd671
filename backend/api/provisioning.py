"""Provisioning a signed-in user just in time, without letting Clerk's latency or errors spread.

A valid session for a user without a row means Clerk's `user.created` webhook has not
arrived yet. The row is made from Clerk's Backend API (users.services.provisioning); here
is what keeps that cheap and safe under load:
- single flight: concurrent first requests of one user share one Backend API call;
- a negative cache: a user Clerk answers 404 for (deleted, its webhook on the way) is
  remembered for `forget_after` seconds instead of being asked about on every request;
- the call runs on the event loop's default executor, never on an ORM worker thread and
  never while a database connection is held: a slow Clerk slows only that user's first
  request, not the webhooks or anyone else's.
"""

import asyncio
import logging
import time
from collections.abc import Callable

from api.db import run_orm
from clerk.errors import BackendAPIError
from clerk.payloads import ClerkUser, PayloadError
from users.services.provisioning import RowState, UserDeleted, provision_user, row_state

logger = logging.getLogger(__name__)

UserFetcher = Callable[[str], ClerkUser | None]  # None: Clerk does not know the user (404)


class JustInTimeProvisioner:
    def __init__(
        self,
        fetch_user: UserFetcher | None,
        *,
        forget_after: float = 60.0,
        max_remembered: int = 10_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._fetch_user = fetch_user
        self._forget_after = forget_after
        self._max_remembered = max_remembered
        self._clock = clock
        self._unknown_to_clerk: dict[str, float] = {}  # clerk id -> remembered until
        self._in_flight: dict[str, asyncio.Task[None]] = {}

    async def ensure_row(self, clerk_id: str) -> None:
        """Make sure the user has a row. Raises UserDeleted for a user Clerk or a webhook deleted."""
        task = self._in_flight.get(clerk_id)
        if task is None:
            task = asyncio.ensure_future(self._provision(clerk_id))
            self._in_flight[clerk_id] = task
            task.add_done_callback(lambda done: self._finished(clerk_id, done))
        # shield: a waiter whose client went away must not cancel the others' provisioning
        await asyncio.shield(task)

    def _finished(self, clerk_id: str, task: "asyncio.Task[None]") -> None:
        self._in_flight.pop(clerk_id, None)
        if not task.cancelled():
            task.exception()  # retrieved here, so an unawaited failure is not reported as lost

    async def _provision(self, clerk_id: str) -> None:
        if self._unknown_to_clerk.get(clerk_id, 0.0) > self._clock():
            raise UserDeleted(clerk_id)
        # Asked again, now that this request holds the single flight: an earlier one may have
        # finished in between, and a deleted user must not cost a Backend API call.
        state = await run_orm(row_state, clerk_id=clerk_id)
        if state is RowState.EXISTS:
            return
        if state is RowState.DELETED:
            raise UserDeleted(clerk_id)
        profile = await self._fetch(clerk_id)
        await run_orm(provision_user, clerk_id=clerk_id, profile=profile)

    async def _fetch(self, clerk_id: str) -> ClerkUser | None:
        if self._fetch_user is None:
            return None
        try:
            profile = await asyncio.to_thread(self._fetch_user, clerk_id)
        except (BackendAPIError, PayloadError) as error:
            # A stand-in now; the webhook (or `make sync`) fills the profile in later.
            logger.warning("Could not fetch Clerk user %s for provisioning: %s", clerk_id, error)
            return None
        if profile is None:
            self._remember_unknown(clerk_id)
            raise UserDeleted(clerk_id)
        return profile

    def _remember_unknown(self, clerk_id: str) -> None:
        now = self._clock()
        if len(self._unknown_to_clerk) >= self._max_remembered:
            self._unknown_to_clerk = {key: until for key, until in self._unknown_to_clerk.items() if until > now}
            if len(self._unknown_to_clerk) >= self._max_remembered:
                self._unknown_to_clerk.clear()
        self._unknown_to_clerk[clerk_id] = now + self._forget_after
