"""Next.js sends the security headers itself (next.config.ts), so a deployment without nginx has them
(Kubernetes behind an Ingress controller), and through nginx each arrives once, not once from each."""

import re
from collections.abc import Iterator

import pytest
import requests

from devstack.stack import Stack, StackOptions

SECURITY_HEADERS = {
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), browsing-topics=()",
}
# A page rendered by the server, a protected page the proxy (clerkMiddleware) redirects to
# sign-in, the sign-in page, and a page that does not exist.
PAGES = ["/", "/dashboard", "/sign-in", "/no-such-page"]


@pytest.fixture(scope="module")
def stack(database_server_url: str, stack_env: dict[str, str]) -> Iterator[Stack]:
    options = StackOptions(env=stack_env, database_server_url=database_server_url, frontend=True, nginx=True)
    stack = Stack(options).start()
    yield stack
    stack.stop()


def _security_headers(response: requests.Response) -> dict[str, list[str]]:
    """Each security header's values as they came over the wire, repeats included."""
    return {name: response.raw.headers.getlist(name) for name in SECURITY_HEADERS}


def _once_each() -> dict[str, list[str]]:
    return {name: [value] for name, value in SECURITY_HEADERS.items()}


@pytest.mark.parametrize("path", PAGES)
def test_nextjs_itself_sends_the_security_headers(stack: Stack, path: str) -> None:
    response = requests.get(f"{stack.frontend_url}{path}", allow_redirects=False, timeout=30)
    assert response.status_code < 500, response.text[:500]
    assert _security_headers(response) == _once_each()


def test_nextjs_sends_them_with_its_static_assets(stack: Stack) -> None:
    page = requests.get(f"{stack.frontend_url}/", timeout=30)
    asset = re.search(r'"(/_next/static/[^"]+\.js)"', page.text)
    assert asset is not None
    response = requests.get(f"{stack.frontend_url}{asset.group(1)}", timeout=30)
    assert response.status_code == 200
    assert _security_headers(response) == _once_each()


@pytest.mark.parametrize("path", PAGES)
def test_through_nginx_each_security_header_arrives_once(stack: Stack, path: str) -> None:
    response = requests.get(f"{stack.url}{path}", allow_redirects=False, timeout=30)
    assert response.status_code < 500, response.text[:500]
    assert _security_headers(response) == _once_each()
