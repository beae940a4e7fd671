"""Fixtures shared by the whole suite: generated keys, the composed ASGI app, signed deliveries."""

import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import connection
from starlette.testclient import TestClient

from clerk.publishable_key import make_publishable_key
from tests.support.fake_clerk import FakeClerk, running_fake_clerk
from tests.support.svix import new_signing_secret, signed_delivery
from tests.support.tokens import AUTHORIZED_PARTY, SigningKey, mint, session_claims

FRONTEND_API_HOST = "clerk.example.test"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    on_postgres = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))
    skip = pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL (make test does)")
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(skip)


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
def on_postgres() -> bool:
    return connection.vendor == "postgresql"
