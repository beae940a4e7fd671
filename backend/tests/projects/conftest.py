"""Members of organizations, signed in with tokens whose active organization the test chooses."""

from collections.abc import Callable
from typing import Any

import pytest
from starlette.testclient import TestClient

from clerk import samples

PROJECTS = "/api/v1/projects/"
GRAPHQL = "/api/v1/graphql"

Headers = dict[str, str]


@pytest.fixture
def as_member(token: Callable[..., str], deliver: Callable[..., Any]) -> Callable[..., Headers]:
    """`as_member(user, org, role)`: headers of a user whose token makes `org` active with `role`.

    The user's and the membership's webhooks are delivered first (once per user and organization),
    as Clerk would have sent them; `synced=False` leaves the organization to arrive later.
    """
    delivered: set[tuple[str, str]] = set()

    def headers(user_id: str, organization_id: str | None, role: str = "member", *, synced: bool = True) -> Headers:
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


def create(client: TestClient, headers: Headers, name: str, description: str = "") -> Any:
    return client.post(PROJECTS, json={"name": name, "description": description}, headers=headers)


def graphql(client: TestClient, headers: Headers, query: str, **variables: Any) -> Any:
    return client.post(GRAPHQL, json={"query": query, "variables": variables}, headers=headers)
