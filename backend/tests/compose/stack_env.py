"""Clerk as the compose tests play it (keys, session cookies, signed deliveries) and the stacks' variables."""

import secrets
import time
from dataclasses import dataclass
from typing import Any

from clerk.samples import event, user_data
from devstack.processes import free_port
from testing.svix import new_signing_secret, signed_delivery
from testing.tokens import ISSUER, SigningKey, make_publishable_key, mint, session_claims
from tests.compose.engine import PrivateEngine
from tests.compose.project import REPO_ROOT

FRONTEND_API_HOST = ISSUER.removeprefix("https://")
# What a browser would use in production: the domain the load balancer serves over https.
PRODUCTION_HOST = "app.example.test"
PRODUCTION_ORIGIN = f"https://{PRODUCTION_HOST}"
# An address the "load balancer" reports for the browser (TEST-NET-3, never routed).
BROWSER_ADDRESS = "203.0.113.7"
WEBHOOK_PATH = "/api/v1/auth/clerk_webhook/"


@dataclass(frozen=True)
class ClerkForTests:
    signing_key: SigningKey
    webhook_secret: str
    publishable_key: str

    @classmethod
    def generate(cls) -> "ClerkForTests":
        return cls(
            signing_key=SigningKey.generate("ins_compose"),
            webhook_secret=new_signing_secret(),
            publishable_key=make_publishable_key(FRONTEND_API_HOST),
        )

    def env(self, *, authorized_party: str) -> dict[str, str]:
        return {
            "NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY": self.publishable_key,
            "CLERK_SECRET_KEY": "sk_live_offline",
            # One line, double-quoted so that compose (and Next.js) turn its \n escapes into newlines.
            "CLERK_JWT_KEY": '"' + self.signing_key.public_pem.strip().replace("\n", "\\n") + '"',
            "CLERK_AUTHORIZED_PARTIES": authorized_party,
            "CLERK_WEBHOOK_SIGNING_SECRET": self.webhook_secret,
            # Nothing of Clerk is reachable: just-in-time provisioning must fail fast, not hang.
            "CLERK_API_URL": "http://127.0.0.1:9/v1",
        }

    def session_cookies(self, user_id: str, *, authorized_party: str) -> dict[str, str]:
        """The cookies Clerk's browser code keeps for a signed-in user: `__session` and `__client_uat`."""
        issued_at = int(time.time()) - 5
        claims = session_claims(
            sub=user_id,
            sid=f"sess_{user_id.removeprefix('user_')}",
            azp=authorized_party,
            iat=issued_at,
            nbf=issued_at,
            exp=issued_at + 600,  # nothing refreshes it offline; long enough for a slow machine
        )
        return {"__session": mint(self.signing_key, claims), "__client_uat": str(issued_at)}

    def bearer(self, user_id: str, *, authorized_party: str) -> dict[str, str]:
        return {
            "Authorization": f"Bearer {self.session_cookies(user_id, authorized_party=authorized_party)['__session']}"
        }

    def user_created(self, *, user_id: str, email: str, updated_at: int | None = None) -> dict[str, Any]:
        return event("user.created", user_data(user_id=user_id, email=email, updated_at=updated_at))

    def delivery(self, payload: dict[str, Any], *, msg_id: str | None = None) -> tuple[bytes, dict[str, str]]:
        body, headers = signed_delivery(self.webhook_secret, payload, msg_id=msg_id or f"msg_{secrets.token_hex(12)}")
        return body, {**headers, "Content-Type": "application/json"}


def cookie_header(cookies: dict[str, str]) -> str:
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def env_example() -> dict[str, str]:
    """.env.example's variables: what `make up` starts from."""
    values = {}
    for line in (REPO_ROOT / ".env.example").read_text().splitlines():
        if line and not line.startswith("#") and "=" in line:
            name, value = line.split("=", 1)
            values[name] = value
    return values


def development_env(clerk: ClerkForTests, *, port: int) -> dict[str, str]:
    """.env as a person has it after `make up` created it and they pasted their Clerk keys in."""
    return {
        **env_example(),
        **clerk.env(authorized_party=f"http://localhost:{port}"),
        "APP_PORT": str(port),
        "POSTGRES_PASSWORD": secrets.token_urlsafe(16),
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_DEBUG": "1",
    }


def production_env(clerk: ClerkForTests, engine: PrivateEngine) -> dict[str, str]:
    return {
        **clerk.env(authorized_party=PRODUCTION_ORIGIN),
        "APP_BIND_ADDRESS": "127.0.0.1",
        "APP_PORT": str(free_port()),
        "POSTGRES_PASSWORD": secrets.token_urlsafe(16),
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": PRODUCTION_HOST,
        "DJANGO_HTTPS": "1",
        # The test plays the load balancer: it reaches nginx through the engine's port proxy,
        # from the gateway of the project's network, inside the engine's address pool.
        "NGINX_TRUSTED_PROXY": engine.address_pool,
        "IMAGE_PREFIX": "prodtest",
    }
