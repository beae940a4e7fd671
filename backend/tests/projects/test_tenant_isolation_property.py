"""Property: whatever users, organizations, roles and sequence of REST and GraphQL actions, nobody reads,
lists or changes a project outside the active organization of their token, and the role rules hold.

Hypothesis drives a state machine: a model of each organization's projects, and the real
API through REST or GraphQL at random. Every answer is checked against the model, and after
every step each organization's list equals the model's.
"""

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test
from starlette.testclient import TestClient

from tests.examples import property_examples
from tests.projects.conftest import GRAPHQL, PROJECTS

USERS, ORGANIZATIONS = 3, 2
ROLES = ("admin", "member", "billing")
names = st.sampled_from(["Apollo", "apollo", "Gemini", "Mercury", "GEMINI", "Vostok"])
apis = st.sampled_from(["rest", "graphql"])
examples = itertools.count()


@dataclass
class ModelProject:
    id: str
    organization: int
    name: str
    creator: int


# psycopg_pool jitters each new connection's lifetime with `random`, on the server's threads.
@pytest.mark.filterwarnings("ignore:Do not use the `random` module inside strategies")
def test_no_one_reaches_outside_their_active_organization_and_roles_hold(
    client: TestClient, token: Callable[..., str]
) -> None:
    class Tenants(RuleBasedStateMachine):
        @initialize(
            roles=st.lists(st.sampled_from(ROLES), min_size=USERS * ORGANIZATIONS, max_size=USERS * ORGANIZATIONS)
        )
        def setup(self, roles: list[str]) -> None:
            # Ids of this example's own: the database keeps earlier examples' rows.
            self.prefix = f"x{next(examples)}"
            self.roles = {(u, o): roles[u * ORGANIZATIONS + o] for u in range(USERS) for o in range(ORGANIZATIONS)}
            self.projects: dict[str, ModelProject] = {}

        # --- how a user speaks to the API --------------------------------------------------

        def headers(self, user: int, organization: int) -> dict[str, str]:
            org_id = f"org_{self.prefix}_{organization}"
            claims = {"sub": f"user_{self.prefix}_{user}", "o": {"id": org_id, "rol": self.roles[(user, organization)]}}
            return {"Authorization": f"Bearer {token(**claims)}"}

        def call(self, api: str, user: int, organization: int, action: str, **args: Any) -> tuple[int, Any]:
            """(HTTP-like status, body) of `action`, through REST or GraphQL alike."""
            headers = self.headers(user, organization)
            if api == "rest":
                return self.rest(headers, action, **args)
            return self.graphql(headers, action, **args)

        def rest(self, headers: dict[str, str], action: str, **args: Any) -> tuple[int, Any]:
            url = f"{PROJECTS}{args['id']}/" if "id" in args else PROJECTS
            answer = {
                "create": lambda: client.post(url, json={"name": args.get("name")}, headers=headers),
                "list": lambda: client.get(url, params={"limit": 100}, headers=headers),
                "get": lambda: client.get(url, headers=headers),
                "rename": lambda: client.patch(url, json={"name": args.get("name")}, headers=headers),
                "delete": lambda: client.delete(url, headers=headers),
            }[action]()
            body = answer.json() if answer.content else None
            if action == "list" and answer.status_code == 200:
                body = {item["id"] for item in body["items"]}
            return answer.status_code, body

        def graphql(self, headers: dict[str, str], action: str, **args: Any) -> tuple[int, Any]:
            query = {
                "create": "mutation($name: String!) { result: createProject(name: $name) { id name } }",
                "list": "{ result: projects(first: 100) { edges { node { id } } } }",
                "get": "query($id: ID!) { result: project(id: $id) { id name } }",
                "rename": "mutation($id: ID!, $name: String) {"
                " result: updateProject(id: $id, name: $name) { id name } }",
                "delete": "mutation($id: ID!) { result: deleteProject(id: $id) }",
            }[action]
            answer = client.post(GRAPHQL, json={"query": query, "variables": args}, headers=headers).json()
            if answer.get("errors"):
                code = answer["errors"][0]["extensions"]["code"]
                return {"NOT_FOUND": 404, "FORBIDDEN": 403, "CONFLICT": 409, "BAD_USER_INPUT": 422}[code], None
            result = answer["data"]["result"]
            if action == "list":
                return 200, {edge["node"]["id"] for edge in result["edges"]}
            return (204 if action == "delete" else 201 if action == "create" else 200), result

        # --- what the rules say ---------------------------------------------------------------

        def name_taken(self, organization: int, name: str, but: str | None = None) -> bool:
            return any(
                p.organization == organization and p.name.lower() == name.lower() and p.id != but
                for p in self.projects.values()
            )

        def may_change(self, user: int, organization: int, project: ModelProject) -> bool:
            return self.roles[(user, organization)] == "admin" or project.creator == user

        # --- actions ----------------------------------------------------------------------------

        @rule(api=apis, user=st.integers(0, USERS - 1), organization=st.integers(0, ORGANIZATIONS - 1), name=names)
        def create(self, api: str, user: int, organization: int, name: str) -> None:
            status, body = self.call(api, user, organization, "create", name=name)
            if self.name_taken(organization, name):
                assert status == 409
                return
            assert status == 201, body
            self.projects[body["id"]] = ModelProject(body["id"], organization, name, user)

        @rule(
            api=apis,
            user=st.integers(0, USERS - 1),
            organization=st.integers(0, ORGANIZATIONS - 1),
            pick=st.integers(0, 50),
        )
        def read_any_project(self, api: str, user: int, organization: int, pick: int) -> None:
            if not self.projects:
                return
            project = list(self.projects.values())[pick % len(self.projects)]
            status, body = self.call(api, user, organization, "get", id=project.id)
            if project.organization != organization:
                assert status == 404  # not disclosed: never 403
            else:
                assert (status, body["name"]) == (200, project.name)

        @rule(
            api=apis,
            user=st.integers(0, USERS - 1),
            organization=st.integers(0, ORGANIZATIONS - 1),
            pick=st.integers(0, 50),
            name=names,
        )
        def rename_any_project(self, api: str, user: int, organization: int, pick: int, name: str) -> None:
            if not self.projects:
                return
            project = list(self.projects.values())[pick % len(self.projects)]
            status, _ = self.call(api, user, organization, "rename", id=project.id, name=name)
            if project.organization != organization:
                assert status == 404
            elif not self.may_change(user, organization, project):
                assert status == 403
            elif self.name_taken(organization, name, but=project.id):
                assert status == 409
            else:
                assert status == 200
                project.name = name

        @rule(
            api=apis,
            user=st.integers(0, USERS - 1),
            organization=st.integers(0, ORGANIZATIONS - 1),
            pick=st.integers(0, 50),
        )
        def delete_any_project(self, api: str, user: int, organization: int, pick: int) -> None:
            if not self.projects:
                return
            project = list(self.projects.values())[pick % len(self.projects)]
            status, _ = self.call(api, user, organization, "delete", id=project.id)
            if project.organization != organization:
                assert status == 404
            elif self.roles[(user, organization)] != "admin":
                assert status == 403
            else:
                assert status == 204
                del self.projects[project.id]

        @rule(api=apis, user=st.integers(0, USERS - 1), organization=st.integers(0, ORGANIZATIONS - 1))
        def list_projects(self, api: str, user: int, organization: int) -> None:
            status, ids = self.call(api, user, organization, "list")
            assert status == 200
            assert ids == {p.id for p in self.projects.values() if p.organization == organization}

        @invariant()
        def every_list_is_exactly_its_organizations_projects(self) -> None:
            if not hasattr(self, "projects"):
                return
            for organization in range(ORGANIZATIONS):
                _, ids = self.call("rest", 0, organization, "list")
                assert ids == {p.id for p in self.projects.values() if p.organization == organization}

    run_state_machine_as_test(
        Tenants,
        settings=settings(
            max_examples=property_examples(20),
            stateful_step_count=15,
            deadline=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        ),
    )
