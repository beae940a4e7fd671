"""REST /api/v1/projects/: the active organization's projects, its members' rules, nothing of anyone else's."""

from collections.abc import Callable
from typing import Any

import pytest
from starlette.testclient import TestClient

from clerk import samples
from projects.models import Project
from projects.selectors import project_page
from tests.projects.conftest import PROJECTS, Headers, create
from users.models import Organization

MemberHeaders = Callable[..., Headers]


def test_a_member_creates_a_project_and_sees_it(client: TestClient, as_member: MemberHeaders) -> None:
    ada = as_member("user_ada", "org_acme")
    created = create(client, ada, "Apollo", "To the moon")
    assert created.status_code == 201
    body = created.json()
    assert body["id"].startswith("prj_")
    assert (body["name"], body["description"]) == ("Apollo", "To the moon")
    assert body["created_by"] == {"clerk_id": "user_ada", "name": "User_Ada Lovelace"}
    assert set(body) == {"id", "name", "description", "created_by", "created_at", "updated_at"}
    assert client.get(f"{PROJECTS}{body['id']}/", headers=ada).json() == body
    assert client.get(PROJECTS, headers=ada).json() == {"items": [body], "next_cursor": None}


def test_the_list_is_newest_first_a_page_at_a_time(client: TestClient, as_member: MemberHeaders) -> None:
    ada = as_member("user_ada", "org_acme")
    names = [f"Project {n}" for n in range(7)]
    for name in names:
        create(client, ada, name)
    seen, cursor = [], None
    while True:
        page = client.get(PROJECTS, params={"limit": 3, **({"cursor": cursor} if cursor else {})}, headers=ada).json()
        seen += [item["name"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == list(reversed(names))


def test_another_organizations_project_is_not_found_never_forbidden(
    client: TestClient, as_member: MemberHeaders
) -> None:
    theirs = create(client, as_member("user_eve", "org_globex", "admin"), "Secret").json()["id"]
    ada_admin = as_member("user_ada", "org_acme", "admin")
    for answer in (
        client.get(f"{PROJECTS}{theirs}/", headers=ada_admin),
        client.patch(f"{PROJECTS}{theirs}/", json={"name": "Mine now"}, headers=ada_admin),
        client.delete(f"{PROJECTS}{theirs}/", headers=ada_admin),
    ):
        assert answer.status_code == 404
        assert answer.json()["code"] == "not-found"
    assert client.get(PROJECTS, headers=ada_admin).json()["items"] == []
    assert Project.objects.get(public_id=theirs).name == "Secret"


def test_the_creator_or_an_admin_updates_only_an_admin_deletes(client: TestClient, as_member: MemberHeaders) -> None:
    creator, other, admin = (
        as_member("user_ada", "org_acme"),
        as_member("user_bob", "org_acme"),
        as_member("user_cid", "org_acme", "admin"),
    )
    project = create(client, creator, "Apollo").json()["id"]
    url = f"{PROJECTS}{project}/"
    refused = client.patch(url, json={"name": "Bob's"}, headers=other)
    assert (refused.status_code, refused.json()["code"]) == (403, "not-allowed")
    assert client.patch(url, json={"description": "by Ada"}, headers=creator).json()["description"] == "by Ada"
    assert client.patch(url, json={"name": "Gemini"}, headers=admin).json()["name"] == "Gemini"
    for member in (creator, other):
        refused = client.delete(url, headers=member)
        assert (refused.status_code, refused.json()["code"]) == (403, "not-allowed")
    assert client.delete(url, headers=admin).status_code == 204
    assert client.get(url, headers=admin).status_code == 404


def test_without_an_active_organization_projects_are_refused(client: TestClient, as_member: MemberHeaders) -> None:
    personal = as_member("user_ada", None)
    for answer in (client.get(PROJECTS, headers=personal), create(client, personal, "Mine")):
        assert (answer.status_code, answer.json()["code"]) == (403, "no-active-organization")


def test_names_are_unique_per_organization_whatever_the_letter_case(
    client: TestClient, as_member: MemberHeaders
) -> None:
    ada = as_member("user_ada", "org_acme")
    assert create(client, ada, "Apollo").status_code == 201
    taken = create(client, ada, "  APOLLO ")
    assert (taken.status_code, taken.json()["code"]) == (409, "name-taken")
    other = create(client, ada, "Gemini").json()["id"]
    renamed = client.patch(f"{PROJECTS}{other}/", json={"name": "apollo"}, headers=ada)
    assert (renamed.status_code, renamed.json()["code"]) == (409, "name-taken")
    assert create(client, as_member("user_eve", "org_globex"), "Apollo").status_code == 201  # another organization


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "   "}, "name"),
        ({"name": "x" * 101}, "name"),
        ({"name": "nul\x00"}, "name"),
        ({"name": "ok", "description": "d" * 2001}, "description"),
        ({"name": "ok", "description": "bell\x07"}, "description"),
        ({"description": "no name"}, "name"),
        ({"name": 42}, "name"),
        ({"name": "ok", "owner": "user_eve"}, "owner"),
    ],
)
def test_a_value_the_rules_refuse_is_422_naming_the_field(
    client: TestClient, as_member: MemberHeaders, body: dict[str, Any], field: str
) -> None:
    answer = client.post(PROJECTS, json=body, headers=as_member("user_ada", "org_acme"))
    assert answer.status_code == 422
    assert answer.json()["code"] == "invalid-request"
    assert answer.json()["detail"].startswith(f"invalid {field}")


@pytest.mark.parametrize(
    ("params", "field"),
    [({"limit": 0}, "limit"), ({"limit": 101}, "limit"), ({"cursor": "nope"}, "cursor"), ({"limit": "x"}, "limit")],
)
def test_a_bad_limit_or_cursor_is_422_naming_it(
    client: TestClient, as_member: MemberHeaders, params: dict[str, Any], field: str
) -> None:
    answer = client.get(PROJECTS, params=params, headers=as_member("user_ada", "org_acme"))
    assert (answer.status_code, answer.json()["detail"].split(":")[0]) == (422, f"invalid {field}")


def test_before_the_organizations_webhook_a_stand_in_holds_the_project_until_it_arrives(
    client: TestClient, as_member: MemberHeaders, deliver: Callable[..., Any]
) -> None:
    ada = as_member("user_ada", "org_new", synced=False)
    assert create(client, ada, "Early").status_code == 201
    stand_in = Organization.objects.get(clerk_id="org_new")
    assert (stand_in.slug, stand_in.clerk_updated_at) == ("org-new", None)
    deliver(samples.event("organization.created", samples.organization_data(organization_id="org_new", name="New")))
    assert Organization.objects.get(clerk_id="org_new").name == "New"
    assert [p["name"] for p in client.get(PROJECTS, headers=ada).json()["items"]] == ["Early"]


def test_deleting_the_organization_deletes_its_projects_deleting_a_user_keeps_theirs(
    client: TestClient, as_member: MemberHeaders, deliver: Callable[..., Any]
) -> None:
    ada, eve = as_member("user_ada", "org_acme"), as_member("user_eve", "org_globex")
    kept = create(client, ada, "Apollo").json()["id"]
    create(client, eve, "Gone")
    deliver(samples.event("user.deleted", samples.deleted_data(object_id="user_ada", object_type="user")))
    assert Project.objects.get(public_id=kept).created_by is None
    admin = as_member("user_cid", "org_acme", "admin")
    assert client.get(f"{PROJECTS}{kept}/", headers=admin).json()["created_by"] is None
    deliver(
        samples.event("organization.deleted", samples.deleted_data(object_id="org_globex", object_type="organization"))
    )
    assert not Project.objects.filter(name="Gone").exists()


@pytest.mark.parametrize("size", [5, 60])
def test_a_page_with_its_creators_is_one_statement_whatever_its_size(
    db: None, django_assert_num_queries: Any, size: int
) -> None:
    from users.models import User

    organization = Organization.objects.create(clerk_id="org_q", name="Q")
    for n in range(size):
        creator = User.objects.create(clerk_id=f"user_q{n}", first_name=f"Q{n}")
        Project.objects.create(organization=organization, name=f"P{n}", created_by=creator)
    with django_assert_num_queries(1):
        page = project_page("org_q", limit=size)
        names = [(p["name"], p["creator_first_name"]) for p in page.items]
    assert len(names) == size


@pytest.mark.parametrize("project_id", ["prj_%00", "prj_%00abc", "%2E", "%2E%2E", "prj_" + "a" * 24 + "%00"])
def test_an_id_that_cannot_be_a_projects_is_not_found_without_asking_the_database(
    client: TestClient, as_member: MemberHeaders, project_id: str, caplog: pytest.LogCaptureFixture
) -> None:
    ada = as_member("user_ada", "org_acme", "admin")
    for method in ("GET", "PATCH", "DELETE"):
        answer = client.request(method, f"{PROJECTS}{project_id}/", json={"name": "x"}, headers=ada)
        assert answer.status_code == 404, answer.text
        assert answer.json()["code"] == "not-found"
    assert not [record for record in caplog.records if record.levelname in ("ERROR", "WARNING")]


def test_a_cursor_hiding_a_nul_is_refused_as_bad_input(client: TestClient, as_member: MemberHeaders) -> None:
    import base64

    cursor = base64.urlsafe_b64encode(b"2026-01-01T00:00:00+00:00|prj_\x00").decode().rstrip("=")
    answer = client.get(PROJECTS, params={"cursor": cursor}, headers=as_member("user_ada", "org_acme"))
    assert answer.status_code == 422
    assert answer.json()["code"] == "invalid-request"


def test_a_creator_without_a_name_is_shown_without_one_never_by_their_email(
    client: TestClient, as_member: MemberHeaders, deliver: Callable[..., Any]
) -> None:
    ada = as_member("user_ada", "org_acme")
    nameless = samples.user_data(user_id="user_ada", email="ada@example.com", first_name="", last_name="")
    deliver(samples.event("user.updated", {**nameless, "updated_at": samples.now_ms() + 1000}))
    body = create(client, ada, "Apollo").json()
    assert body["created_by"] == {"clerk_id": "user_ada", "name": ""}
    assert "ada@example.com" not in client.get(PROJECTS, headers=ada).text
