"""Stack tests start real servers (uvicorn, nginx, Next.js) on free ports and print their logs on failure."""

import os
from collections.abc import Iterator

import pytest

from devstack.stack import Stack
from testing.svix import new_signing_secret
from testing.tokens import AUTHORIZED_PARTY, SigningKey, make_publishable_key

pytestmark = pytest.mark.stack


@pytest.fixture(scope="session")
def database_server_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        pytest.skip("stack tests run the backend on PostgreSQL: set DATABASE_URL (make test does)")
    return url


@pytest.fixture(scope="session")
def stack_signing_key() -> SigningKey:
    return SigningKey.generate("ins_stack")


@pytest.fixture(scope="session")
def stack_env(stack_signing_key: SigningKey) -> dict[str, str]:
    return {
        "NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY": make_publishable_key("clerk.example.test"),
        "CLERK_SECRET_KEY": "sk_test_offline",
        "CLERK_JWT_KEY": stack_signing_key.public_pem,
        "CLERK_AUTHORIZED_PARTIES": AUTHORIZED_PARTY,
        "CLERK_WEBHOOK_SIGNING_SECRET": new_signing_secret(),
        # Nothing of Clerk is reachable: JIT provisioning must not wait on api.clerk.com.
        "CLERK_API_URL": "http://127.0.0.1:9/v1",
        "API_DOCS": "1",
    }


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    report = yield
    stack = getattr(item, "funcargs", {}).get("stack")
    if report.failed and isinstance(stack, Stack):
        report.sections.append(("server logs", stack.logs()))
    return report
