"""Verifying Clerk's webhook deliveries (Svix) and reading their envelope; signing one to try the endpoint."""

import json
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeGuard

from svix.webhooks import Webhook, WebhookVerificationError

from clerk.errors import (
    NotAClerkEvent,
    WebhookHeadersMissing,
    WebhookRejected,
    WebhookSignatureInvalid,
    WebhookTimestampOutsideTolerance,
)
from clerk.ids import is_clerk_id

SVIX_HEADERS = ("svix-id", "svix-timestamp", "svix-signature")
MAX_SVIX_ID_LENGTH = 100
# Clerk's events nest a handful of levels; user-writable metadata could nest thousands,
# which every later step (the event log, the admin's view) would have to survive.
MAX_JSON_DEPTH = 64


@dataclass(frozen=True)
class WebhookDelivery:
    svix_id: str  # the same on every retry of a delivery: the deduplication key
    event_type: str
    data: Mapping[str, Any]
    event: Mapping[str, Any]  # the whole envelope, as stored in the event log

    @property
    def object_id(self) -> str | None:
        """The id of the object the event is about, when it is one (the data is not validated yet)."""
        value = self.data.get("id")
        return value if is_clerk_id(value) else None


class WebhookVerifier:
    def __init__(self, signing_secrets: Sequence[str]) -> None:
        """Any of `signing_secrets` verifies a delivery: the old and the new one while rotating."""
        if not signing_secrets:
            raise ValueError("at least one signing secret is needed")
        self._webhooks = [Webhook(secret) for secret in signing_secrets]

    def verify(self, body: bytes, headers: Mapping[str, str]) -> WebhookDelivery:
        """Check the signature and timestamp on the raw body, then parse the event.

        Raises WebhookRejected with a short reason for anything that is not a
        correctly signed, recent Clerk event.
        """
        svix_headers = {name: headers.get(name, "") for name in SVIX_HEADERS}
        if not all(svix_headers.values()):
            raise WebhookHeadersMissing("missing svix headers")
        if len(svix_headers["svix-id"]) > MAX_SVIX_ID_LENGTH:
            raise WebhookSignatureInvalid("invalid svix-id")
        rejection: WebhookRejected = WebhookSignatureInvalid("invalid signature")
        for webhook in self._webhooks:
            try:
                webhook.verify(body, svix_headers)
            except WebhookVerificationError as error:
                rejection = _rejection(str(error))
                if not isinstance(rejection, WebhookSignatureInvalid):
                    raise rejection from None  # the timestamp or headers: the same under any secret
                continue
            except (ValueError, TypeError):  # malformed signature header or body encoding
                raise WebhookSignatureInvalid("invalid signature") from None
            return parse_event(svix_headers["svix-id"], body)
        raise rejection


def signed_headers(
    secret: str, body: bytes, *, msg_id: str | None = None, timestamp: datetime | None = None
) -> dict[str, str]:
    """The headers Clerk's sender (Svix) sends with `body`, signed with the endpoint's `secret`."""
    msg_id = msg_id or f"msg_{secrets.token_hex(12)}"
    when = timestamp or datetime.now(UTC)
    return {
        "svix-id": msg_id,
        "svix-timestamp": str(int(when.timestamp())),
        "svix-signature": Webhook(secret).sign(msg_id, when, body.decode()),
        "content-type": "application/json",
    }


def parse_event(svix_id: str, body: bytes | str) -> WebhookDelivery:
    try:
        event = json.loads(body)
    except (ValueError, RecursionError):  # RecursionError: nested deeper than the parser goes
        raise NotAClerkEvent("body is not JSON") from None
    if _depth(event) > MAX_JSON_DEPTH:
        raise NotAClerkEvent("body is nested too deeply")
    if not isinstance(event, dict) or event.get("object", "event") != "event":
        raise NotAClerkEvent("body is not a Clerk event")
    event_type, data = event.get("type"), event.get("data")
    if not _is_event_type(event_type) or not isinstance(data, dict):
        raise NotAClerkEvent("body is not a Clerk event")
    return WebhookDelivery(svix_id=svix_id, event_type=event_type, data=data, event=event)


def _is_event_type(value: object) -> TypeGuard[str]:
    return isinstance(value, str) and 0 < len(value) <= 100 and value.isascii() and value.isprintable()


def _depth(value: Any) -> int:
    """How deeply `value` nests lists and objects; iterative, so any depth is measured safely."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, depth)
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return deepest


def _rejection(message: str) -> WebhookRejected:
    """svix's WebhookVerificationError says what failed only in its message."""
    lowered = message.lower()
    if "too old" in lowered or "too new" in lowered:
        return WebhookTimestampOutsideTolerance("timestamp outside tolerance")
    if "missing" in lowered:
        return WebhookHeadersMissing("missing svix headers")
    return WebhookSignatureInvalid("invalid signature")
