"""Fixtures shared by the whole suite: generated keys, the composed ASGI app, signed deliveries."""

import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import connection
from hypothesis import settings as hypothesis_settings
from starlette.testclient import TestClient

from clerk import samples
from devstack.nginx import nginx_binary
from testing.fake_clerk import FakeClerk, running_fake_clerk
from testing.svix import new_signing_secret, signed_delivery
from testing.tokens import AUTHORIZED_PARTY, SigningKey, make_publishable_key, mint, session_claims

FRONTEND_API_HOST = "clerk.example.test"
GRAPHQL = "/api/v1/graphql"
Headers = dict[str, str]

# `make test` runs each Hypothesis property with the examples its test asks for (Hypothesis's
# default profile, or its "ci" profile where CI is set). `make check` loads this one
# (`--hypothesis-profile=quick`): a tenth of them, enough for a property broken outright to fail
# within seconds; the rare orderings are the full run's to find. Properties that name their own
# count scale it with tests.examples.property_examples.
hypothesis_settings.register_profile("quick", max_examples=10)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked `postgres` or `nginx` are skipped, with the reason, where that is missing
    (`make check` on the SQLite default, a machine without nginx); `make test` has both."""
    missing = {}
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        missing["postgres"] = "needs PostgreSQL: DATABASE_URL=postgres://… (make check TEST_DATABASE_URL=…)"
    try:
        nginx_binary()
    except FileNotFoundError:
        missing["nginx"] = "needs nginx: install it (make test does)"
    for item in items:
        for marker, reason in missing.items():
            if marker in item.keywords:
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def signing_key() -> SigningKey:
    return SigningKey.generate("ins_test_primary")


@pytest.fixture(scope="session")
def other_key() -> SigningKey:
    return SigningKey.generate("ins_test_other")


@pytest.fixture
def webhook_secret() -> str:
    return new_signing_secret()


@pytest.fixture
def clerk_env(signing_key: SigningKey, webhook_secret: str) -> dict[str, str]:
    """The variables a user pastes from Clerk's dashboard, with keys generated here."""
    return {
        "NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY": make_publishable_key(FRONTEND_API_HOST),
        "CLERK_JWT_KEY": signing_key.public_pem,
        "CLERK_AUTHORIZED_PARTIES": AUTHORIZED_PARTY,
        "CLERK_WEBHOOK_SIGNING_SECRET": webhook_secret,
    }


@pytest.fixture
def configure_clerk() -> Iterator[Callable[[dict[str, str]], None]]:
    """Point the composed app's Clerk state at a test environment; restored afterwards."""
    from api.clerk_state import clerk_state
    from clerk.config import ClerkSettings
    from config.asgi import api_application

    original = api_application.state.clerk

    def configure(env: dict[str, str]) -> None:
        api_application.state.clerk = clerk_state(ClerkSettings.from_env(env))

    yield configure
    api_application.state.clerk = original


@pytest.fixture
def use_clerk(settings: Any) -> Callable[[dict[str, str]], None]:
    """Point `settings.CLERK` (what the management commands read) at a test environment; restored afterwards."""
    from clerk.config import ClerkSettings

    def use(env: dict[str, str]) -> None:
        settings.CLERK = ClerkSettings.from_env(env)

    return use


@pytest.fixture
def app(clerk_env: dict[str, str], configure_clerk: Callable[[dict[str, str]], None]) -> Any:
    from config.asgi import application

    configure_clerk(clerk_env)
    return application


@pytest.fixture
def client(app: Any, transactional_db: None) -> Iterator[TestClient]:
    """HTTP client for `config.asgi:application`. The API's ORM work runs on its own
    threads and connections, so tests commit for real (transactional_db)."""
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def client_without_database(app: Any, django_db_setup: None) -> Iterator[TestClient]:
    """HTTP client for requests that never reach the database (refused before it, or the health
    check). The ORM stays blocked (pytest-django), so a request that reached it would fail the
    test, and no committed rows are left to empty: on PostgreSQL, emptying the tables after a
    `client` test takes longer than most such tests."""
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def token(signing_key: SigningKey) -> Callable[..., str]:
    """Mint a valid session token; keyword arguments override claims."""

    def make(**claims: Any) -> str:
        return mint(signing_key, session_claims(**claims))

    return make


@pytest.fixture
def deliver(client: TestClient, webhook_secret: str) -> Callable[..., Any]:
    """POST a signed delivery of `event` to the webhook endpoint, as raw bytes."""

    def send(event: dict[str, Any], *, msg_id: str | None = None) -> Any:
        body, headers = signed_delivery(webhook_secret, event, msg_id=msg_id)
        return client.post("/api/v1/auth/clerk_webhook/", content=body, headers=headers)

    return send


@pytest.fixture
def fake_clerk() -> Iterator[FakeClerk]:
    with running_fake_clerk() as fake:
        yield fake


@pytest.fixture
def clerk_backend_api(
    fake_clerk: FakeClerk, clerk_env: dict[str, str], configure_clerk: Callable[[dict[str, str]], None]
) -> FakeClerk:
    """The app configured with a secret key for the fake Clerk's Backend API (just-in-time provisioning)."""
    configure_clerk({**clerk_env, "CLERK_SECRET_KEY": fake_clerk.state.secret_key, "CLERK_API_URL": fake_clerk.api_url})
    return fake_clerk


@pytest.fixture
def refuse_inserts(transactional_db: None) -> Iterator[Callable[..., Callable[[], None]]]:
    """`refuse_inserts(table, sqlstate)`: PostgreSQL refuses new rows of `table` with that error
    (a trigger: a real failure of the real database). Returns a function that lifts it."""
    created: list[str] = []

    def lift(table: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TRIGGER IF EXISTS test_refuse_{table} ON {table}")
            cursor.execute(f"DROP FUNCTION IF EXISTS test_refuse_{table}()")

    def refuse(table: str, sqlstate: str = "P0001") -> Callable[[], None]:
        with connection.cursor() as cursor:
            cursor.execute(
                f"CREATE FUNCTION test_refuse_{table}() RETURNS trigger LANGUAGE plpgsql AS"
                f" $$ BEGIN RAISE EXCEPTION 'writes to % refused', TG_TABLE_NAME USING ERRCODE = '{sqlstate}'; END $$"
            )
            cursor.execute(
                f"CREATE TRIGGER test_refuse_{table} BEFORE INSERT ON {table}"
                f" FOR EACH ROW EXECUTE FUNCTION test_refuse_{table}()"
            )
        created.append(table)
        return lambda: lift(table)

    yield refuse
    for table in created:
        lift(table)


@pytest.fixture
def on_postgres() -> bool:
    return connection.vendor == "postgresql"


@pytest.fixture
def as_member(token: Callable[..., str], deliver: Callable[..., Any]) -> Callable[..., Headers]:
    """`as_member(user, org, role)`: headers of a user whose token makes `org` active with `role`.

    The user's and the membership's webhooks are delivered first (once per user and organization),
    as Clerk would have sent them; `synced=False` leaves the organization to arrive later.
    """
    delivered: set[tuple[str, str]] = set()

    def headers(
        user_id: str, organization_id: str | None, role: str = "member", *, synced: bool = True
    ) -> dict[str, str]:
        if organization_id is not None and synced and (user_id, organization_id) not in delivered:
            user = samples.user_data(user_id=user_id, email=f"{user_id}@example.com", first_name=user_id.title())
            deliver(samples.event("user.created", user))
            organization = samples.organization_data(organization_id=organization_id, name=organization_id.upper())
            membership = samples.membership_data(
                membership_id=f"orgmem_{user_id}_{organization_id}",
                organization=organization,
                user_id=user_id,
                role=f"org:{role}",
            )
            deliver(samples.event("organizationMembership.created", membership))
            delivered.add((user_id, organization_id))
        claims: dict[str, Any] = {"sub": user_id, "sid": f"sess_{user_id}"}
        if organization_id is not None:
            claims["o"] = {"id": organization_id, "rol": role, "slg": organization_id.replace("_", "-")}
        return {"Authorization": f"Bearer {token(**claims)}"}

    return headers


def graphql(client: TestClient, headers: Headers, query: str, **variables: Any) -> Any:
    """POST a GraphQL query (with its variables) as the member whose `headers` these are."""
    return client.post(GRAPHQL, json={"query": query, "variables": variables}, headers=headers)
