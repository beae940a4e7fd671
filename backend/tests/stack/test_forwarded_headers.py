"""What a client claims in X-Forwarded-Proto never reaches the backend through nginx, unless nginx trusts the sender.

The backend runs with DJANGO_HTTPS=1, so Django redirects any request it believes arrived
over plain http: a forged `X-Forwarded-Proto: https` that reached it would get the page.
"""

from collections.abc import Iterator

import pytest
import requests

from devstack.stack import Stack, StackOptions

FORGED = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.66"}


def _stack(database_server_url: str, stack_env: dict[str, str], **options: str) -> Stack:
    env = {**stack_env, "DJANGO_HTTPS": "1"}
    return Stack(StackOptions(env=env, database_server_url=database_server_url, nginx=True, **options)).start()


@pytest.fixture(scope="module")
def stack(database_server_url: str, stack_env: dict[str, str]) -> Iterator[Stack]:
    stack = _stack(database_server_url, stack_env)
    yield stack
    stack.stop()


def test_a_forged_forwarded_proto_does_not_reach_the_backend(stack: Stack) -> None:
    response = requests.get(f"{stack.url}/admin/login/", headers=FORGED, allow_redirects=False, timeout=10)
    assert response.status_code == 301
    assert response.headers["location"].startswith("https://")


def test_the_trusted_proxys_forwarded_proto_reaches_the_backend(
    database_server_url: str, stack_env: dict[str, str]
) -> None:
    trusting = _stack(database_server_url, stack_env, nginx_trusted_proxy="127.0.0.1/32")
    try:
        response = requests.get(f"{trusting.url}/admin/login/", headers=FORGED, allow_redirects=False, timeout=10)
    finally:
        trusting.stop()
    assert response.status_code == 200
    assert "csrfmiddlewaretoken" in response.text
