"""The one nginx template: rendered like the nginx image does, accepted by a real nginx, forwarding as documented.

The forwarding tests put a real nginx with the rendered template in front of an upstream that
answers with the request headers it received, so they see exactly what reaches the backend.
"""

import gzip
import json
import re
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests

from devstack.nginx import NO_TRUSTED_PROXY, nginx_binary, nginx_process, render_template, template_values
from devstack.paths import NGINX_TEMPLATE
from devstack.processes import ManagedProcess, free_port

VALUES = template_values(port=18080, backend="127.0.0.1:18000", frontend="127.0.0.1:13000")
FORGED = {"X-Forwarded-For": "203.0.113.66", "X-Forwarded-Proto": "https"}


def test_only_our_variables_are_substituted_and_nginx_variables_survive() -> None:
    rendered = render_template(VALUES)
    assert "${" not in rendered
    for value in VALUES.values():
        assert value in rendered
    for nginx_variable in ("$http_upgrade", "$http_host", "$remote_addr", "$scheme", "$request_id"):
        assert nginx_variable in rendered


def test_the_native_stack_sets_every_variable_of_the_template() -> None:
    assert set(VALUES) == set(re.findall(r"\$\{([A-Z_]+)\}", NGINX_TEMPLATE.read_text()))


def test_proxy_headers_that_clerk_and_django_need_are_set() -> None:
    rendered = render_template(VALUES)
    for header in ("X-Forwarded-Host", "X-Forwarded-Proto", "X-Forwarded-For", "X-Request-ID", "Upgrade"):
        assert f"proxy_set_header {header} " in rendered
    assert "client_max_body_size" in rendered


@pytest.mark.nginx
def test_a_real_nginx_accepts_the_rendered_configuration(tmp_path: Path) -> None:
    (tmp_path / "default.conf").write_text(render_template(VALUES))
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid; error_log stderr; events {{}}\n"
        f"http {{ include /etc/nginx/mime.types; include {tmp_path}/default.conf; }}\n"
    )
    result = subprocess.run(
        [nginx_binary(), "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"), "-e", "stderr"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


class _EchoHeaders(BaseHTTPRequestHandler):
    """Answers every request with the headers it arrived with; `?frame=SAMEORIGIN` sets its own X-Frame-Options."""

    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        body = json.dumps({"path": self.path, "headers": dict(self.headers.items()), "padding": "x" * 4096}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        if "frame=SAMEORIGIN" in self.path:
            self.send_header("X-Frame-Options", "SAMEORIGIN")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def echo_upstream() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _EchoHeaders)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def _nginx(tmp_path: Path, upstream: str, *, trusted_proxy: str) -> tuple[ManagedProcess, str]:
    port = free_port()
    nginx = nginx_process(
        workdir=tmp_path / "nginx", port=port, backend=upstream, frontend=upstream, trusted_proxy=trusted_proxy
    ).start()
    url = f"http://127.0.0.1:{port}"
    nginx.wait_for_http(f"{url}/api/v1/health")
    return nginx, url


@pytest.fixture
def nginx_trusting_no_one(tmp_path: Path, echo_upstream: str) -> Iterator[str]:
    nginx, url = _nginx(tmp_path, echo_upstream, trusted_proxy=NO_TRUSTED_PROXY)
    yield url
    nginx.stop()


@pytest.fixture
def nginx_behind_a_trusted_proxy(tmp_path: Path, echo_upstream: str) -> Iterator[str]:
    nginx, url = _nginx(tmp_path, echo_upstream, trusted_proxy="127.0.0.1/32")
    yield url
    nginx.stop()


def _received(response: requests.Response) -> dict[str, str]:
    assert response.status_code == 200, response.text
    return {name.lower(): value for name, value in response.json()["headers"].items()}


@pytest.mark.nginx
@pytest.mark.parametrize("path", ["/api/v1/me", "/admin/", "/static/x.css", "/dashboard"])
def test_forged_forwarded_headers_from_a_client_do_not_reach_the_upstream(
    nginx_trusting_no_one: str, path: str
) -> None:
    received = _received(requests.get(nginx_trusting_no_one + path, headers=FORGED, timeout=10))
    assert received["x-forwarded-for"] == "127.0.0.1"  # the peer nginx saw, no list the client wrote
    assert received["x-forwarded-proto"] == "http"  # nginx's own scheme
    assert received["x-real-ip"] == "127.0.0.1"


@pytest.mark.nginx
def test_the_trusted_proxys_forwarded_headers_are_believed(nginx_behind_a_trusted_proxy: str) -> None:
    response = requests.get(nginx_behind_a_trusted_proxy + "/api/v1/me", headers=FORGED, timeout=10)
    received = _received(response)
    assert received["x-forwarded-for"] == "203.0.113.66"
    assert received["x-forwarded-proto"] == "https"
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


@pytest.mark.nginx
def test_readiness_is_not_routed_from_outside(nginx_trusting_no_one: str) -> None:
    assert requests.get(nginx_trusting_no_one + "/api/v1/ready", timeout=10).status_code == 404
    assert requests.get(nginx_trusting_no_one + "/api/v1/health", timeout=10).status_code == 200


@pytest.mark.nginx
def test_plain_http_responses_carry_no_hsts(nginx_trusting_no_one: str) -> None:
    response = requests.get(nginx_trusting_no_one + "/", headers=FORGED, timeout=10)
    assert "Strict-Transport-Security" not in response.headers


@pytest.mark.nginx
def test_each_request_gets_an_id_that_the_upstream_receives_and_the_client_sees(nginx_trusting_no_one: str) -> None:
    first, second = (requests.get(nginx_trusting_no_one + "/api/v1/me", timeout=10) for _ in range(2))
    for response in (first, second):
        request_id = _received(response)["x-request-id"]
        assert re.fullmatch(r"[0-9a-f]{32}", request_id)
        assert response.headers["X-Request-ID"] == request_id
    assert first.headers["X-Request-ID"] != second.headers["X-Request-ID"]


@pytest.mark.nginx
def test_security_headers_are_filled_in_only_where_the_upstream_set_none(nginx_trusting_no_one: str) -> None:
    bare = requests.get(nginx_trusting_no_one + "/", timeout=10)
    assert bare.headers["X-Content-Type-Options"] == "nosniff"
    assert bare.headers["X-Frame-Options"] == "DENY"
    assert bare.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    own = requests.get(nginx_trusting_no_one + "/?frame=SAMEORIGIN", timeout=10)
    assert own.raw.headers.getlist("X-Frame-Options") == ["SAMEORIGIN"]


@pytest.mark.nginx
def test_text_responses_are_gzipped(nginx_trusting_no_one: str) -> None:
    response = requests.get(nginx_trusting_no_one + "/", headers={"Accept-Encoding": "gzip"}, timeout=10, stream=True)
    assert response.headers["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(response.raw.read()))["path"] == "/"


def test_nginx_logs_each_request_as_json_without_its_query_string(tmp_path: Path, echo_upstream: str) -> None:
    nginx, url = _nginx(tmp_path, echo_upstream, trusted_proxy=NO_TRUSTED_PROXY)
    try:
        response = requests.get(url + "/dashboard?__clerk_handshake=secret-token", timeout=10)
    finally:
        nginx.stop()
    lines = [json.loads(line) for line in nginx.log_path.read_text().splitlines() if line.startswith("{")]
    (line,) = [line for line in lines if line["request_id"] == response.headers["X-Request-ID"]]
    assert line["path"] == "/dashboard"
    assert line["status"] == 200
    assert "secret-token" not in nginx.log_path.read_text()
