"""The app as a browser (and Clerk's webhook sender) reaches it: through nginx's published port."""

import secrets
from dataclasses import dataclass, field
from typing import Any

import requests

from tests.compose.stack_env import WEBHOOK_PATH, ClerkForTests, cookie_header


@dataclass
class Site:
    base_url: str
    authorized_party: str  # the origin in the session tokens (the browser's origin)
    clerk: ClerkForTests
    # Headers every request carries: in production, those of the load balancer in front of nginx.
    headers: dict[str, str] = field(default_factory=dict)

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("GET", path, **kwargs)

    def request(
        self, method: str, path: str, *, headers: dict[str, str] | None = None, timeout: float = 60, **kwargs: Any
    ) -> requests.Response:
        kwargs.setdefault("allow_redirects", False)
        merged = {**self.headers, **(headers or {})}
        return requests.request(method, self.base_url + path, headers=merged, timeout=timeout, **kwargs)

    def signed_in_get(self, path: str, user_id: str) -> requests.Response:
        cookies = self.clerk.session_cookies(user_id, authorized_party=self.authorized_party)
        return self.get(path, headers={"Cookie": cookie_header(cookies)})

    def deliver(self, payload: dict[str, Any], *, msg_id: str | None = None) -> requests.Response:
        body, headers = self.clerk.delivery(payload, msg_id=msg_id)
        return self.request("POST", WEBHOOK_PATH, data=body, headers=headers)


def new_user() -> tuple[str, str]:
    suffix = secrets.token_hex(6)
    return f"user_compose{suffix}", f"ada.{suffix}@example.com"
