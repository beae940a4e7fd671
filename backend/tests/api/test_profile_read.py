"""The profile reader: one statement shared by concurrent requests on PostgreSQL, equal to the ORM's read.

Its pool connects exactly as Django does: every option of DATABASE_URL applies (a pool
that rebuilt the connection string from name, user, password, host and port accepted a
connection without TLS where `sslmode=require` made Django's own connections refuse).
"""

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import pytest
from django.db import connection
from django.db.backends.postgresql.base import DatabaseWrapper
from psycopg import AsyncCursor

from api.db import run_orm
from users.models import Organization, OrganizationMembership, User
from users.profile_reader import ProfileReader, async_pool_for, read_profiles_with_orm

pytestmark = pytest.mark.postgres
T = TypeVar("T")
STATEMENTS: list[str] = []


class CountingCursor(AsyncCursor[Any]):
    """psycopg's cursor, recording each statement it sends (instrumentation, not a fake)."""

    async def execute(self, query: Any, params: Any = None, **kwargs: Any) -> "CountingCursor":
        STATEMENTS.append(query if isinstance(query, str) else repr(query))
        await super().execute(query, params, **kwargs)
        return self


def with_reader(scenario: Callable[[ProfileReader], Awaitable[T]]) -> T:
    async def run() -> T:
        reader = ProfileReader(
            run_sync=run_orm,
            make_pool=lambda: async_pool_for(
                connection, size=ProfileReader.MAX_IN_FLIGHT, cursor_factory=CountingCursor
            ),
        )
        await reader.open()
        try:
            STATEMENTS.clear()
            return await scenario(reader)
        finally:
            await reader.close()

    return asyncio.run(run())


def make_user(n: int, organizations: int) -> User:
    user = User.objects.create(clerk_id=f"user_{n}", email=f"u{n}@example.com", first_name=f"U{n}", clerk_updated_at=1)
    for j in range(organizations):
        org, _ = Organization.objects.get_or_create(clerk_id=f"org_{j}", defaults={"name": f"Org {j}", "slug": f"o{j}"})
        OrganizationMembership.objects.create(
            clerk_id=f"orgmem_{n}_{j}", user=user, organization=org, role="org:member"
        )
    return user


def orm_profile(clerk_id: str) -> Any:
    return read_profiles_with_orm([clerk_id])[clerk_id]


def test_a_lone_read_is_one_statement_and_equals_the_orms(transactional_db: None) -> None:
    make_user(1, organizations=3)
    profile = with_reader(lambda reader: reader.get("user_1"))
    assert len(STATEMENTS) == 1
    assert profile == orm_profile("user_1")
    assert profile is not None
    assert [o.name for o in profile.organizations] == ["Org 0", "Org 1", "Org 2"]


def test_a_user_without_organizations_or_without_a_row(transactional_db: None) -> None:
    make_user(2, organizations=0)
    lonely, missing = with_reader(lambda reader: asyncio.gather(reader.get("user_2"), reader.get("user_nobody")))
    assert lonely == orm_profile("user_2")
    assert lonely.organizations == []
    assert missing is None


def test_concurrent_reads_share_statements(transactional_db: None) -> None:
    for n in range(10):
        make_user(n, organizations=n % 4)
    asked = [f"user_{n % 10}" for n in range(60)]
    profiles = with_reader(lambda reader: asyncio.gather(*(reader.get(clerk_id) for clerk_id in asked)))
    expected = read_profiles_with_orm([f"user_{n}" for n in range(10)])
    assert [p.clerk_id if p else None for p in profiles] == asked
    assert all(profile == expected[profile.clerk_id] for profile in profiles if profile is not None)
    assert len(STATEMENTS) <= 2  # 60 requests, a couple of statements


def test_a_failed_read_fails_every_waiter(transactional_db: None) -> None:
    async def scenario(reader: ProfileReader) -> list[Any]:
        await reader._pool.close()  # type: ignore[union-attr]  # the database is gone for this pool
        return await asyncio.gather(reader.get("user_a"), reader.get("user_b"), return_exceptions=True)

    results = with_reader(scenario)
    assert len(results) == 2
    assert all(isinstance(result, Exception) for result in results)


def connect_like(options: dict[str, str]) -> tuple[Exception | None, Exception | None]:
    """Connect once as Django would and once through the reader's pool, both with `options` added."""
    wrapper = DatabaseWrapper(
        {**connection.settings_dict, "OPTIONS": {**connection.settings_dict["OPTIONS"], **options}}
    )
    wrapper.settings_dict["OPTIONS"].pop("pool", None)
    django_error: Exception | None = None
    try:
        wrapper.ensure_connection()
        wrapper.close()
    except Exception as error:
        django_error = error

    async def through_pool() -> Exception | None:
        pool = async_pool_for(wrapper, size=1)
        pool.timeout = 3.0
        await pool.open(wait=False)
        try:
            async with pool.connection() as pooled:
                await pooled.execute("SELECT 1")
        except Exception as error:
            return error
        finally:
            await pool.close()
        return None

    return django_error, asyncio.run(through_pool())


def test_the_pool_refuses_a_connection_without_tls_when_the_url_requires_tls(db: None) -> None:
    """This server speaks no TLS: Django refuses to connect with sslmode=require, and so must the reader."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW ssl")
        if cursor.fetchone() == ("on",):
            pytest.skip("this PostgreSQL server offers TLS: the refusal cannot be shown on it")
    django_error, pool_error = connect_like({"sslmode": "require"})
    assert django_error is not None
    assert pool_error is not None


def test_the_pools_connections_carry_the_urls_other_options(db: None) -> None:
    async def application_name() -> str:
        pool = async_pool_for(
            DatabaseWrapper({**connection.settings_dict, "OPTIONS": {"application_name": "profile-reader-test"}}),
            size=1,
        )
        await pool.open(wait=True)
        try:
            async with pool.connection() as pooled:
                row = await (await pooled.execute("SHOW application_name")).fetchone()
        finally:
            await pool.close()
        assert row is not None
        return str(row[0])

    assert asyncio.run(application_name()) == "profile-reader-test"
