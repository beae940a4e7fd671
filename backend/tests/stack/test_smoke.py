"""The whole topology, natively: uvicorn + `next start` + nginx from the project's template."""

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
import requests

from devstack.stack import Stack, StackOptions


@pytest.fixture(scope="module")
def stack(database_server_url: str, stack_env: dict[str, str]) -> Iterator[Stack]:
    options = StackOptions(env=stack_env, database_server_url=database_server_url, frontend=True, nginx=True)
    stack = Stack(options).start()
    yield stack
    stack.stop()


def test_the_landing_page_is_served_by_nextjs(stack: Stack) -> None:
    response = requests.get(f"{stack.url}/", timeout=10)
    assert response.status_code == 200
    assert "text/html" in response.headers["content-type"]
    assert "/_next/static/" in response.text
    asset = re.search(r'"(/_next/static/[^"]+\.js)"', response.text)
    assert asset is not None
    assert requests.get(f"{stack.url}{asset.group(1)}", timeout=10).status_code == 200


def test_health_answers_through_nginx_and_readiness_only_to_the_probes(stack: Stack) -> None:
    assert requests.get(f"{stack.url}/api/v1/health", timeout=10).json() == {"status": "ok"}
    assert requests.get(f"{stack.url}/api/v1/ready", timeout=10).status_code == 404  # the edge
    ready = requests.get(f"{stack.backend_url}/api/v1/ready", timeout=10)  # where a probe asks
    assert (ready.status_code, ready.json()) == (200, {"status": "ok"})


def test_the_api_docs_and_schema_are_served(stack: Stack) -> None:
    schema = requests.get(f"{stack.url}/api/v1/openapi.json", timeout=10).json()
    assert "/api/v1/auth/me/" in schema["paths"]
    assert requests.get(f"{stack.url}/api/v1/docs", timeout=10).status_code == 200


def test_the_admin_login_is_djangos_with_its_css(stack: Stack) -> None:
    page = requests.get(f"{stack.url}/admin/login/", timeout=10)
    assert page.status_code == 200
    assert "csrfmiddlewaretoken" in page.text
    stylesheets = re.findall(r'href="(/static/admin/css/[^"]+\.css)"', page.text)
    assert stylesheets
    for href in stylesheets:
        css = requests.get(f"{stack.url}{href}", timeout=10)
        assert css.status_code == 200
        assert css.headers["content-type"].startswith("text/css")


def test_the_admin_login_form_works_behind_nginx_with_csrf(stack: Stack) -> None:
    session = requests.Session()
    page = session.get(f"{stack.url}/admin/login/", timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert token is not None
    answer = session.post(
        f"{stack.url}/admin/login/",
        data={"csrfmiddlewaretoken": token.group(1), "username": "nobody@example.com", "password": "wrong"},
        headers={"Origin": stack.url, "Referer": f"{stack.url}/admin/login/"},
        timeout=10,
    )
    assert answer.status_code == 200  # the form again with an error, not a 403 CSRF failure
    assert "Please enter the correct email address and password" in answer.text


def test_the_dashboard_without_a_session_redirects_to_sign_in(stack: Stack) -> None:
    response = requests.get(f"{stack.url}/dashboard", allow_redirects=False, timeout=10)
    assert response.status_code in (302, 303, 307, 308)
    assert urlsplit(response.headers["location"]).path == "/sign-in"


@pytest.mark.parametrize("through", ["nginx", "uvicorn"])
def test_websocket_upgrades_are_refused_by_the_real_servers(stack: Stack, through: str) -> None:
    """GraphQL has no subscriptions: `graphql-transport-ws` gets no `connection_ack`, only a 403."""
    import socket

    url = urlsplit(stack.url if through == "nginx" else stack.backend_url)
    request = (
        "GET /api/v1/graphql HTTP/1.1\r\n"
        f"Host: {url.netloc}\r\n"
        "Upgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
        "Sec-WebSocket-Protocol: graphql-transport-ws\r\n\r\n"
    )
    with socket.create_connection((url.hostname, url.port), timeout=10) as connection:
        connection.sendall(request.encode())
        status_line = connection.recv(4096).split(b"\r\n", 1)[0]
    assert status_line.split()[1] == b"403", status_line
