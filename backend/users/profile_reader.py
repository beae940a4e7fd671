"""The one reader of a signed-in user's profile: who they are and the organizations they belong to.

Every API call reads its user, so on PostgreSQL the read is one SQL statement on an
async psycopg pool, shared by the requests waiting at the same time (the DataLoader
pattern): building the ORM queries and a thread hop per request cost several times the
database round trip (docs/performance.md). Elsewhere (SQLite) it is two ORM queries on
an ORM worker thread. Both paths read the same columns, named by the dataclasses below,
and build the profile with the same function.

Adding a field to the profile: add it to the model, to `Profile` (or `MembershipView`)
here under the model field's name, and to the response schema (api/schemas.py). The
statement, the ORM queries and the generated frontend types follow.

The pool is built from Django's own connection parameters (`get_connection_params()`),
so every option of `DATABASE_URL` (`sslmode`, `sslrootcert`, `application_name`, …)
applies to these connections exactly as to the ORM's.
"""

import asyncio
import dataclasses
from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import Any, TypeVar

import psycopg
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import F
from psycopg import sql
from psycopg.rows import dict_row
from psycopg_pool import AsyncConnectionPool

from users.models import Organization, OrganizationMembership, User

T = TypeVar("T")
RunSync = Callable[..., Awaitable[Any]]  # runs an ORM function off the event loop (api.db.run_orm)


@dataclasses.dataclass(frozen=True)
class MembershipView:
    clerk_id: str  # these four: the organization's fields of the same names
    name: str
    slug: str
    image_url: str
    role: str  # the membership's
    role_updated_at: int | None  # the membership's Clerk `updated_at` (ms): newer than a token, it wins


@dataclasses.dataclass(frozen=True)
class Profile:
    id: int  # these six: the user's fields of the same names
    clerk_id: str
    email: str | None
    first_name: str
    last_name: str
    image_url: str
    profile_complete: bool  # Clerk's own data has arrived (a stand-in row has none yet)
    organizations: list[MembershipView]


_DERIVED = {"profile_complete", "organizations", "role", "role_updated_at"}
USER_FIELDS = tuple(f.name for f in dataclasses.fields(Profile) if f.name not in _DERIVED)
ORGANIZATION_FIELDS = tuple(f.name for f in dataclasses.fields(MembershipView) if f.name not in _DERIVED)
# A row of a user, and a row of one of their memberships, as both paths read them.
UserRow = Mapping[str, Any]  # USER_FIELDS + clerk_updated_at
MembershipRow = Mapping[str, Any]  # user_clerk_id, role, role_updated_at, organization_<ORGANIZATION_FIELDS>


def build_profiles(users: Iterable[UserRow], memberships: Iterable[MembershipRow]) -> dict[str, Profile]:
    """Profiles by Clerk id; `memberships` in display order (organization name, then id)."""
    organizations: dict[str, list[MembershipView]] = {}
    for row in memberships:
        organizations.setdefault(row["user_clerk_id"], []).append(
            MembershipView(
                role=row["role"],
                role_updated_at=row["role_updated_at"],
                **{name: row[f"organization_{name}"] for name in ORGANIZATION_FIELDS},
            )
        )
    return {
        user["clerk_id"]: Profile(
            **{name: user[name] for name in USER_FIELDS},
            profile_complete=user["clerk_updated_at"] is not None,
            organizations=organizations.get(user["clerk_id"], []),
        )
        for user in users
    }


# --- through the ORM ---------------------------------------------------------------------------


def read_profiles_with_orm(clerk_ids: list[str]) -> dict[str, Profile]:
    """The profiles of those Clerk users that have a row, by Clerk id. Two queries."""
    users = User.objects.filter(clerk_id__in=clerk_ids).values(*USER_FIELDS, "clerk_updated_at")
    memberships = (
        OrganizationMembership.objects.filter(user__clerk_id__in=clerk_ids)
        .order_by("organization__name", "organization__clerk_id")
        .values(
            "role",
            role_updated_at=F("clerk_updated_at"),
            user_clerk_id=F("user__clerk_id"),
            **{f"organization_{name}": F(f"organization__{name}") for name in ORGANIZATION_FIELDS},
        )
    )
    return build_profiles(users, memberships)


def read_profile_with_orm(clerk_id: str) -> Profile | None:
    return read_profiles_with_orm([clerk_id]).get(clerk_id)


# --- one statement, on PostgreSQL --------------------------------------------------------------


def _column(model: Any, field: str) -> sql.Identifier:
    return sql.Identifier(model._meta.get_field(field).column)


def _statement() -> bytes:
    """The read as SQL, built from the models' metadata (renamed tables and columns follow)."""
    user_columns = [
        sql.SQL("u.{} AS {}").format(_column(User, name), sql.Identifier(name))
        for name in (*USER_FIELDS, "clerk_updated_at")
    ]
    organization_columns = [
        sql.SQL("o.{} AS {}").format(_column(Organization, name), sql.Identifier(f"organization_{name}"))
        for name in ORGANIZATION_FIELDS
    ]
    return (
        sql.SQL(
            "SELECT {user_columns}, {organization_columns}, m.{role} AS role, m.{role_updated_at} AS role_updated_at"
            " FROM {user} u"
            " LEFT JOIN {membership} m ON m.{m_user} = u.{u_id}"
            " LEFT JOIN {organization} o ON o.{o_id} = m.{m_organization}"
            " WHERE u.{u_clerk_id} = ANY(%s)"
            " ORDER BY u.{u_clerk_id}, o.{o_name}, o.{o_clerk_id}"
        )
        .format(
            user_columns=sql.SQL(", ").join(user_columns),
            organization_columns=sql.SQL(", ").join(organization_columns),
            role=_column(OrganizationMembership, "role"),
            role_updated_at=_column(OrganizationMembership, "clerk_updated_at"),
            user=sql.Identifier(User._meta.db_table),
            membership=sql.Identifier(OrganizationMembership._meta.db_table),
            organization=sql.Identifier(Organization._meta.db_table),
            m_user=_column(OrganizationMembership, "user"),
            m_organization=_column(OrganizationMembership, "organization"),
            u_id=_column(User, "id"),
            o_id=_column(Organization, "id"),
            u_clerk_id=_column(User, "clerk_id"),
            o_name=_column(Organization, "name"),
            o_clerk_id=_column(Organization, "clerk_id"),
        )
        .as_string()
        .encode()
    )


async def read_profiles_in_one_statement(
    connection: psycopg.AsyncConnection[Any], clerk_ids: list[str]
) -> dict[str, Profile]:
    """The same as `read_profiles_with_orm`, as one statement on an async connection."""
    async with connection.cursor(row_factory=dict_row) as cursor:
        # Prepared or not as Django's own connections are (OPTIONS["prepare_threshold"]): off by
        # default, which keeps transaction-mode poolers such as PgBouncer working.
        await cursor.execute(_STATEMENT, (clerk_ids,))
        rows = await cursor.fetchall()
    users = {row["clerk_id"]: row for row in rows}
    memberships = [{**row, "user_clerk_id": row["clerk_id"]} for row in rows if row["organization_clerk_id"]]
    return build_profiles(users.values(), memberships)


# Rendered once: composing the identifiers on every call would cost more than the query.
_STATEMENT = _statement()


def async_pool_for(connection: BaseDatabaseWrapper, *, size: int, **connect: Any) -> AsyncConnectionPool:
    """A closed async pool whose connections are made exactly as Django makes `connection`'s.

    `connect` adds arguments for psycopg's `connect` (instrumentation in tests).
    """
    parameters = dict(connection.get_connection_params())
    # Django's sync cursor class and its adapters are for its own connections; everything
    # that decides where and how to connect (host, TLS, timeouts, options) is kept.
    parameters.pop("cursor_factory", None)
    parameters.pop("context", None)
    return AsyncConnectionPool(
        "",
        min_size=1,
        max_size=size,
        timeout=10.0,
        kwargs={**parameters, **connect, "autocommit": True},
        open=False,
        name="profile-reads",
    )


# --- the reader --------------------------------------------------------------------------------


class ProfileReader:
    """`await reader.get(clerk_id)`: the profile, or None when the user has no row (yet)."""

    # Two statements in flight at most; everything that arrives meanwhile joins the next one.
    MAX_IN_FLIGHT = 2
    MAX_BATCH = 200

    def __init__(self, *, run_sync: RunSync, make_pool: Callable[[], AsyncConnectionPool] | None) -> None:
        """`make_pool` gives a new, closed pool for each `open()`; None reads through the ORM."""
        self._run_sync = run_sync
        self._make_pool = make_pool
        self._pool: AsyncConnectionPool | None = None
        self._pending: dict[str, list[asyncio.Future[Profile | None]]] = {}
        self._in_flight = 0
        self._scheduled = False
        self._tasks: set[asyncio.Task[None]] = set()  # the loop keeps only weak references to tasks

    @classmethod
    def for_database(cls, *, run_sync: RunSync, alias: str = "default") -> "ProfileReader":
        connection = connections[alias]
        if connection.vendor != "postgresql":
            return cls(run_sync=run_sync, make_pool=None)
        return cls(run_sync=run_sync, make_pool=lambda: async_pool_for(connection, size=cls.MAX_IN_FLIGHT))

    async def open(self) -> None:
        if self._make_pool is not None:
            self._pool = self._make_pool()
            await self._pool.open(wait=False)  # connects in the background: start-up never waits on the database

    async def close(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            await pool.close()

    async def get(self, clerk_id: str) -> Profile | None:
        if self._pool is None:  # not PostgreSQL, or used outside the app's lifespan
            return await self._run_sync(read_profile_with_orm, clerk_id)
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Profile | None] = loop.create_future()
        self._pending.setdefault(clerk_id, []).append(future)
        if not self._scheduled:
            self._scheduled = True
            loop.call_soon(self._dispatch)  # after this tick, so requests arriving together share a read
        return await future

    def _dispatch(self) -> None:
        self._scheduled = False
        while self._pending and self._in_flight < self.MAX_IN_FLIGHT:
            ids = list(self._pending)[: self.MAX_BATCH]
            batch = {clerk_id: self._pending.pop(clerk_id) for clerk_id in ids}
            self._in_flight += 1
            task = asyncio.ensure_future(self._read(batch))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _read(self, batch: dict[str, list[asyncio.Future[Profile | None]]]) -> None:
        try:
            profiles = await self._read_from_pool(list(batch))
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

    async def _read_from_pool(self, clerk_ids: list[str]) -> dict[str, Profile]:
        """After a database restart the pooled connections are dead: check them all and retry once."""
        pool = self._pool
        if pool is None:  # closed while this batch waited
            raise psycopg.OperationalError("the profile reader is closed")
        try:
            async with pool.connection() as connection:
                return await read_profiles_in_one_statement(connection, clerk_ids)
        except psycopg.OperationalError:
            await pool.check()
            async with pool.connection() as connection:
                return await read_profiles_in_one_statement(connection, clerk_ids)
