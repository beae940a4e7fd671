"""GET /api/v1/auth/me/: the profile as the backend knows it, never "user not found"."""

from collections.abc import Callable
from typing import Any

import pytest
from starlette.testclient import TestClient

from api.schemas import MeOut
from clerk import samples
from testing.fake_clerk import FakeClerk
from users.models import ClerkTombstone, Organization, OrganizationMembership, User
from users.profile_reader import read_profile_with_orm

ME = "/api/v1/auth/me/"


def get_me(client: TestClient, token: str) -> Any:
    return client.get(ME, headers={"Authorization": f"Bearer {token}"})


def seed(deliver: Callable[..., Any], *, user_id: str = "user_test", orgs: int = 2) -> None:
    assert (
        deliver(samples.event("user.created", samples.user_data(user_id=user_id, email="ada@example.com"))).status_code
        == 200
    )
    for n in range(orgs):
        organization = samples.organization_data(organization_id=f"org_{n}", name=f"Org {n}", slug=f"org-{n}")
        membership = samples.membership_data(
            membership_id=f"orgmem_{n}",
            organization=organization,
            user_id=user_id,
            role="org:admin" if n == 0 else "org:member",
        )
        assert deliver(samples.event("organizationMembership.created", membership)).status_code == 200


def test_me_shows_the_synced_profile_and_organizations(
    client: TestClient, token: Callable[..., str], deliver: Callable[..., Any]
) -> None:
    seed(deliver)
    response = get_me(client, token())
    assert response.status_code == 200
    body = response.json()
    assert body["clerk_id"] == "user_test"
    assert body["email"] == "ada@example.com"
    assert (body["first_name"], body["last_name"]) == ("Ada", "Lovelace")
    assert body["image_url"].startswith("https://")
    assert body["profile_complete"] is True
    assert [(o["clerk_id"], o["name"], o["slug"], o["role"]) for o in body["organizations"]] == [
        ("org_0", "Org 0", "org-0", "org:admin"),
        ("org_1", "Org 1", "org-1", "org:member"),
    ]
    assert body["active_organization"] is None
    assert isinstance(body["id"], int)


def test_the_active_organization_comes_from_a_v2_token(
    client: TestClient, token: Callable[..., str], deliver: Callable[..., Any]
) -> None:
    seed(deliver)
    v2 = token(
        v=2, o={"id": "org_1", "rol": "member", "slg": "org-1", "per": "read,manage", "fpm": "1"}, fea="o:dashboard"
    )
    active = get_me(client, v2).json()["active_organization"]
    assert active == {
        "clerk_id": "org_1",
        "slug": "org-1",
        "role": "org:member",
        "permissions": ["org:dashboard:read"],
        "name": "Org 1",
    }


def test_the_active_organization_comes_from_a_v1_token(
    client: TestClient, token: Callable[..., str], deliver: Callable[..., Any]
) -> None:
    seed(deliver)
    v1 = token(
        v=None, org_id="org_0", org_role="org:admin", org_slug="org-0", org_permissions=["org:sys_memberships:read"]
    )
    active = get_me(client, v1).json()["active_organization"]
    assert active["clerk_id"] == "org_0"
    assert active["role"] == "org:admin"
    assert active["permissions"] == ["org:sys_memberships:read"]


def test_the_body_is_exactly_the_documented_shape(
    client: TestClient, token: Callable[..., str], deliver: Callable[..., Any]
) -> None:
    seed(deliver)
    body = get_me(client, token(v=2, o={"id": "org_0", "rol": "admin"})).json()
    # Validation keeps only the documented keys and needs all of them: equal means neither missing nor extra.
    assert MeOut.model_validate(body, strict=True).model_dump(mode="json") == body
    from config.asgi import api_application

    documented = api_application.openapi()["components"]["schemas"]["MeOut"]
    assert set(documented["properties"]) == set(body)
    assert set(documented["required"]) == set(body)


def test_a_user_without_a_row_is_provisioned_just_in_time(client: TestClient, token: Callable[..., str]) -> None:
    response = get_me(client, token(sub="user_brand_new"))
    assert response.status_code == 200
    body = response.json()
    assert body["clerk_id"] == "user_brand_new"
    assert body["profile_complete"] is False
    assert body["organizations"] == []
    user = User.objects.get(clerk_id="user_brand_new")
    assert not user.has_usable_password()
    assert not user.is_staff


def test_the_webhook_completes_the_provisioned_row(
    client: TestClient, token: Callable[..., str], deliver: Callable[..., Any]
) -> None:
    first = get_me(client, token(sub="user_late")).json()
    deliver(samples.event("user.created", samples.user_data(user_id="user_late", email="late@example.com")))
    second = get_me(client, token(sub="user_late", sid="sess_2")).json()
    assert second["id"] == first["id"]
    assert second["email"] == "late@example.com"
    assert second["profile_complete"] is True
    assert User.objects.filter(clerk_id="user_late").count() == 1


def test_with_a_secret_key_the_profile_is_filled_from_the_backend_api(
    client: TestClient, token: Callable[..., str], clerk_backend_api: FakeClerk
) -> None:
    fake_clerk = clerk_backend_api
    fake_clerk.state.users = [
        samples.user_data(user_id="user_api", email="grace@example.com", first_name="Grace", last_name="Hopper")
    ]
    body = get_me(client, token(sub="user_api")).json()
    assert (body["email"], body["first_name"], body["profile_complete"]) == ("grace@example.com", "Grace", True)
    assert fake_clerk.count("/v1/users/user_api") == 1
    get_me(client, token(sub="user_api", sid="sess_again"))
    assert fake_clerk.count("/v1/users/user_api") == 1  # the row exists now: no second call


def test_when_the_backend_api_is_down_the_user_is_still_provisioned(
    client: TestClient, token: Callable[..., str], clerk_env: dict[str, str], configure_clerk: Callable[..., None]
) -> None:
    configure_clerk({**clerk_env, "CLERK_SECRET_KEY": "sk_test_x", "CLERK_API_URL": "http://127.0.0.1:9/v1"})
    response = get_me(client, token(sub="user_offline"))
    assert response.status_code == 200
    assert response.json()["profile_complete"] is False


def test_a_deleted_user_is_never_recreated(
    client: TestClient, token: Callable[..., str], deliver: Callable[..., Any]
) -> None:
    seed(deliver, user_id="user_gone", orgs=0)
    deliver(samples.event("user.deleted", samples.deleted_data(object_id="user_gone", object_type="user")))
    response = get_me(client, token(sub="user_gone"))
    assert response.status_code == 401
    assert response.json()["code"] == "user-deleted"
    assert not User.objects.filter(clerk_id="user_gone").exists()
    assert ClerkTombstone.objects.filter(clerk_id="user_gone").exists()


def test_a_user_clerk_no_longer_knows_is_not_provisioned(
    client: TestClient, token: Callable[..., str], clerk_backend_api: FakeClerk
) -> None:
    response = get_me(client, token(sub="user_unknown_to_clerk"))
    assert response.status_code == 401
    assert not User.objects.filter(clerk_id="user_unknown_to_clerk").exists()


@pytest.mark.parametrize("organizations", [0, 1, 8])
def test_the_profile_read_is_a_fixed_number_of_queries(
    transactional_db: None, django_assert_num_queries: Any, organizations: int
) -> None:
    user = User.objects.create(clerk_id="user_q", email="q@example.com")
    for n in range(organizations):
        org = Organization.objects.create(clerk_id=f"org_q{n}", name=f"Q{n}")
        OrganizationMembership.objects.create(clerk_id=f"orgmem_q{n}", user=user, organization=org, role="org:member")
    with django_assert_num_queries(2):
        profile = read_profile_with_orm("user_q")
    assert profile is not None
    assert len(profile.organizations) == organizations


def test_without_clerk_configuration_protected_routes_answer_503(
    client: TestClient, token: Callable[..., str], configure_clerk: Callable[..., None]
) -> None:
    configure_clerk({})
    response = get_me(client, token())
    assert response.status_code == 503
    assert response.json()["code"] == "authentication-not-configured"


def test_with_the_jwks_unreachable_and_no_keys_protected_routes_answer_503(
    client: TestClient, token: Callable[..., str], clerk_env: dict[str, str], configure_clerk: Callable[..., None]
) -> None:
    env = {k: v for k, v in clerk_env.items() if k != "CLERK_JWT_KEY"}
    configure_clerk({**env, "CLERK_JWKS_URL": "http://127.0.0.1:9/.well-known/jwks.json"})
    response = get_me(client, token())
    assert response.status_code == 503
    assert response.json()["code"] == "signing-keys-unavailable"


def test_someone_acting_for_the_user_is_shown_in_me_and_in_the_request_log(
    client: TestClient, token: Callable[..., str], deliver: Callable[..., Any], caplog: pytest.LogCaptureFixture
) -> None:
    seed(deliver, orgs=0)
    impersonated = token(act={"iss": "https://dashboard.clerk.com", "sid": "sess_admin", "sub": "user_operator"})
    agent = token(act={"sub": "agent_2abc", "type": "agent"}, sid="sess_agent")
    with caplog.at_level("INFO", logger="requests"):
        assert get_me(client, impersonated).json()["actor"] == {"subject": "user_operator", "type": None}
        assert get_me(client, agent).json()["actor"] == {"subject": "agent_2abc", "type": "agent"}
        assert get_me(client, token(sid="sess_self")).json()["actor"] is None
    me_lines = [r for r in caplog.records if r.name == "requests" and getattr(r, "path", "") == ME]
    assert [getattr(r, "actor_id", None) for r in me_lines] == [
        "user_operator",
        "agent_2abc",
        None,
    ]
