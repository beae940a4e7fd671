"""Calls to the projects API and to GraphQL, as the members `as_member` (tests/conftest.py) signs in."""

from typing import Any

from starlette.testclient import TestClient

from tests.conftest import Headers

PROJECTS = "/api/v1/projects/"
GRAPHQL = "/api/v1/graphql"

__all__ = ["GRAPHQL", "PROJECTS", "Headers", "create", "graphql"]


def create(client: TestClient, headers: Headers, name: str, description: str = "") -> Any:
    return client.post(PROJECTS, json={"name": name, "description": description}, headers=headers)


def graphql(client: TestClient, headers: Headers, query: str, **variables: Any) -> Any:
    return client.post(GRAPHQL, json={"query": query, "variables": variables}, headers=headers)
