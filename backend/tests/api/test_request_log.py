"""Every request leaves one log line: its id, method, path, status, duration, and who asked."""

import logging
from collections.abc import Callable

import pytest
from starlette.testclient import TestClient


def request_lines(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.name == "requests"]


def test_a_signed_in_request_is_logged_with_its_user_and_organization(
    client: TestClient, token: Callable[..., str], caplog: pytest.LogCaptureFixture
) -> None:
    signed = token(sub="user_logged", o={"id": "org_logged", "rol": "admin", "slg": "logged"})
    with caplog.at_level(logging.INFO, logger="requests"):
        response = client.get("/api/v1/auth/me/", headers={"Authorization": f"Bearer {signed}"})
    assert response.status_code == 200
    [line] = request_lines(caplog)
    assert (line.method, line.path, line.status) == ("GET", "/api/v1/auth/me/", 200)
    assert (line.user_id, line.organization_id) == ("user_logged", "org_logged")
    assert line.duration_ms >= 0
    assert line.request_id == response.headers["x-request-id"]
    assert signed not in caplog.text  # never the token


def test_an_anonymous_request_and_an_admin_page_are_logged_too(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="requests"):
        client.get("/api/v1/auth/me/")
        client.get("/admin/login/")
    lines = request_lines(caplog)
    assert [(line.path, line.status, line.user_id) for line in lines] == [
        ("/api/v1/auth/me/", 401, None),
        ("/admin/login/", 200, None),
    ]


def test_the_proxys_request_id_is_kept_and_echoed(
    client_without_database: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="requests"):
        response = client_without_database.get("/api/v1/health", headers={"X-Request-ID": "3f2a9c1e7b"})
    assert response.headers["x-request-id"] == "3f2a9c1e7b"
    assert request_lines(caplog)[0].request_id == "3f2a9c1e7b"


@pytest.mark.parametrize("forged", [b"", b"a" * 129, b"id with spaces", b"id;drop", "ünïcode".encode()])
def test_a_request_id_that_does_not_look_like_one_is_replaced(
    client_without_database: TestClient, forged: bytes
) -> None:
    response = client_without_database.get("/api/v1/health", headers={b"X-Request-ID": forged})
    echoed = response.headers["x-request-id"]
    assert echoed.encode() != forged
    assert len(echoed) == 32
