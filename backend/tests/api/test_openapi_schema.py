"""`python -m api.openapi_schema` prints the app's OpenAPI schema offline: the frontend's types come from it."""

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from api.app import create_app
from clerk.config import ClerkSettings

BACKEND_DIR = Path(__file__).resolve().parents[2]


def print_schema(env: dict[str, str]) -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, "-m", "api.openapi_schema"],
        cwd=BACKEND_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return json.loads(result.stdout)


def test_it_prints_the_schema_of_the_configured_app_without_any_configuration(
    tmp_path: Path, clerk_env: dict[str, str]
) -> None:
    # No secret key, no database, no Clerk variable, and a .env that would not even load.
    broken_env_file = tmp_path / ".env"
    broken_env_file.write_text("DATABASE_URL=nonsense\nDJANGO_DEBUG=not-a-boolean\n")
    bare_env = {"PATH": os.environ["PATH"], "DJANGO_ENV_FILE": str(broken_env_file)}

    printed = print_schema(bare_env)

    assert printed == create_app(ClerkSettings.from_env(clerk_env)).openapi()


def test_the_schema_names_the_shapes_the_frontend_reads() -> None:
    schemas = print_schema({"PATH": os.environ["PATH"]})["components"]["schemas"]
    assert {"MeOut", "OrganizationOut", "ActiveOrganizationOut", "ErrorOut", "ErrorCode"} <= set(schemas)
    assert schemas["ErrorOut"]["properties"]["code"] == {"$ref": "#/components/schemas/ErrorCode"}
