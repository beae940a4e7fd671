"""Every error is `{"detail", "code"}`, the code from one enum, mapped in one place (api/errors.py)."""

import re
from collections.abc import Callable
from pathlib import Path

from starlette.testclient import TestClient

from api.errors import ErrorCode

API_DIR = Path(__file__).resolve().parents[2] / "api"


def test_error_answers_have_a_detail_and_a_code_from_the_enum(
    client: TestClient, token: Callable[..., str], webhook_secret: str
) -> None:
    answers = [
        (client.get("/api/v1/nowhere"), 404, "not-found"),
        (client.delete("/api/v1/health"), 405, "method-not-allowed"),
        (client.get("/api/v1/auth/me/"), 401, "missing-token"),
        (client.get("/api/v1/organizations/active/", headers={"Authorization": f"Bearer {token()}"}), 403, None),
        (client.post("/api/v1/auth/clerk_webhook/", content=b"{}"), 400, "missing-svix-headers"),
    ]
    for response, status, code in answers:
        assert response.status_code == status, response.text
        body = response.json()
        assert set(body) == {"detail", "code"}
        assert body["code"] in set(ErrorCode)
        assert code is None or body["code"] == code
        assert 0 < len(body["detail"]) < 120


def test_the_codes_are_kebab_case_and_unique() -> None:
    values = [code.value for code in ErrorCode]
    assert len(values) == len(set(values))
    assert all(re.fullmatch(r"[a-z]+(-[a-z]+)*", value) for value in values)


def test_the_schema_documents_the_error_body_with_every_code(client: TestClient) -> None:
    from config.asgi import api_application

    schema = api_application.openapi()
    assert set(schema["components"]["schemas"]["ErrorCode"]["enum"]) == {code.value for code in ErrorCode}
    me = schema["paths"]["/api/v1/auth/me/"]["get"]["responses"]
    assert me["401"]["content"]["application/json"]["schema"]["$ref"] == "#/components/schemas/ErrorOut"


def test_routes_and_dependencies_let_domain_errors_propagate() -> None:
    """No catching and re-raising as HTTP errors: the handlers in api/errors.py answer them."""
    for path in [*API_DIR.glob("routes/*.py"), API_DIR / "deps.py"]:
        source = path.read_text()
        assert "HTTPException" not in source, path
        assert not re.search(r"except .*(Rejected|UserDeleted|Unavailable|PayloadError)", source), path
