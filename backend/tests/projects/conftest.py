"""Calls to the projects API, as the members `as_member` (tests/conftest.py) signs in."""

from typing import Any

from starlette.testclient import TestClient

from tests.conftest import GRAPHQL, Headers, graphql

PROJECTS = "/api/v1/projects/"

__all__ = ["GRAPHQL", "PROJECTS", "Headers", "create", "graphql"]


def create(client: TestClient, headers: Headers, name: str, description: str = "") -> Any:
    return client.post(PROJECTS, json={"name": name, "description": description}, headers=headers)
