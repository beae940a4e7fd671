"""A token keeps its organization and role for its minute of life; the webhooks know better as soon as they land.

A review removed a member (the webhook applied, `/me` showing no organizations) and the same token
still created and deleted projects until it expired; a demoted admin kept deleting. Now the synced
membership wins when it is newer than the token, and an organization left after the token was
issued is refused, at no extra query when nothing changed.
"""

import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db.backends.signals import connection_created
from starlette.testclient import TestClient

from clerk import samples

ME = "/api/v1/auth/me/"
PROJECTS = "/api/v1/projects/"
ACME = samples.organization_data(organization_id="org_acme", name="Acme", slug="acme")


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def membership(role: str, *, updated_at: int | None = None) -> dict[str, Any]:
    created = samples.now_ms() - 60_000
    return samples.membership_data(
        membership_id="orgmem_ada",
        organization=ACME,
        user_id="user_ada",
        role=role,
        created_at=created,
        updated_at=updated_at or created,
    )


@pytest.fixture
def ada_in_acme(deliver: Callable[..., Any]) -> Callable[[str], None]:
    """Ada's user and her membership of Acme with `role`, as Clerk's webhooks delivered them."""
    assert deliver(samples.event("user.created", samples.user_data(user_id="user_ada", email="ada@example.com")))
    return lambda role: deliver(samples.event("organizationMembership.created", membership(role)))


def token_of(token: Callable[..., str], role: str, *, issued_ago: int = 30) -> str:
    """Ada's token with Acme active as `role`, issued `issued_ago` seconds ago (still valid)."""
    now = int(time.time())
    iat = now - issued_ago
    org = {"id": "org_acme", "slg": "acme", "rol": role}
    return token(sub="user_ada", o=org, iat=iat, nbf=iat - 10, exp=iat + 60)


def test_a_member_removed_after_the_token_was_issued_is_refused_its_organization(
    client: TestClient, token: Callable[..., str], deliver: Callable[..., Any], ada_in_acme: Callable[[str], None]
) -> None:
    ada_in_acme("org:admin")
    still_valid = bearer(token_of(token, "admin"))
    project = client.post(PROJECTS, json={"name": "Apollo"}, headers=still_valid).json()
    assert client.get(ME, headers=still_valid).json()["active_organization"]["clerk_id"] == "org_acme"

    removed = deliver(samples.event("organizationMembership.deleted", membership("org:admin")))
    assert removed.json()["status"] == "processed"

    me = client.get(ME, headers=still_valid).json()
    assert (me["organizations"], me["active_organization"]) == ([], None)
    for method, path, body in (
        ("POST", PROJECTS, {"name": "After"}),
        ("GET", PROJECTS, None),
        ("DELETE", f"{PROJECTS}{project['id']}/", None),
    ):
        answer = client.request(method, path, json=body, headers=still_valid)
        assert answer.status_code == 403, (method, answer.text)
        assert answer.json()["code"] == "not-a-member"


def test_a_token_issued_after_rejoining_is_not_refused_while_the_new_membership_is_on_its_way(
    client: TestClient, token: Callable[..., str], deliver: Callable[..., Any], ada_in_acme: Callable[[str], None]
) -> None:
    ada_in_acme("org:member")
    deliver(samples.event("organizationMembership.deleted", membership("org:member")))
    time.sleep(1.1)  # the next token is issued a second later: after the removal
    rejoined = bearer(token_of(token, "member", issued_ago=0))
    assert client.post(PROJECTS, json={"name": "Back"}, headers=rejoined).status_code == 201


def test_an_organization_deleted_after_the_token_was_issued_is_refused(
    client: TestClient, token: Callable[..., str], deliver: Callable[..., Any], ada_in_acme: Callable[[str], None]
) -> None:
    ada_in_acme("org:member")
    still_valid = bearer(token_of(token, "member"))
    deliver(
        samples.event("organization.deleted", samples.deleted_data(object_id="org_acme", object_type="organization"))
    )
    assert client.get(PROJECTS, headers=still_valid).json()["code"] == "not-a-member"


def test_a_demoted_admin_acts_with_the_synced_role_not_the_tokens(
    client: TestClient, token: Callable[..., str], deliver: Callable[..., Any], ada_in_acme: Callable[[str], None]
) -> None:
    ada_in_acme("org:admin")
    admin_token = bearer(token_of(token, "admin"))
    project = client.post(PROJECTS, json={"name": "Apollo"}, headers=admin_token).json()
    demoted = membership("org:member", updated_at=samples.now_ms())
    assert deliver(samples.event("organizationMembership.updated", demoted)).json()["status"] == "processed"

    active = client.get(ME, headers=admin_token).json()["active_organization"]
    assert (active["role"], active["permissions"]) == ("org:member", [])
    refused = client.delete(f"{PROJECTS}{project['id']}/", headers=admin_token)
    assert (refused.status_code, refused.json()["code"]) == (403, "not-allowed")


def test_a_membership_row_older_than_the_token_leaves_the_tokens_role(
    client: TestClient, token: Callable[..., str], ada_in_acme: Callable[[str], None]
) -> None:
    ada_in_acme("org:member")  # synced a minute ago; the token (30 s old) says she is an admin since
    promoted_since = bearer(token_of(token, "admin"))
    assert client.get(ME, headers=promoted_since).json()["active_organization"]["role"] == "org:admin"


@pytest.fixture
def orm_statements() -> Iterator[list[str]]:
    seen: list[str] = []
    wrapped: list[Any] = []

    def record(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        seen.append(sql)
        return execute(sql, params, many, context)

    def attach(sender: Any, connection: Any, **kwargs: Any) -> None:
        if record not in connection.execute_wrappers:
            connection.execute_wrappers.append(record)
            wrapped.append(connection)

    connection_created.connect(attach, weak=False)
    yield seen
    connection_created.disconnect(attach)
    for connection in wrapped:
        connection.execute_wrappers.remove(record)


@pytest.mark.postgres
def test_nothing_is_asked_of_the_database_beyond_the_profile_when_nothing_changed(
    client: TestClient, token: Callable[..., str], ada_in_acme: Callable[[str], None], orm_statements: list[str]
) -> None:
    ada_in_acme("org:member")
    member = bearer(token_of(token, "member"))
    assert client.get(ME, headers=member).status_code == 200
    orm_statements.clear()
    assert client.get(ME, headers=member).json()["active_organization"]["role"] == "org:member"
    assert orm_statements == []  # the profile is one statement of its own reader, not the ORM's
