"""Signed Svix deliveries, made with the svix library as Clerk's sender would."""

import base64
import json
import secrets
from datetime import UTC, datetime
from typing import Any

from svix.webhooks import Webhook


def new_signing_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode("ascii")


def signed_delivery(
    secret: str, event: dict[str, Any] | bytes, *, msg_id: str | None = None, timestamp: datetime | None = None
) -> tuple[bytes, dict[str, str]]:
    """The raw body and headers of a delivery of `event`."""
    body = event if isinstance(event, bytes) else json.dumps(event).encode()
    msg_id = msg_id or f"msg_{secrets.token_hex(12)}"
    when = timestamp or datetime.now(UTC)
    signature = Webhook(secret).sign(msg_id, when, body.decode())
    headers = {
        "svix-id": msg_id,
        "svix-timestamp": str(int(when.timestamp())),
        "svix-signature": signature,
        "content-type": "application/json",
    }
    return body, headers
