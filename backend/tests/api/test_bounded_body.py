"""Every body is bounded before it is read: by its declared length, then byte by byte (config/asgi.py).

Posted straight to the ASGI app (no nginx in front, as when uvicorn is exposed directly):
a huge body is refused after at most its route's limit and a chunk were read, whoever sends
it, to the API, the webhook or Django's admin.
"""

import json
from typing import Any

import pytest

from api.app import API_MAX_BODY_BYTES
from api.routes.webhooks import MAX_BODY_BYTES as WEBHOOK_MAX_BODY_BYTES
from config.asgi import DJANGO_MAX_BODY_BYTES
from tests.asgi import CHUNK, post_streamed

OFFERED = 400 * 1024 * 1024

ROUTES = [
    ("/api/v1/auth/clerk_webhook/", WEBHOOK_MAX_BODY_BYTES),
    ("/api/v1/projects/", API_MAX_BODY_BYTES),
    ("/admin/login/", DJANGO_MAX_BODY_BYTES),
]


@pytest.mark.parametrize(("path", "limit"), ROUTES, ids=["webhook", "api", "admin"])
@pytest.mark.parametrize("declared", [OFFERED, None], ids=["declared-length", "chunked"])
def test_a_huge_body_is_refused_after_reading_at_most_the_limit(
    app: Any, path: str, limit: int, declared: int | None
) -> None:
    answer = post_streamed(app, path, offered=OFFERED, declared_length=declared)
    assert answer.status == 413, answer.body
    if path.startswith("/api/"):
        assert json.loads(answer.body)["code"] == "body-too-large"
    if declared is not None:
        assert answer.read == 0  # refused on its Content-Length alone
    else:
        assert answer.read <= limit + CHUNK
    assert answer.peak_memory < 16 * 1024 * 1024  # a few MiB at most, not 400 MB


@pytest.mark.parametrize(("path", "limit"), ROUTES, ids=["webhook", "api", "admin"])
def test_a_body_within_the_limit_is_read(app: Any, path: str, limit: int, transactional_db: None) -> None:
    answer = post_streamed(app, path, offered=limit, declared_length=limit)
    assert answer.status != 413
    assert answer.read == limit


@pytest.mark.parametrize("declared", ["1e3", "-1", "١٢"], ids=["float", "negative", "arabic-digits"])
def test_a_content_length_that_is_not_a_plain_number_is_refused_unread(app: Any, declared: str) -> None:
    answer = post_streamed(app, "/api/v1/auth/clerk_webhook/", offered=OFFERED, declared_length=declared)
    assert (answer.status, answer.read) == (413, 0)


def test_a_lying_content_length_still_gets_no_more_than_the_limit_read(app: Any) -> None:
    answer = post_streamed(app, "/api/v1/auth/clerk_webhook/", offered=OFFERED, declared_length=1)
    assert answer.status == 413
    assert answer.read <= WEBHOOK_MAX_BODY_BYTES + CHUNK
