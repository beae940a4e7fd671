"""`python -m api.openapi_schema`: print the API's OpenAPI schema as JSON, without a server.

The frontend's types are generated from it (`make api-types`), and `make test` checks that
the committed ones match it. The schema depends on the code alone: this process reads no
`.env`, no Clerk variable, and connects to no database.
"""

import json
import os
import secrets
import sys
from typing import Any


def openapi_schema() -> dict[str, Any]:
    # The schema never depends on a developer's `.env`; DJANGO_SECRET_KEY is required by the
    # settings, and this process signs nothing, so a throwaway one is enough.
    os.environ["DJANGO_ENV_FILE"] = ""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))

    import django

    django.setup()  # the routes import the models

    from api.app import create_app
    from clerk.config import ClerkSettings

    return create_app(ClerkSettings.from_env({})).openapi()


def main() -> None:
    json.dump(openapi_schema(), sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
