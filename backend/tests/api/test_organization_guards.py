"""Guards on the active organization, its role and its permissions answer 403 with a JSON reason."""

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Depends
from starlette.testclient import TestClient

from api.app import create_app
from api.deps import require_permission, require_role
from clerk import samples
from clerk.config import ClerkSettings

ACTIVE = "/api/v1/organizations/active/"
MEMBERS = "/api/v1/organizations/active/members/"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def seed_acme(deliver: Callable[..., Any]) -> None:
    acme = samples.organization_data(organization_id="org_acme", name="Acme", slug="acme")
    for n, role in enumerate(["org:admin", "org:member"]):
        user = samples.user_data(user_id=f"user_{n}", email=f"person{n}@example.com", first_name=f"Person {n}")
        assert deliver(samples.event("user.created", user)).status_code == 200
        membership = samples.membership_data(
            membership_id=f"orgmem_{n}", organization=acme, user_id=f"user_{n}", role=role
        )
        assert deliver(samples.event("organizationMembership.created", membership)).status_code == 200


def v2_token(token: Callable[..., str], *, role: str, permissions: str = "", fpm: str = "") -> str:
    org = {"id": "org_acme", "slg": "acme", "rol": role, "per": permissions, "fpm": fpm}
    return token(sub="user_0", o=org, fea="o:sys_memberships" if fpm else "")


def test_without_an_active_organization_the_guard_answers_403(client: TestClient, token: Callable[..., str]) -> None:
    response = client.get(ACTIVE, headers=bearer(token()))
    assert response.status_code == 403
    assert response.json()["code"] == "no-active-organization"


def test_the_active_organization_is_shown_with_the_callers_role(
    client: TestClient, token: Callable[..., str], deliver: Callable[..., Any]
) -> None:
    seed_acme(deliver)
    body = client.get(ACTIVE, headers=bearer(v2_token(token, role="member"))).json()
    assert body["name"] == "Acme"
    assert body["member_count"] == 2
    assert body["role"] == "org:member"


def test_members_are_for_the_organizations_admins(
    client: TestClient, token: Callable[..., str], deliver: Callable[..., Any]
) -> None:
    seed_acme(deliver)
    response = client.get(MEMBERS, headers=bearer(v2_token(token, role="member")))
    assert response.status_code == 403
    assert response.json()["code"] == "missing-role"


def test_an_admin_lists_the_members_with_their_roles(
    client: TestClient, token: Callable[..., str], deliver: Callable[..., Any]
) -> None:
    seed_acme(deliver)
    admin = v2_token(token, role="admin")
    members = client.get(MEMBERS, headers=bearer(admin)).json()
    assert [(m["email"], m["role"]) for m in members] == [
        ("person0@example.com", "org:admin"),
        ("person1@example.com", "org:member"),
    ]


def test_guards_still_require_a_valid_session(client: TestClient) -> None:
    response = client.get(MEMBERS)
    assert response.status_code == 401


def test_the_role_guard(client: TestClient, clerk_env: dict[str, str], token: Callable[..., str]) -> None:
    # A route of one's own, guarded by the provided dependency, in an app built like the real one.
    own = APIRouter()

    @own.get("/billing", dependencies=[Depends(require_role("org:admin"))])
    async def billing() -> dict[str, str]:
        return {"ok": "yes"}

    app = create_app(ClerkSettings.from_env(clerk_env))
    app.include_router(own)
    with TestClient(app) as own_client:
        assert own_client.get("/billing", headers=bearer(token())).json()["code"] == "no-active-organization"
        member = v2_token(token, role="member")
        assert own_client.get("/billing", headers=bearer(member)).status_code == 403
        assert own_client.get("/billing", headers=bearer(member)).json()["code"] == "missing-role"
        assert own_client.get("/billing", headers=bearer(v2_token(token, role="admin"))).json() == {"ok": "yes"}


def test_the_permission_guard_with_a_custom_permission_of_a_v2_token(
    client: TestClient, clerk_env: dict[str, str], token: Callable[..., str]
) -> None:
    own = APIRouter()

    @own.get("/reports", dependencies=[Depends(require_permission("org:reports:read"))])
    async def reports() -> dict[str, str]:
        return {"ok": "yes"}

    app = create_app(ClerkSettings.from_env(clerk_env))
    app.include_router(own)
    organization = {"id": "org_acme", "rol": "analyst", "per": "read,manage"}
    with TestClient(app) as own_client:
        without = token(o={**organization, "fpm": "2"}, fea="o:reports")  # manage only
        assert own_client.get("/reports", headers=bearer(without)).json()["code"] == "missing-permission"
        reader = token(o={**organization, "fpm": "1"}, fea="o:reports")
        assert own_client.get("/reports", headers=bearer(reader)).json() == {"ok": "yes"}


def test_a_deleted_user_is_refused_by_every_authenticated_route_not_only_me(
    client: TestClient, token: Callable[..., str], deliver: Callable[..., Any]
) -> None:
    seed_acme(deliver)
    still_valid = v2_token(token, role="admin", permissions="read", fpm="1")
    assert client.get(ACTIVE, headers=bearer(still_valid)).status_code == 200
    deliver(samples.event("user.deleted", samples.deleted_data(object_id="user_0", object_type="user")))
    for route in (ACTIVE, MEMBERS, "/api/v1/auth/me/"):
        response = client.get(route, headers=bearer(still_valid))
        assert response.status_code == 401, route
        assert response.json()["code"] == "user-deleted"
