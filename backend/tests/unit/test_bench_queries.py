"""make bench's worst GraphQL query is the worst the limits allow: accepted, and one more item refused."""

from collections.abc import Callable

from starlette.testclient import TestClient

from api.graphql import router
from bench import http_load
from tests.conftest import GRAPHQL


def test_the_bench_knows_the_limits_it_measures() -> None:
    assert (http_load.MAX_ITEMS, http_load.MAX_ALIASES) == (router.MAX_ITEMS, router.MAX_ALIASES)


def test_the_worst_query_is_within_the_limits_and_at_them(client: TestClient, token: Callable[..., str]) -> None:
    signed_in = {"Authorization": f"Bearer {token(o={'id': 'org_acme', 'rol': 'admin'})}"}
    answer = client.post(GRAPHQL, json={"query": http_load.GRAPHQL_WORST_QUERY}, headers=signed_in).json()
    assert "errors" not in answer, answer
    one_more = http_load.GRAPHQL_WORST_QUERY.replace("projects(first: 100)", "projects(first: 101)", 1)
    assert "at most 200" in client.post(GRAPHQL, json={"query": one_more}, headers=signed_in).text
