"""Svix deliveries signed as Clerk's sender signs them: with the svix library and the endpoint's secret."""

import base64
import json
import secrets
from datetime import datetime
from typing import Any

from clerk.webhooks import signed_headers


def new_signing_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode("ascii")


def signed_delivery(
    secret: str, event: dict[str, Any] | bytes, *, msg_id: str | None = None, timestamp: datetime | None = None
) -> tuple[bytes, dict[str, str]]:
    """The raw body and headers of a delivery of `event`."""
    body = event if isinstance(event, bytes) else json.dumps(event).encode()
    return body, signed_headers(secret, body, msg_id=msg_id, timestamp=timestamp)
