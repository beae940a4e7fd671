"""The hot profile read: one SQL statement that agrees with the ORM, shared by concurrent requests."""

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import pytest
from django.conf import settings
from psycopg import AsyncCursor
from psycopg_pool import AsyncConnectionPool

from api.profile_loader import ProfileLoader
from api.read_pool import build_read_pool
from users.models import Organization, OrganizationMembership, User
from users.selectors import profile_of

pytestmark = pytest.mark.postgres
T = TypeVar("T")
STATEMENTS: list[str] = []


class CountingCursor(AsyncCursor[Any]):
    """psycopg's cursor, recording each statement it sends (instrumentation, not a fake)."""

    async def execute(self, query: Any, params: Any = None, **kwargs: Any) -> "CountingCursor":
        STATEMENTS.append(query if isinstance(query, str) else repr(query))
        await super().execute(query, params, **kwargs)
        return self


def with_loader(scenario: Callable[[ProfileLoader], Awaitable[T]]) -> T:
    async def run() -> T:
        pool = build_read_pool(settings.DATABASES["default"])
        assert isinstance(pool, AsyncConnectionPool)
        pool.kwargs["cursor_factory"] = CountingCursor
        await pool.open(wait=True)
        try:
            STATEMENTS.clear()
            return await scenario(ProfileLoader(pool))
        finally:
            await pool.close()

    return asyncio.run(run())


def make_user(n: int, organizations: int) -> User:
    user = User.objects.create(clerk_id=f"user_{n}", email=f"u{n}@example.com", first_name=f"U{n}", clerk_updated_at=1)
    for j in range(organizations):
        org, _ = Organization.objects.get_or_create(clerk_id=f"org_{j}", defaults={"name": f"Org {j}", "slug": f"o{j}"})
        OrganizationMembership.objects.create(
            clerk_id=f"orgmem_{n}_{j}", user=user, organization=org, role="org:member"
        )
    return user


def test_a_lone_read_is_one_statement_and_matches_the_orm(transactional_db: None) -> None:
    user = make_user(1, organizations=3)
    profile = with_loader(lambda loader: loader.load("user_1"))
    assert len(STATEMENTS) == 1
    assert profile == profile_of(user)


def test_a_user_without_organizations_or_without_a_row(transactional_db: None) -> None:
    user = make_user(2, organizations=0)
    lonely, missing = with_loader(lambda loader: asyncio.gather(loader.load("user_2"), loader.load("user_nobody")))
    assert lonely == profile_of(user)
    assert lonely.organizations == []
    assert missing is None


def test_concurrent_reads_share_statements(transactional_db: None) -> None:
    users = [make_user(n, organizations=n % 4) for n in range(10)]
    asked = [f"user_{n % 10}" for n in range(60)]
    profiles = with_loader(lambda loader: asyncio.gather(*(loader.load(clerk_id) for clerk_id in asked)))
    expected = {user.clerk_id: profile_of(user) for user in users}
    assert [p.clerk_id if p else None for p in profiles] == asked
    assert all(profile == expected[profile.clerk_id] for profile in profiles if profile is not None)
    assert len(STATEMENTS) <= 2  # 60 requests, a couple of statements


def test_a_failed_read_fails_every_waiter(transactional_db: None) -> None:
    async def scenario(loader: ProfileLoader) -> list[Any]:
        await loader._pool.close()  # the database is gone for this pool
        return await asyncio.gather(loader.load("user_a"), loader.load("user_b"), return_exceptions=True)

    results = with_loader(scenario)
    assert len(results) == 2
    assert all(isinstance(result, Exception) for result in results)
