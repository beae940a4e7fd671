"""`manage.py clerk_webhook <event-type> [--url URL]`: send a signed sample Clerk event (`make webhook`).

Tries the webhook endpoint without a Clerk account: the event comes from
`clerk.samples`, is signed with the svix library and CLERK_WEBHOOK_SIGNING_SECRET
exactly as Clerk's sender signs it, and is POSTed as raw bytes.
"""

import json
import os
from typing import Any

import requests
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from clerk.samples import sample_event
from clerk.webhooks import signed_headers
from users.services.webhooks import handled_event_types

WEBHOOK_PATH = "/api/v1/auth/clerk_webhook/"
DEFAULT_BACKEND_URL = "http://127.0.0.1:8000"


def default_url() -> str:
    """The local backend's webhook URL: BACKEND_INTERNAL_URL (see .env.example), else port 8000."""
    backend = os.environ.get("BACKEND_INTERNAL_URL", "").strip() or DEFAULT_BACKEND_URL
    return backend.rstrip("/") + WEBHOOK_PATH


class Command(BaseCommand):
    help = "Send a signed sample Clerk webhook event to the backend."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("event_type", nargs="?", help="one of the handled event types (see --list)")
        parser.add_argument("--url", help=f"the endpoint (default: $BACKEND_INTERNAL_URL{WEBHOOK_PATH})")
        parser.add_argument("--list", action="store_true", help="print the event types this app handles")
        parser.add_argument("--timeout", type=float, default=10.0, help="seconds to wait for the answer")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["list"]:
            for handled in handled_event_types():
                self.stdout.write(handled)
            return
        event_type: str | None = options["event_type"]
        if event_type not in handled_event_types():
            problem = f"unknown event type {event_type!r}" if event_type else "give an event type"
            raise CommandError(f"{problem}; valid types: {', '.join(handled_event_types())}")
        secret = self._signing_secret()
        url: str = options["url"] or default_url()

        body = json.dumps(sample_event(event_type)).encode()
        headers = signed_headers(secret, body)
        msg_id = headers["svix-id"]
        try:
            response = requests.post(url, data=body, headers=headers, timeout=options["timeout"])
        except requests.ConnectionError:
            raise CommandError(f"could not reach {url}: is the backend running?") from None
        except requests.Timeout:
            raise CommandError(f"could not reach {url}: no answer within {options['timeout']:g} s") from None
        except requests.RequestException as error:
            raise CommandError(f"could not reach {url}: {type(error).__name__}") from None

        self.stdout.write(f"{event_type} → {url}")
        self.stdout.write(f"svix-id: {msg_id}")
        self.stdout.write(f"status: {response.status_code}")
        self.stdout.write(f"body: {response.text}")
        if not response.ok:
            raise CommandError(f"the endpoint answered {response.status_code}: {_detail(response)}")

    def _signing_secret(self) -> str:
        secrets = settings.CLERK.webhook_signing_secrets
        if not secrets:
            raise CommandError(
                "CLERK_WEBHOOK_SIGNING_SECRET is not set: add the endpoint's whsec_… signing secret to .env"
            )
        return secrets[0]  # while rotating, the first listed is the endpoint's current secret


def _detail(response: requests.Response) -> str:
    try:
        detail = response.json().get("detail")
    except (ValueError, AttributeError):
        detail = None
    return str(detail) if detail else response.reason or "error"
