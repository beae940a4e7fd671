"""GraphQL does nothing for anyone before it knows who they are, and nothing costly on the event loop.

A review found an unauthenticated 4.9 KB query of 180 inline fragments cost 252 ms of CPU and a
2 MB comment 0.8 s before the 401, and an open WebSocket transport. Now: the session is verified
before the body is read, the body is bounded, a query's length and tokens before it is parsed,
and a new query is validated on a thread of its own (api/graphql/documents.py).
"""

import asyncio
import json
import threading
from collections.abc import Callable
from typing import Any

import pytest
from graphql import GraphQLError
from starlette.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from api.app import API_MAX_BODY_BYTES
from api.graphql.documents import DocumentCache
from api.graphql.router import MAX_QUERY_LENGTH
from tests.asgi import CHUNK, post_streamed

GRAPHQL = "/api/v1/graphql"
TWO_MB = 2 * 1024 * 1024
COSTLY = "{ " + " ".join("... on Query { me { id } }" for _ in range(180)) + " }"


@pytest.mark.parametrize("declared", [TWO_MB, None], ids=["declared-length", "chunked"])
def test_an_unauthenticated_2mb_query_is_answered_401_having_read_nothing(app: Any, declared: int | None) -> None:
    answer = post_streamed(app, GRAPHQL, offered=TWO_MB, declared_length=declared)
    assert answer.status == 401
    assert answer.read == 0  # the body was never read, so never parsed
    body = json.loads(answer.body)
    assert body["data"] is None
    assert body["errors"][0]["extensions"] == {"code": "UNAUTHENTICATED", "reason": "missing-token"}
    assert answer.cpu_seconds < 0.05  # milliseconds: the 0.8 s of parsing a 2 MB comment is gone


def test_an_unauthenticated_costly_query_is_answered_401_unparsed(client_without_database: TestClient) -> None:
    answer = client_without_database.post(
        GRAPHQL, json={"query": COSTLY}, headers={"Authorization": "Bearer not.a.token"}
    )
    assert answer.status_code == 401
    assert answer.headers["www-authenticate"] == "Bearer"
    assert [e["extensions"]["reason"] for e in answer.json()["errors"]] == ["malformed-token"]


@pytest.mark.parametrize("declared", [TWO_MB, None], ids=["declared-length", "chunked"])
def test_a_signed_in_body_past_the_limit_is_refused_after_reading_at_most_the_limit(
    app: Any, token: Callable[..., str], transactional_db: None, declared: int | None
) -> None:
    signed_in = {"Authorization": f"Bearer {token()}"}
    answer = post_streamed(app, GRAPHQL, offered=TWO_MB, declared_length=declared, headers=signed_in)
    assert answer.status == 413
    assert json.loads(answer.body)["code"] == "body-too-large"
    assert answer.read <= (0 if declared else API_MAX_BODY_BYTES + CHUNK)


def test_comments_and_strings_count_toward_the_query_length(client: TestClient, token: Callable[..., str]) -> None:
    signed_in = {"Authorization": f"Bearer {token()}"}
    commented = "{ me { id } }\n#" + "x" * MAX_QUERY_LENGTH
    answer = client.post(GRAPHQL, json={"query": commented}, headers=signed_in)
    assert answer.status_code == 400
    assert "longer than" in answer.json()["errors"][0]["message"]
    within = "{ me { id } }\n#" + "x" * (MAX_QUERY_LENGTH - 100)
    assert "errors" not in client.post(GRAPHQL, json={"query": within}, headers=signed_in).json()


def test_a_body_that_is_not_a_graphql_request_gets_json_not_a_trace(
    client: TestClient, token: Callable[..., str]
) -> None:
    answer = client.post(
        GRAPHQL,
        content=b"{not json",
        headers={"Authorization": f"Bearer {token()}", "Content-Type": "application/json"},
    )
    assert answer.status_code == 400
    assert answer.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


@pytest.mark.parametrize("path", [GRAPHQL, "/admin/", "/api/v1/health"])
@pytest.mark.parametrize("protocol", ["graphql-transport-ws", "graphql-ws"])
def test_websocket_upgrades_are_refused_everywhere(
    client_without_database: TestClient, path: str, protocol: str
) -> None:
    with (
        pytest.raises(WebSocketDisconnect) as refused,
        client_without_database.websocket_connect(path, subprotocols=[protocol]),
    ):
        pass
    assert refused.value.code == 1008


def test_a_new_query_is_validated_once_and_off_the_event_loop() -> None:
    cache = DocumentCache()
    seen_on: list[str] = []

    def validate() -> list[GraphQLError]:
        seen_on.append(threading.current_thread().name)
        return [GraphQLError("refused")]

    async def twice() -> list[list[GraphQLError]]:
        return [await cache.errors(COSTLY, validate), await cache.errors(COSTLY, validate)]

    first, second = asyncio.run(twice())
    assert [e.message for e in first] == [e.message for e in second] == ["refused"]
    assert seen_on == ["graphql-validation_0"]  # once, on the validation thread, not the loop's


def test_the_router_validates_through_the_cache(client: TestClient, token: Callable[..., str]) -> None:
    signed_in = {"Authorization": f"Bearer {token()}"}
    for _ in range(3):
        assert "errors" not in client.post(GRAPHQL, json={"query": "{ me { clerkId } }"}, headers=signed_in).json()
    # Invalid queries are remembered too: the refusal repeats without validating again.
    for _ in range(2):
        errors = client.post(GRAPHQL, json={"query": "{ me { nope } }"}, headers=signed_in).json()["errors"]
        assert "Cannot query field 'nope'" in errors[0]["message"]


def test_the_lists_of_one_query_ask_for_a_bounded_number_of_items(
    client: TestClient, token: Callable[..., str]
) -> None:
    """15 aliases of a 100-item page cost ~0.45 s of the event loop; the lists of a query now share a budget."""
    signed_in = {"Authorization": f"Bearer {token(o={'id': 'org_acme', 'rol': 'admin'})}"}
    page = "edges { node { id } }"
    worst = "{ " + " ".join(f"p{n}: projects(first: 100) {{ {page} }}" for n in range(15)) + " }"
    refused = client.post(GRAPHQL, json={"query": worst}, headers=signed_in).json()
    assert refused["data"] is None
    assert "ask for 1500 items; at most 200" in refused["errors"][0]["message"]
    # Defaults count (20 each), and so do variables.
    defaults = "{ " + " ".join(f"p{n}: projects {{ {page} }}" for n in range(11)) + " }"
    assert "ask for 220 items" in client.post(GRAPHQL, json={"query": defaults}, headers=signed_in).text
    by_variable = {"query": f"query($n: Int!) {{ projects(first: $n) {{ {page} }} }}", "variables": {"n": 500}}
    assert "ask for 500 items" in client.post(GRAPHQL, json=by_variable, headers=signed_in).text
    within = "{ a: projects(first: 100) { " + page + " } b: projects(first: 100) { " + page + " } }"
    assert "errors" not in client.post(GRAPHQL, json={"query": within}, headers=signed_in).json()
