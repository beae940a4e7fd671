"""GraphQL at /api/v1/graphql: the same rules and data as REST, errors with extension codes, limits."""

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db.backends.signals import connection_created
from django.test import override_settings
from graphql import GraphQLObjectType, get_named_type
from starlette.testclient import TestClient

from api.app import create_app
from api.graphql.router import graphql_router
from clerk.config import ClerkSettings
from tests.projects.conftest import GRAPHQL, PROJECTS, Headers, create, graphql

MemberHeaders = Callable[..., Headers]


def every_field(type_name: str) -> str:
    """The selection of every field of a GraphQL type, nested types included, read from the schema:
    a field added to a REST shape is in these queries, and so compared with REST, without an edit."""
    graphql_type = graphql_router().schema._schema.get_type(type_name)
    assert isinstance(graphql_type, GraphQLObjectType)
    selections = []
    for name, field in graphql_type.fields.items():
        inner = get_named_type(field.type)
        selections.append(f"{name} {every_field(inner.name)}" if isinstance(inner, GraphQLObjectType) else name)
    return "{ " + " ".join(selections) + " }"


PROJECT_FIELDS = every_field("Project")
PROJECTS_QUERY = f"""
query($first: Int!, $after: String) {{
  projects(first: $first, after: $after) {{
    edges {{ cursor node {PROJECT_FIELDS} }}
    pageInfo {{ hasNextPage endCursor }}
  }}
}}"""
ME_QUERY = "{ me " + every_field("Me") + " }"


def camel(value: Any) -> Any:
    """A REST body as GraphQL spells it (Strawberry's default camelCase)."""
    if isinstance(value, dict):
        return {_camel(key): camel(item) for key, item in value.items()}
    if isinstance(value, list):
        return [camel(item) for item in value]
    return value


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def codes(answer: Any) -> list[str]:
    return [error["extensions"]["code"] for error in answer.json()["errors"]]


def test_me_is_the_same_data_as_rest(client: TestClient, as_member: MemberHeaders) -> None:
    ada = as_member("user_ada", "org_acme", "admin")
    rest = client.get("/api/v1/auth/me/", headers=ada).json()
    answer = graphql(client, ada, ME_QUERY)
    assert answer.status_code == 200
    assert answer.json() == {"data": {"me": camel(rest)}}


def test_projects_and_a_project_are_the_same_data_as_rest(client: TestClient, as_member: MemberHeaders) -> None:
    ada = as_member("user_ada", "org_acme")
    for n in range(3):
        create(client, ada, f"P{n}", f"about {n}")
    rest = client.get(PROJECTS, params={"limit": 2}, headers=ada).json()
    page = graphql(client, ada, PROJECTS_QUERY, first=2).json()["data"]["projects"]
    assert [edge["node"] for edge in page["edges"]] == camel(rest["items"])
    assert page["pageInfo"] == {"hasNextPage": True, "endCursor": rest["next_cursor"]}
    rest_next = client.get(PROJECTS, params={"limit": 2, "cursor": rest["next_cursor"]}, headers=ada).json()
    next_page = graphql(client, ada, PROJECTS_QUERY, first=2, after=page["pageInfo"]["endCursor"]).json()
    assert [edge["node"] for edge in next_page["data"]["projects"]["edges"]] == camel(rest_next["items"])
    one = rest["items"][0]
    answer = graphql(client, ada, f"query($id: ID!) {{ project(id: $id) {PROJECT_FIELDS} }}", id=one["id"])
    assert answer.json() == {"data": {"project": camel(one)}}


def test_mutations_follow_the_same_rules_as_rest(client: TestClient, as_member: MemberHeaders) -> None:
    ada, bob, admin = (
        as_member("user_ada", "org_acme"),
        as_member("user_bob", "org_acme"),
        as_member("user_cid", "org_acme", "admin"),
    )
    created = graphql(
        client, ada, f'mutation {{ createProject(name: "Apollo", description: "Moon") {PROJECT_FIELDS} }}'
    )
    project = created.json()["data"]["createProject"]
    assert (project["name"], project["createdBy"]["clerkId"]) == ("Apollo", "user_ada")
    assert client.get(f"{PROJECTS}{project['id']}/", headers=ada).json()["name"] == "Apollo"

    rename = "mutation($id: ID!, $name: String) { updateProject(id: $id, name: $name) { name } }"
    assert codes(graphql(client, bob, rename, id=project["id"], name="Bob's")) == ["FORBIDDEN"]
    assert (
        graphql(client, ada, rename, id=project["id"], name="Gemini").json()["data"]["updateProject"]["name"]
        == "Gemini"
    )
    assert codes(graphql(client, ada, 'mutation { createProject(name: "gemini") { id } }')) == ["CONFLICT"]
    assert codes(graphql(client, ada, 'mutation { createProject(name: "") { id } }')) == ["BAD_USER_INPUT"]

    delete = "mutation($id: ID!) { deleteProject(id: $id) }"
    assert codes(graphql(client, ada, delete, id=project["id"])) == ["FORBIDDEN"]
    assert graphql(client, admin, delete, id=project["id"]).json() == {"data": {"deleteProject": project["id"]}}
    assert codes(graphql(client, admin, f'query {{ project(id: "{project["id"]}") {{ id }} }}')) == ["NOT_FOUND"]


def test_another_organizations_project_is_not_found(client: TestClient, as_member: MemberHeaders) -> None:
    theirs = create(client, as_member("user_eve", "org_globex"), "Secret").json()["id"]
    ada = as_member("user_ada", "org_acme", "admin")
    answer = graphql(client, ada, f'query {{ project(id: "{theirs}") {{ name }} }}')
    assert codes(answer) == ["NOT_FOUND"]
    assert answer.json()["errors"][0]["extensions"]["reason"] == "not-found"
    assert codes(graphql(client, ada, f'mutation {{ deleteProject(id: "{theirs}") }}')) == ["NOT_FOUND"]


@pytest.mark.parametrize("project_id", ["prj_\\u0000", "..", "prj_" + "0" * 24 + "\\u0000"])
def test_an_id_that_cannot_be_a_projects_is_not_found(
    client: TestClient, as_member: MemberHeaders, project_id: str, caplog: pytest.LogCaptureFixture
) -> None:
    ada = as_member("user_ada", "org_acme", "admin")
    answer = graphql(client, ada, f'query {{ project(id: "{project_id}") {{ name }} }}')
    assert codes(answer) == ["NOT_FOUND"]
    assert codes(graphql(client, ada, f'mutation {{ deleteProject(id: "{project_id}") }}')) == ["NOT_FOUND"]
    assert not [record for record in caplog.records if record.levelname in ("ERROR", "WARNING")]


@pytest.mark.parametrize("authorization", [None, "Bearer not.a.token", "Basic dXNlcjpwYXNz"])
def test_without_a_valid_token_nothing_runs_and_the_answer_is_401(
    client: TestClient, authorization: str | None
) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    answer = client.post(GRAPHQL, json={"query": "{ me { clerkId } }"}, headers=headers)
    assert answer.status_code == 401
    assert codes(answer) == ["UNAUTHENTICATED"]
    assert answer.json()["data"] is None
    assert authorization is None or authorization.split()[-1] not in answer.text


def test_without_an_active_organization_projects_are_forbidden(client: TestClient, as_member: MemberHeaders) -> None:
    answer = graphql(client, as_member("user_ada", None), PROJECTS_QUERY, first=5)
    assert codes(answer) == ["FORBIDDEN"]
    assert answer.json()["errors"][0]["extensions"]["reason"] == "no-active-organization"


@pytest.mark.parametrize(
    ("query", "refusal"),
    [
        ("{ me { organizations " + "{ clerkId " * 12 + "}" * 12 + " } }", "exceeds maximum operation depth of 10"),
        ("{ " + " ".join(f"a{n}: me {{ id }}" for n in range(16)) + " }", "aliases"),
        ("{ me { " + "id " * 2100 + "} }", "tokens"),
    ],
    ids=["depth-12", "16-aliases", "2100-tokens"],
)
def test_abusive_queries_are_refused_before_anything_runs(
    client: TestClient, as_member: MemberHeaders, query: str, refusal: str
) -> None:
    answer = graphql(client, as_member("user_ada", "org_acme"), query)
    assert answer.json().get("data") is None
    errors = answer.json()["errors"]
    assert any(refusal in error["message"] for error in errors), errors
    assert {error["extensions"]["code"] for error in errors} == {"GRAPHQL_VALIDATION_FAILED"}


def test_queries_within_the_limits_run(client: TestClient, as_member: MemberHeaders) -> None:
    ada = as_member("user_ada", "org_acme")
    within = (
        "{ "
        + " ".join(f"a{n}: me {{ id }}" for n in range(15))
        + " projects { edges { node { createdBy { clerkId } } } } }"
    )
    answer = graphql(client, ada, within)
    assert "errors" not in answer.json(), answer.json()


def test_introspection_and_graphiql_only_with_debug_or_when_enabled(
    clerk_env: dict[str, str], token: Callable[..., str], transactional_db: None
) -> None:
    introspection = {"query": "{ __schema { queryType { name } } }"}
    signed_in = {"Authorization": f"Bearer {token()}"}
    for debug, enabled, expected in ((False, False, False), (False, True, True), (True, True, True)):
        with override_settings(DEBUG=debug, GRAPHQL_INTROSPECTION=enabled):
            app = create_app(ClerkSettings.from_env(clerk_env))
        with TestClient(app) as client:
            assert client.post(GRAPHQL, json=introspection).status_code == 401  # never for anyone
            answer = client.post(GRAPHQL, json=introspection, headers=signed_in).json()
            assert ("errors" not in answer) is expected, answer
            page = client.get(GRAPHQL, headers={"Accept": "text/html"})
            assert (page.status_code == 200 and "graphiql" in page.text.lower()) is debug


@pytest.fixture
def orm_statements() -> Iterator[list[str]]:
    """Every SQL statement the ORM sends, on whichever worker thread it runs."""
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


@pytest.mark.parametrize("size", [3, 40])
def test_listing_projects_with_their_creators_is_one_statement_whatever_the_page_size(
    client: TestClient, as_member: MemberHeaders, orm_statements: list[str], size: int
) -> None:
    headers = {f"user_{n}": as_member(f"user_{n}", "org_acme") for n in range(5)}
    for n in range(size):
        create(client, headers[f"user_{n % 5}"], f"P{n}")
    ada = headers["user_0"]
    # Every request reads its signed-in user: on PostgreSQL on the profile reader's own pool, which
    # the ORM never sees; on SQLite in two ORM queries. The listing may add one statement to that.
    orm_statements.clear()
    graphql(client, ada, "{ me { id } }")
    reading_the_user = len(orm_statements)
    orm_statements.clear()
    answer = graphql(client, ada, PROJECTS_QUERY, first=size)
    assert len(answer.json()["data"]["projects"]["edges"]) == size
    assert len([sql for sql in orm_statements if "projects_project" in sql]) == 1, orm_statements
    assert len(orm_statements) == reading_the_user + 1, orm_statements
