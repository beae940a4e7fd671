"""Clerk settings read from environment variables, validated once at start-up.

Built once, by config/settings.py (`settings.CLERK`); this package stays framework-free
and receives them. Zero config: the publishable key alone gives the issuer and the JWKS
URL. `CLERK_ISSUER` and `CLERK_JWKS_URL` override them; `CLERK_JWT_KEY` (the PEM public
key) makes verification networkless and takes precedence over the JWKS.
"""

import binascii
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey

from clerk.encoding import b64decode_unpadded
from clerk.errors import ClerkConfigError
from clerk.keys import JwksKeySet, KeySet, StaticKeySet, http_jwks_fetcher
from clerk.pem import load_rsa_public_key
from clerk.publishable_key import frontend_api_host
from clerk.tokens import SessionVerifier

DEFAULT_API_URL = "https://api.clerk.com/v1"


@dataclass(frozen=True)
class ClerkSettings:
    issuer: str | None
    jwks_url: str | None
    jwt_key: RSAPublicKey | None
    authorized_parties: frozenset[str] | None
    # CLERK_REQUIRE_AZP: refuse tokens without `azp` too, as @clerk/backend >= 3.11.1 does.
    require_authorized_party: bool
    leeway_seconds: float
    hs256_secret: bytes | None
    secret_key: str | None
    api_url: str
    # Several during a rotation (comma-separated): a delivery signed with any of them verifies.
    webhook_signing_secrets: tuple[str, ...]

    @property
    def can_verify_sessions(self) -> bool:
        return self.issuer is not None and (self.jwt_key is not None or self.jwks_url is not None)

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> "ClerkSettings":
        def get(name: str) -> str | None:
            value = env.get(name, "").strip()
            return value or None

        host = None
        if publishable_key := get("NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY"):
            host = frontend_api_host(publishable_key)
        issuer = _url(get("CLERK_ISSUER"), "CLERK_ISSUER") or (f"https://{host}" if host else None)
        jwks_url = _url(get("CLERK_JWKS_URL"), "CLERK_JWKS_URL") or (
            f"https://{host}/.well-known/jwks.json" if host else None
        )
        jwt_key_text = get("CLERK_JWT_KEY")
        return cls(
            issuer=issuer.rstrip("/") if issuer else None,
            jwks_url=jwks_url,
            jwt_key=load_rsa_public_key(jwt_key_text) if jwt_key_text else None,
            authorized_parties=_origins(get("CLERK_AUTHORIZED_PARTIES"), "CLERK_AUTHORIZED_PARTIES"),
            require_authorized_party=_flag(get("CLERK_REQUIRE_AZP"), "CLERK_REQUIRE_AZP"),
            leeway_seconds=_seconds(get("CLERK_LEEWAY_SECONDS"), "CLERK_LEEWAY_SECONDS", default=5.0),
            hs256_secret=_hs256_secret(get("CLERK_JWT_HS256_SECRET")),
            secret_key=get("CLERK_SECRET_KEY"),
            api_url=(_url(get("CLERK_API_URL"), "CLERK_API_URL") or DEFAULT_API_URL).rstrip("/"),
            webhook_signing_secrets=_webhook_secrets(get("CLERK_WEBHOOK_SIGNING_SECRET")),
        )


def build_session_verifier(settings: ClerkSettings) -> SessionVerifier | None:
    """The verifier these settings describe, or None when sessions cannot be verified at all."""
    if not settings.can_verify_sessions or settings.issuer is None:
        return None
    keys: KeySet
    if settings.jwt_key is not None:
        keys = StaticKeySet(settings.jwt_key)
    else:
        assert settings.jwks_url is not None
        keys = JwksKeySet(http_jwks_fetcher(settings.jwks_url))
    return SessionVerifier(
        keys=keys,
        issuer=settings.issuer,
        authorized_parties=settings.authorized_parties,
        require_authorized_party=settings.require_authorized_party,
        leeway=settings.leeway_seconds,
        hs256_secret=settings.hs256_secret,
    )


def _url(value: str | None, variable: str) -> str | None:
    if value is None:
        return None
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ClerkConfigError(variable, "must be an http(s) URL")
    return value


def _origins(value: str | None, variable: str) -> frozenset[str] | None:
    if value is None:
        return None
    origins = set()
    for item in (part.strip() for part in value.split(",")):
        if not item:
            continue
        parts = urlsplit(item)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.path not in ("", "/"):
            raise ClerkConfigError(variable, f"{item!r} is not an origin like https://app.example.com")
        origins.add(f"{parts.scheme}://{parts.netloc}")
    return frozenset(origins) or None


def _flag(value: str | None, variable: str) -> bool:
    if value is None:
        return False
    lowered = value.lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise ClerkConfigError(variable, "must be true or false")


def _seconds(value: str | None, variable: str, *, default: float) -> float:
    if value is None:
        return default
    try:
        seconds = float(value)
    except ValueError:
        raise ClerkConfigError(variable, "must be a number of seconds") from None
    if not 0 <= seconds <= 300:
        raise ClerkConfigError(variable, "must be between 0 and 300 seconds")
    return seconds


def _hs256_secret(value: str | None) -> bytes | None:
    if value is None:
        return None
    if len(value) < 32:
        raise ClerkConfigError("CLERK_JWT_HS256_SECRET", "must be at least 32 characters (256 bits)")
    return value.encode("utf-8")


def _webhook_secrets(value: str | None) -> tuple[str, ...]:
    if value is None:
        return ()
    secrets = tuple(part.strip() for part in value.split(",") if part.strip())
    for secret in secrets:
        encoded = secret.removeprefix("whsec_")
        try:
            decoded = b64decode_unpadded(encoded)
        except (binascii.Error, ValueError):
            decoded = b""
        if not secret.startswith("whsec_") or not decoded:
            raise ClerkConfigError(
                "CLERK_WEBHOOK_SIGNING_SECRET",
                "must be the whsec_… signing secret of the endpoint (several, comma-separated, while rotating)",
            )
    return secrets
